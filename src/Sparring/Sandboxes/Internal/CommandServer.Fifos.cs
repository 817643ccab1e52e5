using System.IO.Pipes;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Sparring.Sandboxes.Internal;

internal sealed partial class CommandServer
{
    private const int OwnerReadWrite = 0x180;

    private static void MakeFifo(string path)
    {
        if (NativeMethods.MakeFifo(path, OwnerReadWrite) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"Cannot make the FIFO '{path}': {Marshal.GetPInvokeErrorMessage(errno)}.", errno);
        }
    }

    /// <summary>
    /// Makes a FIFO and opens its read end without waiting for a writer. As a pipe stream, reads wait on the runtime's
    /// event loop rather than holding a thread.
    /// </summary>
    private static AnonymousPipeClientStream OpenFifo(string path)
    {
        MakeFifo(path);
        var fd = NativeMethods.Open(path, NativeMethods.OpenReadOnly | NativeMethods.OpenNonBlocking | NativeMethods.OpenCloseOnExec, 0);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"Cannot open the FIFO '{path}': {Marshal.GetPInvokeErrorMessage(errno)}.", errno);
        }

        return new AnonymousPipeClientStream(PipeDirection.In, new SafePipeHandle(fd, ownsHandle: true));
    }
}
