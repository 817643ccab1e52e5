using Sparring.Repos;

namespace Sparring.Injection.Code;

/// <summary>Makes a candidate's diff: writes the touched files before and after into two scratch trees and lets <see cref="TreeDiff"/> diff them.</summary>
internal static class CandidateDiff
{
    /// <summary>The git diff turning the original files into <paramref name="edited"/> (relative path → new text).</summary>
    public static async Task<string> MakeAsync(string tree, IReadOnlyDictionary<string, string> edited, CancellationToken cancellationToken)
    {
        var scratch = Directory.CreateTempSubdirectory("sparring-inject-").FullName;
        try
        {
            var before = Path.Combine(scratch, "a");
            var after = Path.Combine(scratch, "b");
            foreach (var (path, text) in edited.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                var original = Path.Combine(tree, path);
                var beforeFile = Path.Combine(before, path);
                var afterFile = Path.Combine(after, path);
                Directory.CreateDirectory(Path.GetDirectoryName(beforeFile)!);
                Directory.CreateDirectory(Path.GetDirectoryName(afterFile)!);
                File.Copy(original, beforeFile);
                await File.WriteAllTextAsync(afterFile, text, cancellationToken).ConfigureAwait(false);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(afterFile, File.GetUnixFileMode(original));
                }
            }

            return await TreeDiff.DiffAsync(before, after, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>Reads a file as text for editing, or null when it is not plain UTF-8 text.</summary>
    public static async Task<string?> ReadAsync(string tree, string path, CancellationToken cancellationToken)
    {
        var bytes = await File.ReadAllBytesAsync(Path.Combine(tree, path), cancellationToken).ConfigureAwait(false);
        if (bytes.Contains((byte)0))
        {
            return null; // binary (a BOM survives: it decodes to U+FEFF and is written back)
        }

        try
        {
            return new System.Text.UTF8Encoding(false, true).GetString(bytes);
        }
        catch (System.Text.DecoderFallbackException)
        {
            return null;
        }
    }
}
