using System.Runtime.InteropServices;

namespace Sparring.Internal;

/// <summary>How full the filesystem holding a path is (<c>statvfs</c>).</summary>
internal static partial class DiskSpace
{
    /// <summary>Below this many free bytes a filesystem counts as full: a write that failed with ENOSPC leaves at most a page or so.</summary>
    public const long FullBelowBytes = 64 * 1024;

    /// <summary>True when the filesystem holding <paramref name="path"/> is full (or out of inodes); false when it is not or cannot be read.</summary>
    public static bool IsFull(string path) =>
        StatVfs(path, out var stat) == 0
        && (stat.Bavail * stat.Frsize < FullBelowBytes || (stat.Files > 0 && stat.Ffree == 0));

    [LibraryImport("libc", EntryPoint = "statvfs", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int StatVfs(string path, out StatVfsBuffer buffer);

    /// <summary><c>struct statvfs</c> of 64-bit Linux (x86-64 and arm64 alike).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct StatVfsBuffer
    {
        public ulong Bsize;
        public ulong Frsize;
        public ulong Blocks;
        public ulong Bfree;
        public ulong Bavail;
        public ulong Files;
        public ulong Ffree;
        public ulong Favail;
        public ulong Fsid;
        public ulong Flag;
        public ulong Namemax;
        public int Spare0;
        public int Spare1;
        public int Spare2;
        public int Spare3;
        public int Spare4;
        public int Spare5;
    }
}
