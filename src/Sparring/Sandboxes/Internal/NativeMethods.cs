using System.Runtime.InteropServices;

namespace Sparring.Sandboxes.Internal;

internal static partial class NativeMethods
{
    public const int SigKill = 9;

    // open(2) flags, the same on Linux x86-64 and arm64.
    public const int OpenReadOnly = 0;
    public const int OpenWriteOnly = 1;
    public const int OpenCreate = 0x40;
    public const int OpenTruncate = 0x200;
    public const int OpenNonBlocking = 0x800;
    public const int OpenCloseOnExec = 0x80000;

    public const int ErrorNoEntry = 2;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "mkfifo", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MakeFifo(string path, int mode);
}
