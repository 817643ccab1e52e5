
namespace Sparring.Repos;

/// <summary>Applies and reverses unified diffs with <c>git apply</c>: all of a diff applies, or none of it.</summary>
public static class DiffApplier
{
    /// <summary>Applies <paramref name="diff"/> to the tree at <paramref name="directory"/> (reversed when <paramref name="reverse"/>).</summary>
    /// <exception cref="DiffApplyException">The diff is malformed or does not apply; the tree is unchanged.</exception>
    public static async Task ApplyAsync(string directory, string diff, bool reverse = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(diff);
        if (string.IsNullOrWhiteSpace(diff))
        {
            return;
        }

        var args = new List<string> { "apply", "--whitespace=nowarn", "--binary" };
        if (reverse)
        {
            args.Add("--reverse");
        }

        args.Add("-");
        var outcome = await Git.RunRawAsync(directory, args, cancellationToken, CeilingAt(directory), NormalizeEnding(diff)).ConfigureAwait(false);
        if (outcome.ExitCode != 0)
        {
            throw new DiffApplyException(outcome.Stderr.Trim(), reverse);
        }
    }

    /// <summary>True when the diff would apply cleanly; the tree is not touched.</summary>
    public static async Task<bool> CanApplyAsync(string directory, string diff, bool reverse = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(diff);
        if (string.IsNullOrWhiteSpace(diff))
        {
            // ApplyAsync treats an empty diff as a no-op, so it always "applies".
            return true;
        }

        var args = new List<string> { "apply", "--check", "--binary" };
        if (reverse)
        {
            args.Add("--reverse");
        }

        args.Add("-");
        var outcome = await Git.RunRawAsync(directory, args, cancellationToken, CeilingAt(directory), NormalizeEnding(diff)).ConfigureAwait(false);
        return outcome.ExitCode == 0;
    }

    /// <summary>The paths a diff touches (both sides of a rename), without applying it.</summary>
    /// <exception cref="DiffApplyException">The text is not a diff git can read.</exception>
    public static async Task<IReadOnlyList<string>> ChangedPathsAsync(string diff, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(diff))
        {
            return [];
        }

        var scratch = Directory.CreateTempSubdirectory("sparring-paths-").FullName;
        try
        {
            // git apply --numstat names only the new side of a rename; reversed, it names the old side.
            var forward = await NumstatAsync(scratch, diff, reverse: false, cancellationToken).ConfigureAwait(false);
            var backward = await NumstatAsync(scratch, diff, reverse: true, cancellationToken).ConfigureAwait(false);
            return forward.Concat(backward).Distinct(StringComparer.Ordinal).ToList();
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static async Task<List<string>> NumstatAsync(string scratch, string diff, bool reverse, CancellationToken cancellationToken)
    {
        var args = new List<string> { "apply", "--numstat", "-z" };
        if (reverse)
        {
            args.Add("--reverse");
        }

        args.Add("-");
        var outcome = await Git.RunRawAsync(scratch, args, cancellationToken, CeilingAt(scratch), NormalizeEnding(diff)).ConfigureAwait(false);
        if (outcome.ExitCode != 0)
        {
            throw new DiffApplyException(outcome.Stderr.Trim(), reverse: false);
        }

        return NumstatPaths(outcome.Stdout);
    }

    private static List<string> NumstatPaths(string numstat)
    {
        // -z: "added\tdeleted\tpath\0" per file (binary files: "-\t-\tpath\0").
        var paths = new List<string>();
        foreach (var field in numstat.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = field.Split('\t', 3);
            if (parts.Length == 3 && parts[2].Length > 0)
            {
                paths.Add(parts[2]);
            }
        }

        return paths;
    }

    /// <summary>git apply would otherwise find an enclosing repository and skip paths outside the subdirectory.</summary>
    private static Dictionary<string, string> CeilingAt(string directory) => new()
    {
        ["GIT_CEILING_DIRECTORIES"] = Path.GetDirectoryName(Path.GetFullPath(directory).TrimEnd('/')) ?? "/",
    };

    private static string NormalizeEnding(string diff) => diff.EndsWith('\n') ? diff : diff + "\n";
}
