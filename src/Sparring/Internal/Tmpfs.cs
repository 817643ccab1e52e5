using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Sparring.Internal;

/// <summary>
/// Size-limited tmpfs mounts owned by this process (workspaces): a write past the size fails with ENOSPC inside, and
/// the host's disk is never touched. Each mount's source names its owner (<c>sparring-ws-PID-START</c>), so the
/// mounts of a killed process are found in <c>/proc/self/mountinfo</c> and removed by the next process.
/// </summary>
/// <remarks>Mounting needs root (CAP_SYS_ADMIN); <see cref="Available"/> says whether it works here.</remarks>
internal static partial class Tmpfs
{
    private const string SourcePrefix = "sparring-ws-";
    private const ulong MountNoSuid = 2;
    private const ulong MountNoDev = 4;
    private const int DetachLazily = 2;
    private const int ErrorNotPermitted = 1;
    private const int ErrorNoEntry = 2;
    private const int ErrorInvalid = 22;

    private static readonly Lazy<string?> Problem = new(Probe);

    /// <summary>True when this process can mount a tmpfs (root with CAP_SYS_ADMIN).</summary>
    public static bool Available => Problem.Value is null;

    /// <summary>Why workspaces cannot get their own tmpfs here, or null.</summary>
    public static string? UnavailableReason => Problem.Value;

    /// <summary>Mounts a tmpfs of <paramref name="sizeBytes"/> on the existing, empty directory <paramref name="path"/>.</summary>
    public static void Mount(string path, long sizeBytes)
    {
        var options = string.Create(CultureInfo.InvariantCulture, $"size={sizeBytes},mode=0755");
        if (MountNative(SourcePrefix + OwnerProcess.Current, path, "tmpfs", MountNoSuid | MountNoDev, options) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"Cannot mount a tmpfs of {sizeBytes} bytes on '{path}': {Marshal.GetPInvokeErrorMessage(errno)}.", errno);
        }
    }

    /// <summary>
    /// Detaches the mount at <paramref name="path"/> (its memory is freed once no process uses it); true when one was
    /// there, false when <paramref name="path"/> is no mount point or missing (or, without root, could be none of ours).
    /// </summary>
    public static bool Unmount(string path)
    {
        if (Unmount2(path, DetachLazily) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno is ErrorInvalid or ErrorNoEntry or ErrorNotPermitted
            ? false
            : throw new IOException($"Cannot unmount '{path}': {Marshal.GetPInvokeErrorMessage(errno)}.", errno);
    }

    /// <summary>True when <paramref name="path"/> is the mount point of one of our tmpfs mounts.</summary>
    public static bool IsMounted(string path)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        return OurMounts().Any(m => m.MountPoint == full);
    }

    /// <summary>
    /// Unmounts the workspace tmpfs mounts whose owner is dead and removes their (then empty) mount points.
    /// Returns the mount points removed.
    /// </summary>
    public static IReadOnlyList<string> RemoveAbandoned()
    {
        var removed = new List<string>();
        foreach (var (mountPoint, owner) in OurMounts())
        {
            if (!OwnerProcess.TryParse(owner.Split('-'), out var pid, out var start) || OwnerProcess.IsAlive(pid, start))
            {
                continue;
            }

            try
            {
                // Mounted twice over the same folder by a confused run: take them all off.
                while (Unmount(mountPoint))
                {
                }

                Directory.Delete(mountPoint);
                removed.Add(mountPoint);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Still busy or not ours to remove: the next process tries again.
            }
        }

        return removed;
    }

    /// <summary>Our tmpfs mounts (mount point, owner) from <c>/proc/self/mountinfo</c>.</summary>
    private static IEnumerable<(string MountPoint, string Owner)> OurMounts()
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines("/proc/self/mountinfo");
        }
        catch (IOException)
        {
            yield break;
        }

        foreach (var line in lines)
        {
            // ID PARENT MAJ:MIN ROOT MOUNT-POINT OPTIONS [OPTIONAL…] - FSTYPE SOURCE SUPER-OPTIONS
            var separator = line.IndexOf(" - ", StringComparison.Ordinal);
            if (separator < 0)
            {
                continue;
            }

            var before = line[..separator].Split(' ');
            var after = line[(separator + 3)..].Split(' ');
            if (before.Length < 5 || after.Length < 2 || after[0] != "tmpfs" || !after[1].StartsWith(SourcePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            yield return (Unescape(before[4]), after[1][SourcePrefix.Length..]);
        }
    }

    /// <summary>mountinfo writes space, tab, newline and backslash as octal escapes (<c>\040</c>).</summary>
    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var bytes = new List<byte>();
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length && field.Substring(i + 1, 3).All(c => c is >= '0' and <= '7'))
            {
                bytes.Add(Convert.ToByte(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(field[i].ToString()));
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static string? Probe()
    {
        var probe = Path.Combine(Path.GetTempPath(), $"sparring-tmpfs-probe-{OwnerProcess.Current}-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(probe);
            Mount(probe, 1 << 20);
            Unmount(probe);
            return null;
        }
        catch (IOException ex)
        {
            return $"cannot mount a tmpfs here ({ex.Message.TrimEnd('.')}; mounting needs root): workspaces get no disk quota, so a command can fill the host's disk";
        }
        finally
        {
            try
            {
                Directory.Delete(probe);
            }
            catch (IOException)
            {
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MountNative(string source, string target, string fileSystemType, ulong flags, string data);

    [LibraryImport("libc", EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Unmount2(string target, int flags);
}
