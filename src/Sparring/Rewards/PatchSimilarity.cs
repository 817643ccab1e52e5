namespace Sparring.Rewards;

/// <summary>
/// SWE-RL's similarity reward (spec §3): each file's change is normalised to the unified diff Python's difflib makes of
/// its old and new contents (3 lines of context, no header), the predicted change is compared with the oracle's by
/// <c>SequenceMatcher(None, predicted, oracle).ratio()</c>, and the reward is the mean over every file either one changes
/// (a file only one of them changes scores 0). A prediction that changes nothing is malformed: −1.
/// </summary>
/// <remarks>
/// The spec's form keeps difflib's junk heuristic (<c>autojunk=True</c>, Python's default); SWE-RL's released code passes
/// <c>autojunk=False</c>, which <see cref="Score"/> gives with <c>autoJunk: false</c>.
/// </remarks>
public static class PatchSimilarity
{
    /// <summary>The reward for a malformed prediction.</summary>
    public const double Malformed = -1.0;

    /// <summary>
    /// SWE-RL's normalised patch of one file: <c>difflib.unified_diff(old.splitlines(), new.splitlines(), 'old', 'new',
    /// lineterm='', n=3)</c> without its two header lines, joined by <c>\n</c>; empty when nothing changed.
    /// </summary>
    public static string NormalizedPatch(string oldContent, string newContent)
    {
        ArgumentNullException.ThrowIfNull(oldContent);
        ArgumentNullException.ThrowIfNull(newContent);
        var diff = Difflib.UnifiedDiff(Difflib.SplitLines(oldContent), Difflib.SplitLines(newContent), "old", "new");
        return diff.Count == 0 ? "" : Difflib.JoinLines(diff.Skip(2));
    }

    /// <summary>
    /// The reward of a prediction against the oracle. Each dictionary maps a path to a file's content: the originals of
    /// the files either side touches (a missing one is empty, as for a new file), and the new contents of the files each
    /// side changed.
    /// </summary>
    public static PatchSimilarityResult Score(
        IReadOnlyDictionary<string, string> original,
        IReadOnlyDictionary<string, string> oracleNew,
        IReadOnlyDictionary<string, string> predictedNew,
        bool autoJunk = true)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(oracleNew);
        ArgumentNullException.ThrowIfNull(predictedNew);
        return Compare(Patches(original, predictedNew), Patches(original, oracleNew), autoJunk);
    }

    /// <summary>
    /// The reward of a prediction against the oracle given as normalised per-file patches (<see cref="NormalizedPatch"/>,
    /// by path; files with no change left out): the mean ratio over every file either side changes, −1 when the prediction
    /// changes nothing.
    /// </summary>
    public static PatchSimilarityResult Compare(IReadOnlyDictionary<string, string> predicted, IReadOnlyDictionary<string, string> oracle, bool autoJunk = true)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(oracle);
        if (predicted.Count == 0)
        {
            return new PatchSimilarityResult(Malformed, [], "the prediction changes nothing");
        }

        var files = oracle.Keys.Union(predicted.Keys).Order(StringComparer.Ordinal).Select(path =>
        {
            var mine = predicted.GetValueOrDefault(path, "");
            var theirs = oracle.GetValueOrDefault(path, "");
            var similarity = mine.Length == 0 || theirs.Length == 0 ? 0.0 : Difflib.Ratio(mine, theirs, autoJunk);
            return new FileSimilarity(path, similarity);
        }).ToList();
        return new PatchSimilarityResult(files.Sum(f => f.Similarity) / files.Count, files, null);
    }

    /// <summary>The normalised patch of each file <paramref name="changed"/> changes from <paramref name="original"/>, by path.</summary>
    public static Dictionary<string, string> Patches(IReadOnlyDictionary<string, string> original, IReadOnlyDictionary<string, string> changed)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(changed);
        var patches = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (path, content) in changed)
        {
            var patch = NormalizedPatch(original.GetValueOrDefault(path, ""), content);
            if (patch.Length > 0)
            {
                patches[path] = patch;
            }
        }

        return patches;
    }
}
