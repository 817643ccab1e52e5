using Sparring.Injection;
using Sparring.Repos;
using Sparring.TestUtilities;
using Sparring.Testing;

namespace Sparring.Tests.Injection;

public sealed class RemovalStrategyTests
{
    [Theory]
    [InlineData(Samples.Python, "Python")]
    [InlineData(Samples.Go, "Go")]
    [InlineData(Samples.JavaScript, "JavaScript")]
    public async Task CandidatesAsync_Sample_GivesStubsThatApplyAndStillParse(string sample, string language)
    {
        // Arrange
        var context = await CodeStrategySamples.ContextAsync(sample);

        // Act
        var candidates = await CodeStrategySamples.TakeAsync(new RemovalStrategy(), context, seed: 1, count: 8);

        // Assert
        Assert.True(candidates.Count >= 4, $"only {candidates.Count} candidates");
        foreach (var candidate in candidates)
        {
            Assert.Equal("removal", candidate.Strategy);
            Assert.True(await DiffApplier.CanApplyAsync(context.Environment.TreePath, candidate.BugInjectDiff), candidate.BugInjectDiff);
            var changed = await DiffApplier.ChangedPathsAsync(candidate.BugInjectDiff);
            Assert.NotEmpty(changed);
            Assert.All(changed, p => Assert.False(TestPaths.LooksLikeTest(p), p));
            Assert.Contains("removed the body of", candidate.Description, StringComparison.Ordinal);
            using var copy = CodeStrategySamples.Applied(sample, candidate.BugInjectDiff);
            var failure = Tools.Check(language, copy.Path, changed);
            Assert.True(failure is null, $"{candidate.Description}\n{failure}\n{candidate.BugInjectDiff}");
        }
    }

    [Fact]
    public async Task CandidatesAsync_CSharpSample_FirstCandidateBuilds()
    {
        // Arrange
        var context = await CodeStrategySamples.ContextAsync(Samples.CSharp);

        // Act
        var candidates = await CodeStrategySamples.TakeAsync(new RemovalStrategy(), context, seed: 3, count: 5);

        // Assert
        Assert.True(candidates.Count >= 3, $"only {candidates.Count} candidates");
        foreach (var candidate in candidates)
        {
            Assert.True(await DiffApplier.CanApplyAsync(context.Environment.TreePath, candidate.BugInjectDiff));
            var added = candidate.BugInjectDiff.Split('\n').Where(l => l.StartsWith('+') && !l.StartsWith("+++", StringComparison.Ordinal)).ToList();
            Assert.All(added, l => Assert.Matches(@"^\+\s*(return default!;|return System\.Threading\.Tasks\..*|\w+ = default!;|await .*)?$", l));
        }

        using var copy = CodeStrategySamples.Applied(Samples.CSharp, candidates[0].BugInjectDiff);
        var failure = Tools.Check("C#", copy.Path, []);
        Assert.True(failure is null, $"{candidates[0].Description}\n{failure}");
    }

    [Theory]
    [InlineData(Samples.Python)]
    [InlineData(Samples.Go)]
    [InlineData(Samples.JavaScript)]
    [InlineData(Samples.CSharp)]
    public async Task CandidatesAsync_SameSeed_GivesIdenticalDiffsAndOtherSeedsDiffer(string sample)
    {
        // Arrange
        var context = await CodeStrategySamples.ContextAsync(sample);

        // Act
        var first = await CodeStrategySamples.TakeAsync(new RemovalStrategy(), context, seed: 7, count: 5);
        var again = await CodeStrategySamples.TakeAsync(new RemovalStrategy(), context, seed: 7, count: 5);
        var other = await CodeStrategySamples.TakeAsync(new RemovalStrategy(), context, seed: 8, count: 5);

        // Assert
        Assert.Equal(first.Select(c => c.BugInjectDiff), again.Select(c => c.BugInjectDiff));
        Assert.NotEqual(first.Select(c => c.BugInjectDiff), other.Select(c => c.BugInjectDiff));
        Assert.Equal(first.Count, first.Select(c => c.BugInjectDiff).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task CandidatesAsync_MinChangedFiles_TouchesThatManyFiles()
    {
        // Arrange
        var context = await CodeStrategySamples.ContextAsync(Samples.Python) with { MinChangedFiles = 3 };

        // Act
        var candidates = await CodeStrategySamples.TakeAsync(new RemovalStrategy(), context, seed: 2, count: 5);

        // Assert
        Assert.Equal(5, candidates.Count);
        foreach (var candidate in candidates)
        {
            Assert.Equal(3, (await DiffApplier.ChangedPathsAsync(candidate.BugInjectDiff)).Count);
            Assert.True(await DiffApplier.CanApplyAsync(context.Environment.TreePath, candidate.BugInjectDiff));
        }
    }

    [Theory]
    [InlineData("inventory/pricing.py", "inventory/pricing.py", null)]
    [InlineData("quote", "inventory/pricing.py", "inventory/pricing.py:quote")]
    [InlineData("StockLedger.adjust", "inventory/stock.py", "inventory/stock.py:StockLedger.adjust")]
    public async Task CandidatesAsync_Target_StaysInTheTarget(string target, string file, string? symbol)
    {
        // Arrange
        var context = await CodeStrategySamples.ContextAsync(Samples.Python) with { Target = target };

        // Act
        var candidates = await CodeStrategySamples.TakeAsync(new RemovalStrategy(), context, seed: 4, count: 10);

        // Assert
        Assert.NotEmpty(candidates);
        Assert.All(candidates, c => Assert.Equal([file], c.Targets.Where(t => !t.Contains(':', StringComparison.Ordinal))));
        if (symbol is not null)
        {
            var candidate = Assert.Single(candidates);
            Assert.Contains(symbol, candidate.Targets);
        }
    }

    [Fact]
    public async Task CandidatesAsync_PythonCandidate_BreaksSomeTestsButNotAll()
    {
        // Arrange
        var context = await CodeStrategySamples.ContextAsync(Samples.Python);
        var candidate = (await CodeStrategySamples.TakeAsync(new RemovalStrategy(), context, seed: 5, count: 1)).Single();
        using var copy = CodeStrategySamples.Applied(Samples.Python, candidate.BugInjectDiff);

        // Act
        var (exitCode, output) = Tools.Run(copy.Path, "/usr/bin/python3", ["-m", "pytest", "-q", "-p", "no:cacheprovider"]);

        // Assert
        Assert.NotEqual(0, exitCode);
        Assert.Matches(@"\d+ failed", output);
        Assert.Matches(@"\d+ passed", output);
        Assert.DoesNotContain("ImportError", output, StringComparison.Ordinal);
        Assert.DoesNotContain("NameError", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CandidatesAsync_TypeScriptAndArrowFunctions_StubsThemWithAReturnThatTypeChecks()
    {
        // Arrange
        using var repo = new TempGitRepo();
        repo.Write("src/url.ts", string.Join('\n',
            "export function withQuery(input: string, query: Record<string, string>): string {",
            "  const keys = Object.keys(query);",
            "  const pairs = keys.map((k) => `${k}=${query[k]}`);",
            "  return pairs.length > 0 ? `${input}?${pairs.join('&')}` : input;",
            "}",
            ""));
        repo.Write("lib/pad.mjs", string.Join('\n',
            "export const pad = (input, {width, fill}) => {",
            "\tlet out = input;",
            "\twhile (out.length < width) out = fill + out;",
            "\treturn out;",
            "};",
            ""));
        repo.Write("test/url.test.ts", "import { withQuery } from '../src/url';\n");
        repo.Commit("code");
        var context = await CodeStrategySamples.CloneAsync(repo.Path);

        // Act
        var candidates = await CodeStrategySamples.TakeAsync(new RemovalStrategy { MinLines = 4 }, context, seed: 1, count: 10);

        // Assert
        Assert.Equal(2, candidates.Count);
        var typeScript = Assert.Single(candidates, c => c.Targets.Contains("src/url.ts"));
        Assert.Contains("+  return undefined as any;", typeScript.BugInjectDiff, StringComparison.Ordinal);
        Assert.Contains("removed the body of src/url.ts:withQuery", typeScript.Description, StringComparison.Ordinal);
        var arrow = Assert.Single(candidates, c => c.Targets.Contains("lib/pad.mjs"));
        Assert.Contains("+\treturn undefined;", arrow.BugInjectDiff, StringComparison.Ordinal);
        Assert.Contains("-\twhile (out.length < width) out = fill + out;", arrow.BugInjectDiff, StringComparison.Ordinal);
        Assert.All(candidates, c => Assert.DoesNotContain("test/", c.BugInjectDiff, StringComparison.Ordinal));
    }
}
