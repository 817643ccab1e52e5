using System.Runtime.InteropServices;

namespace Sparring.Sandboxes.Internal;

internal static partial class NativeMethods
{
    public const int SigKill = 9;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
