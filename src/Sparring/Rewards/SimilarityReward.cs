using Sparring.Artifacts;
using Sparring.Repos;

namespace Sparring.Rewards;

/// <summary>
/// SWE-RL's similarity reward (<see cref="PatchSimilarity"/>) of a solver's patch on a bug artifact: the oracle is the
/// change from the broken tree back to the original one, the prediction the change the patch makes to the broken tree.
/// Only the files either side touches are read and patched, in a scratch folder; nothing runs.
/// </summary>
/// <remarks>
/// The broken tree is the original with <c>bug_inject.diff</c>, <c>test_weaken.diff</c> and (order 2) the artifact's
/// <c>pred_patch.diff</c> applied, as <see cref="BrokenTree"/> makes it. The oracle
/// restores the files the bug's diffs changed; the weakened tests are not part of the fix. A patch that is empty, not a
/// diff git can read, names an unsafe path, does not apply, or changes nothing is malformed: −1.
/// </remarks>
public static class SimilarityReward
{
    /// <summary>UTF-8 that keeps a byte-order mark as a character: both sides of a comparison read a file the same way.</summary>
    private static readonly System.Text.UTF8Encoding Text = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Names the reward kinds rollouts can carry.</summary>
    public const string Binary = "binary";

    /// <summary>SWE-RL's similarity reward.</summary>
    public const string Similarity = "similarity";

    /// <summary>The reward kinds, for options and messages.</summary>
    public static IReadOnlyList<string> Kinds { get; } = [Binary, Similarity];

    /// <summary>The largest file a prediction may leave; a larger one is malformed (a small binary patch can make a huge file).</summary>
    public const int MaxFileBytes = 4 * 1024 * 1024;

    /// <summary>Reads a file of the original tree as bytes, exactly (null when it has none).</summary>
    /// <exception cref="UnsafePathException">The path leads out of the tree.</exception>
    public delegate Task<byte[]?> OriginalReader(string path, CancellationToken cancellationToken);

    /// <summary>The original files from a tree on disk; every path is checked against the tree first.</summary>
    public static OriginalReader FromTree(string treeRoot)
    {
        ArgumentNullException.ThrowIfNull(treeRoot);
        return async (path, cancellationToken) =>
        {
            var full = RepoPaths.Check(treeRoot, path, "a patch scored for similarity");
            return File.Exists(full) ? await File.ReadAllBytesAsync(full, cancellationToken).ConfigureAwait(false) : null;
        };
    }

    /// <summary>The original files from a commit of a git repository, byte for byte (through <c>git archive</c>).</summary>
    public static OriginalReader FromCommit(string repository, string commit)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(commit);
        return async (path, cancellationToken) =>
        {
            RepoPaths.CheckForm(path, "a patch scored for similarity");
            var archive = Path.GetTempFileName();
            try
            {
                var outcome = await Git.RunRawAsync(repository, ["archive", "--format=tar", "-o", archive, commit, "--", path], cancellationToken).ConfigureAwait(false);
                if (outcome.ExitCode != 0)
                {
                    return null;
                }

                await using var stream = File.OpenRead(archive);
                using var reader = new System.Formats.Tar.TarReader(stream);
                while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
                {
                    if (entry.Name == path && entry.EntryType is System.Formats.Tar.TarEntryType.RegularFile or System.Formats.Tar.TarEntryType.V7RegularFile && entry.DataStream is { } data)
                    {
                        using var bytes = new MemoryStream();
                        await data.CopyToAsync(bytes, cancellationToken).ConfigureAwait(false);
                        return bytes.ToArray();
                    }
                }

                return null;
            }
            finally
            {
                File.Delete(archive);
            }
        };
    }

    /// <summary>The reward of <paramref name="patch"/> (null or blank: no patch) on <paramref name="artifact"/>.</summary>
    /// <exception cref="ArtifactApplyException">The artifact's own diffs do not apply to the original files: the artifact, not the patch, is broken.</exception>
    /// <exception cref="UnsafePathException">The artifact names an unsafe path.</exception>
    public static async Task<PatchSimilarityResult> ScoreAsync(BugArtifact artifact, string? patch, OriginalReader original, CancellationToken cancellationToken = default)
    {
        var files = await FilesAsync(artifact, patch, original, cancellationToken).ConfigureAwait(false);
        return files.Problem is { } problem ? Malformed(problem) : PatchSimilarity.Score(files.Broken!, files.Oracle!, files.Predicted!);
    }

    /// <summary>
    /// The normalised per-file patches (<see cref="PatchSimilarity.NormalizedPatch"/>) of the change <paramref name="patch"/>
    /// makes to the artifact's broken tree, or why it is malformed; what selectors compare candidates by.
    /// </summary>
    /// <exception cref="ArtifactApplyException">The artifact's own diffs do not apply to the original files.</exception>
    /// <exception cref="UnsafePathException">The artifact names an unsafe path.</exception>
    public static async Task<(IReadOnlyDictionary<string, string>? Patches, string? Problem)> NormalizedAsync(
        BugArtifact artifact, string? patch, OriginalReader original, CancellationToken cancellationToken = default)
    {
        var files = await FilesAsync(artifact, patch, original, cancellationToken).ConfigureAwait(false);
        if (files.Problem is { } problem)
        {
            return (null, problem);
        }

        var patches = PatchSimilarity.Patches(files.Broken!, files.Predicted!);
        return patches.Count == 0 ? (null, "the prediction changes nothing") : (patches, null);
    }

    /// <summary>The broken tree's, the oracle's and the prediction's contents of the files either side touches, or why the prediction is malformed.</summary>
    private static async Task<(Dictionary<string, string>? Broken, Dictionary<string, string>? Oracle, Dictionary<string, string>? Predicted, string? Problem)> FilesAsync(
        BugArtifact artifact, string? patch, OriginalReader original, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        ArgumentNullException.ThrowIfNull(original);
        if (string.IsNullOrWhiteSpace(patch))
        {
            return Problem("no patch");
        }

        IReadOnlyList<string> predictedPaths;
        try
        {
            predictedPaths = await DiffApplier.ChangedPathsAsync(patch, cancellationToken).ConfigureAwait(false);
        }
        catch (DiffApplyException ex)
        {
            return Problem($"not a diff git can read: {ex.Message}");
        }

        if (predictedPaths.FirstOrDefault(p => RepoPaths.ProblemOf(p) is not null) is { } unsafePath)
        {
            return Problem($"the patch names an unsafe path '{unsafePath}': {RepoPaths.ProblemOf(unsafePath)}");
        }

        if (patch.Contains("\nGIT binary patch\n", StringComparison.Ordinal) || patch.Contains("\nBinary files ", StringComparison.Ordinal))
        {
            return Problem("the patch changes a binary file: the similarity compares text");
        }

        var artifactPaths = await ArtifactPaths.NamedAsync(artifact, cancellationToken).ConfigureAwait(false);
        foreach (var (file, path) in artifactPaths)
        {
            RepoPaths.CheckForm(path, $"{file} of artifact '{artifact.Metadata.Id}'");
        }

        var oraclePaths = artifactPaths.Where(n => n.File is BugArtifactFiles.BugInject or BugArtifactFiles.PredPatch).Select(n => n.Path).Distinct(StringComparer.Ordinal).ToList();
        var paths = artifactPaths.Select(n => n.Path).Concat(predictedPaths).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var scratch = Directory.CreateTempSubdirectory("sparring-similarity-").FullName;
        try
        {
            var originals = new Dictionary<string, string>(StringComparer.Ordinal);
            var named = artifactPaths.Select(n => n.Path).ToHashSet(StringComparer.Ordinal);
            foreach (var path in paths)
            {
                byte[]? content;
                try
                {
                    content = await original(path, cancellationToken).ConfigureAwait(false);
                }
                catch (UnsafePathException ex) when (!named.Contains(path))
                {
                    // The artifact's own paths were checked when it was made; a path only the patch names is the patch's.
                    return Problem($"the patch touches a path that leads out of the repository: {ex.Message}");
                }

                if (content is not null)
                {
                    originals[path] = Text.GetString(content);
                    var target = RepoPaths.Check(scratch, path, "a patch scored for similarity");
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    await File.WriteAllBytesAsync(target, content, cancellationToken).ConfigureAwait(false);
                }
            }

            foreach (var (file, diff) in new[] { (BugArtifactFiles.BugInject, artifact.BugInjectDiff), (BugArtifactFiles.TestWeaken, artifact.TestWeakenDiff), (BugArtifactFiles.PredPatch, artifact.PredPatch ?? "") })
            {
                try
                {
                    await DiffApplier.ApplyAsync(scratch, diff, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                catch (DiffApplyException ex)
                {
                    throw new ArtifactApplyException(artifact.Metadata.Id, file, ex);
                }
            }

            var broken = await ReadAsync(scratch, paths, cancellationToken).ConfigureAwait(false);
            try
            {
                await DiffApplier.ApplyAsync(scratch, patch, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (DiffApplyException ex)
            {
                return Problem($"the patch does not apply to the broken tree: {ex.Message}");
            }

            Dictionary<string, string> predicted;
            try
            {
                predicted = await ReadAsync(scratch, predictedPaths, cancellationToken).ConfigureAwait(false);
            }
            catch (UnsafePathException ex)
            {
                // A patch that makes a link leading out of the tree is read through nothing.
                return Problem($"the patch leaves an unsafe path: {ex.Message}");
            }
            catch (InvalidDataException ex)
            {
                return Problem($"the patch leaves a file too large to compare: {ex.Message}");
            }

            var oracle = oraclePaths.ToDictionary(p => p, p => originals.GetValueOrDefault(p, ""), StringComparer.Ordinal);
            return (broken, oracle, predicted, null);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static PatchSimilarityResult Malformed(string problem) => new(PatchSimilarity.Malformed, [], problem);

    private static (Dictionary<string, string>?, Dictionary<string, string>?, Dictionary<string, string>?, string?) Problem(string problem) => (null, null, null, problem);

    /// <summary>The files at <paramref name="paths"/> in the scratch tree as text; a missing one is empty, as for a deleted file.</summary>
    /// <exception cref="InvalidDataException">A file is larger than <see cref="MaxFileBytes"/>.</exception>
    private static async Task<Dictionary<string, string>> ReadAsync(string root, IEnumerable<string> paths, CancellationToken cancellationToken)
    {
        var contents = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            var full = RepoPaths.Check(root, path, "a patch scored for similarity");
            if (!File.Exists(full))
            {
                contents[path] = "";
                continue;
            }

            if (new FileInfo(full).Length > MaxFileBytes)
            {
                throw new InvalidDataException($"'{path}' is larger than {MaxFileBytes / (1024 * 1024)} MiB");
            }

            contents[path] = Text.GetString(await File.ReadAllBytesAsync(full, cancellationToken).ConfigureAwait(false));
        }

        return contents;
    }
}
