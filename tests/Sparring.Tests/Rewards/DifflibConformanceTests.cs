using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sparring.Rewards;
using Sparring.TestUtilities;

namespace Sparring.Tests.Rewards;

/// <summary>
/// The difflib port against Python's own difflib (<c>/usr/bin/python3</c>), on real patches: the per-commit diffs of
/// files of this repository's history (C# and Markdown, short and several thousand characters long), paired as a
/// predicted and an oracle change of one file.
/// </summary>
public sealed class DifflibConformanceTests
{
    private const string Python = """
        import difflib, json, sys
        data = json.load(sys.stdin)
        def normalized(old, new):
            diff = difflib.unified_diff(old.splitlines(), new.splitlines(), fromfile="old", tofile="new", lineterm="", n=3)
            try:
                next(diff); next(diff)
                return "\n".join(diff)
            except StopIteration:
                return ""
        out = {
            "ratios": [[difflib.SequenceMatcher(None, a, b).ratio(), difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()] for a, b in data["ratios"]],
            "normalized": [normalized(old, new) for old, new in data["normalized"]],
            "lines": [s.splitlines() for s in data["lines"]],
        }
        json.dump(out, sys.stdout)
        """;

    /// <summary>The history read is the one before this commit, so the pairs stay the same as the repository grows.</summary>
    private const string PinnedCommit = "4753a02";

    private static readonly string[] HistoryFiles =
    [
        "src/Sparring.Cli/Commands/SelfplayCommand.cs", "src/Sparring.Cli/SparringCli.cs", "tests/Sparring.Tests/Sandboxes/SandboxConformanceTests.cs",
        "README.md", "docs/cli.md", "docs/formats.md", "docs/performance.md",
    ];

    [Fact]
    public async Task Ratio_RealPatchPairs_EqualsPythonsDifflibExactlyWithAndWithoutAutojunk()
    {
        // Arrange: consecutive changes of each file, as a predicted and an oracle patch.
        var pairs = new List<(string A, string B)>();
        foreach (var path in HistoryFiles)
        {
            var patches = PatchesOf(path, 20);
            pairs.AddRange(patches.Zip(patches.Skip(1)));
        }

        // Act
        var python = await PythonAsync(pairs.Select(p => new[] { p.A, p.B }), [], []);

        // Assert
        Assert.True(pairs.Count >= 100, $"only {pairs.Count} patch pairs in this repository's history");
        var expected = python["ratios"]!.AsArray();
        var autojunkMattered = 0;
        for (var i = 0; i < pairs.Count; i++)
        {
            var (withJunk, withoutJunk) = (expected[i]![0]!.GetValue<double>(), expected[i]![1]!.GetValue<double>());
            Assert.Equal(withJunk, Difflib.Ratio(pairs[i].A, pairs[i].B));
            Assert.Equal(withoutJunk, Difflib.Ratio(pairs[i].A, pairs[i].B, autoJunk: false));
            autojunkMattered += withJunk != withoutJunk ? 1 : 0;
        }

        Assert.True(pairs.Count(p => p.B.Length >= 2000) >= 10, "too few long patches");
        Assert.True(autojunkMattered >= 10, $"autojunk changed only {autojunkMattered} ratios");
    }

    [Fact]
    public async Task NormalizedPatch_RealFileVersions_EqualsSweRlsUnifiedDiff()
    {
        // Arrange: a file before and after each of its recent commits, and hand-made edge cases.
        var versions = new List<(string Old, string New)>();
        foreach (var path in HistoryFiles.Take(3))
        {
            foreach (var commit in GitLines("log", "--format=%H", "-n", "6", PinnedCommit, "--", path))
            {
                versions.Add((ContentBefore(commit, path), Git("show", $"{commit}:{path}")));
            }
        }

        versions.Add(("", ""));
        versions.Add(("a\nb\n", "a\nb\n"));
        versions.Add(("one\r\ntwo\rthree\u2028four\x0cfive", "one\ntwo\nthree\nfour\nsix\n"));

        // Act
        var python = await PythonAsync([], versions.Select(v => new[] { v.Old, v.New }), []);

        // Assert
        var expected = python["normalized"]!.AsArray();
        for (var i = 0; i < versions.Count; i++)
        {
            Assert.Equal(expected[i]!.GetValue<string>(), PatchSimilarity.NormalizedPatch(versions[i].Old, versions[i].New));
        }
    }

    [Fact]
    public async Task SplitLines_EveryLineBoundaryPythonKnows_SplitsAsPythonDoes()
    {
        // Arrange
        string[] texts = ["", "\n", "a", "a\n", "a\n\nb", "a\r\nb\rc\vd\fe\x1cf\x1dg\x1eh\x85i\u2028j\u2029k", "x\r", "\r\n\r\n", "tab\tstays"];

        // Act
        var python = await PythonAsync([], [], texts);

        // Assert
        var expected = python["lines"]!.AsArray();
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(expected[i]!.AsArray().Select(l => l!.GetValue<string>()), Difflib.SplitLines(texts[i]));
        }
    }

    [Fact]
    public void Ratio_DocumentedExamplesAndCodePoints_AsPythonGivesThem()
    {
        // Act, Assert: values from Python's documentation and interpreter.
        Assert.Equal(0.75, Difflib.Ratio("abcd", "bcde"));
        Assert.Equal(1.0, Difflib.Ratio("", ""));
        Assert.Equal(0.0, Difflib.Ratio("abc", ""));

        // One astral character is one element, as in Python (two UTF-16 units would give 2*2/6).
        Assert.Equal(2.0 * 1 / 4, Difflib.Ratio("\U0001F600a", "\U0001F600b"));
    }

    [Fact]
    public void Score_HandMadeChanges_MeanOverEveryChangedFileAndMinusOneForNoChange()
    {
        // Arrange
        var original = new Dictionary<string, string> { ["a.py"] = "x = 1\ny = 2\n", ["b.py"] = "z = 3\n" };
        var oracle = new Dictionary<string, string> { ["a.py"] = "x = 1\ny = 3\n" };
        var exact = new Dictionary<string, string> { ["a.py"] = "x = 1\ny = 3\n" };
        var extraFile = new Dictionary<string, string> { ["a.py"] = "x = 1\ny = 3\n", ["b.py"] = "z = 4\n" };
        var nothing = new Dictionary<string, string> { ["a.py"] = "x = 1\ny = 2\n" };

        // Act
        var same = PatchSimilarity.Score(original, oracle, exact);
        var more = PatchSimilarity.Score(original, oracle, extraFile);
        var none = PatchSimilarity.Score(original, oracle, nothing);

        // Assert
        Assert.Equal(1.0, same.Reward);
        Assert.Equal(0.5, more.Reward);
        Assert.Equal(["a.py", "b.py"], more.Files.Select(f => f.Path));
        Assert.Equal(0.0, more.Files[1].Similarity);
        Assert.Equal(PatchSimilarity.Malformed, none.Reward);
        Assert.NotNull(none.Problem);
    }

    private static List<string> PatchesOf(string path, int count) =>
        [.. GitLines("log", "--format=%H", "-n", count.ToString(System.Globalization.CultureInfo.InvariantCulture), PinnedCommit, "--", path)
            .Select(commit => Git("show", "--format=", "--unified=3", "--no-color", commit, "--", path))];

    /// <summary>A file at the parent of <paramref name="commit"/>; empty where it did not exist yet.</summary>
    private static string ContentBefore(string commit, string path)
    {
        try
        {
            return Git("show", $"{commit}^:{path}");
        }
        catch (InvalidOperationException)
        {
            return "";
        }
    }

    private static IEnumerable<string> GitLines(params string[] arguments) => Git(arguments).Split('\n').Where(line => line.Length > 0);

    /// <summary>git in this repository (the test reads its own history); throws with git's message on failure.</summary>
    private static string Git(params string[] arguments) => TempGitRepo.RunGit(Samples.RepositoryRoot, arguments);

    private static async Task<JsonNode> PythonAsync(IEnumerable<string[]> ratios, IEnumerable<string[]> normalized, IEnumerable<string> lines)
    {
        var start = new ProcessStartInfo("/usr/bin/python3", ["-c", Python])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
        };
        using var python = Process.Start(start)!;
        var output = python.StandardOutput.ReadToEndAsync();
        var error = python.StandardError.ReadToEndAsync();
        await python.StandardInput.WriteAsync(JsonSerializer.Serialize(new { ratios, normalized, lines }));
        python.StandardInput.Close();
        await python.WaitForExitAsync();
        Assert.True(python.ExitCode == 0, await error);
        return JsonNode.Parse(await output)!;
    }
}
