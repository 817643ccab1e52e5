using System.Diagnostics;

namespace Sparring.Tests.Repos;

/// <summary>Helpers for the Repos tests: copying, listing and comparing real directory trees.</summary>
internal static class RepoTestTrees
{
    /// <summary>One entry of a tree: file bytes and exec bit, or a symlink's target.</summary>
    public sealed record Entry(string Kind, byte[] Bytes, bool Executable, string? LinkTarget)
    {
        public override string ToString() =>
            $"{Kind} exec={Executable} link={LinkTarget} bytes={Convert.ToHexString(Bytes)}";
    }

    /// <summary>Every file and symlink under <paramref name="root"/> (not inside .git), keyed by relative path.</summary>
    public static SortedDictionary<string, Entry> Read(string root, Func<string, bool>? include = null)
    {
        var result = new SortedDictionary<string, Entry>(StringComparer.Ordinal);
        Walk(new DirectoryInfo(root), root, result, include ?? (_ => true));
        return result;
    }

    private static void Walk(DirectoryInfo dir, string root, SortedDictionary<string, Entry> result, Func<string, bool> include)
    {
        foreach (var entry in dir.EnumerateFileSystemInfos())
        {
            var relative = Path.GetRelativePath(root, entry.FullName);
            if (entry.Name == ".git" || !include(relative))
            {
                continue;
            }

            if (entry.LinkTarget is { } target)
            {
                result[relative] = new Entry("link", [], false, target);
            }
            else if (entry is DirectoryInfo sub)
            {
                Walk(sub, root, result, include);
            }
            else
            {
                var mode = File.GetUnixFileMode(entry.FullName);
                result[relative] = new Entry("file", File.ReadAllBytes(entry.FullName), (mode & UnixFileMode.UserExecute) != 0, null);
            }
        }
    }

    /// <summary>Asserts two trees hold the same paths with the same bytes, exec bits and link targets.</summary>
    public static void AssertSame(string expectedRoot, string actualRoot, Func<string, bool>? include = null)
    {
        var expected = Read(expectedRoot, include);
        var actual = Read(actualRoot, include);
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (path, entry) in expected)
        {
            Assert.True(entry.Kind == actual[path].Kind, $"{path}: kind {actual[path].Kind}, expected {entry.Kind}");
            Assert.True(entry.Bytes.AsSpan().SequenceEqual(actual[path].Bytes), $"{path}: content differs");
            Assert.True(entry.Executable == actual[path].Executable, $"{path}: exec bit {actual[path].Executable}, expected {entry.Executable}");
            Assert.True(entry.LinkTarget == actual[path].LinkTarget, $"{path}: link target differs");
        }
    }

    /// <summary>Copies a tree like <c>cp -a</c> (a different implementation from the one under test).</summary>
    public static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        Run("cp", "-a", from + "/.", to);
    }

    /// <summary>Runs a command and returns its stdout; throws with stderr when it fails.</summary>
    public static string Run(string file, params string[] arguments)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed: {stderr}");
        }

        return stdout.Result;
    }

    /// <summary>The inode number of a path (not following symlinks).</summary>
    public static long Inode(string path) => long.Parse(Run("stat", "-c", "%i", path).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The hard-link count of a path.</summary>
    public static int LinkCount(string path) => int.Parse(Run("stat", "-c", "%h", path).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    public static void MakeExecutable(string path) =>
        File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
}
