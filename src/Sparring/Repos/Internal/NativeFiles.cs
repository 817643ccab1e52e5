using System.Runtime.InteropServices;

namespace Sparring.Repos.Internal;

internal static partial class NativeFiles
{
    public static void HardLink(string existing, string newPath)
    {
        if (Link(existing, newPath) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            // EXDEV (cross-device) or EPERM: fall back to a copy, still correct, only slower.
            if (errno is 18 or 1 or 31)
            {
                File.Copy(existing, newPath);
                return;
            }

            throw new IOException($"Could not hard-link '{existing}' to '{newPath}' (errno {errno}).");
        }
    }

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string existing, string newPath);
}
