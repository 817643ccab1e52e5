using Sparring.Artifacts;
using Sparring.Grading;
using Sparring.Injection.Code;
using Sparring.Repos;
using Sparring.Solving;
using Sparring.TestUtilities;
using Sparring.Testing;
using Xunit.Abstractions;
using Sparring.Tests.SampleRepos;

namespace Sparring.Tests.Solving;

public sealed class MutationSearchSolverTests(ITestOutputHelper output)
{
    private const string Reports = "inventory/reports.py";

    [Fact]
    public async Task SolveAsync_FlippedComparisonInPython_SolvedWithinBudgetAndGraded()
    {
        // Arrange
        var environment = await SampleEnvironments.GetAsync(Samples.Python);
        var artifact = SampleArtifacts.For(Samples.Python);
        var solver = new MutationSearchSolver(SampleEnvironments.Sandboxes, new MutationSearchOptions { Budget = 30, Seed = 1 }) { OnProgress = output.WriteLine };

        // Act
        var result = await solver.SolveAsync(environment, artifact);

        // Assert
        output.WriteLine($"runs {result.Runs}, tried {result.Tried} of {result.Candidates}, early stops {result.EarlyStops}, confirmations {result.Confirmations}, {result.Seconds} s");
        Assert.True(result.Solved, result.Reason);
        Assert.Null(result.Reason);
        Assert.InRange(result.Runs, 2, 30);
        Assert.Contains("+        if available <= overrides.get(sku, threshold):", result.Patch!, StringComparison.Ordinal);
        Assert.Contains(Reports, result.Patch!, StringComparison.Ordinal);
        Assert.StartsWith("flip-comparison", result.Edit, StringComparison.Ordinal);
        Assert.True(result.Grade!.Solved);
        var again = await new Grader(SampleEnvironments.Sandboxes).GradeAsync(environment, artifact, result.Patch!);
        Assert.True(again.Solved, string.Join("\n", again.Reasons));
    }

    [Fact]
    public async Task SolveAsync_GoSample_TriesEditsOnTheFailingTestsFirst()
    {
        // Arrange: the Go sample's bug; go test's script is narrowed to the failing tests for each edit's first run.
        var environment = await SampleEnvironments.GetAsync(Samples.Go);
        var artifact = SampleArtifacts.For(Samples.Go);
        var solver = new MutationSearchSolver(SampleEnvironments.Sandboxes, new MutationSearchOptions { Budget = 8, Seed = 1 }) { OnProgress = output.WriteLine };

        // Act
        var result = await solver.SolveAsync(environment, artifact);

        // Assert
        output.WriteLine($"runs {result.Runs}, tried {result.Tried} of {result.Candidates}, early stops {result.EarlyStops}, confirmations {result.Confirmations}, {result.Seconds} s");
        Assert.True(result.EarlyStops > 0, result.Reason);
        Assert.True(result.Runs <= 8);
    }

    [Fact]
    public async Task SolveAsync_CSharpSample_TriesEditsOnTheFailingTestsFirst()
    {
        // Arrange: the C# sample's bug; dotnet test's script is narrowed with --filter for each edit's first run.
        var environment = await SampleEnvironments.GetAsync(Samples.CSharp);
        var artifact = SampleArtifacts.For(Samples.CSharp);
        var progress = new List<string>();
        var solver = new MutationSearchSolver(SampleEnvironments.Sandboxes, new MutationSearchOptions { Budget = 6, Seed = 1 }) { OnProgress = m => { progress.Add(m); output.WriteLine(m); } };

        // Act
        var result = await solver.SolveAsync(environment, artifact);

        // Assert
        output.WriteLine($"runs {result.Runs}, tried {result.Tried} of {result.Candidates}, early stops {result.EarlyStops}, confirmations {result.Confirmations}, {result.Seconds} s");
        Assert.True(result.EarlyStops > 0, result.Reason);
        Assert.True(result.Runs <= 6);
        Assert.DoesNotContain(progress, p => p.Contains("narrowed script left out", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SolveAsync_SecondAttemptAtABug_ReadsTheFirstOnesRunsAndSearchesAlike()
    {
        // Arrange: an environment of its own, so the first attempt finds no diagnosis kept by another test.
        using var cache = new TempDirectory();
        var environment = await SampleEnvironments.PrepareAsync(Samples.Path(Samples.Python), cache.Path);
        var artifact = SampleArtifacts.For(Samples.Python);
        var progress = new List<string>[] { [], [] };
        var solvers = progress.Select(p => new MutationSearchSolver(SampleEnvironments.Sandboxes, new MutationSearchOptions { Budget = 3, Seed = 2 }) { OnProgress = p.Add }).ToList();

        // Act
        var first = await solvers[0].SolveAsync(environment, artifact);
        var folder = Path.Combine(environment.Directory, MutationSearchSolver.KeptRunsFolder);
        var written = Directory.GetFiles(folder).ToDictionary(f => f, File.GetLastWriteTimeUtc);
        var second = await solvers[1].SolveAsync(environment, artifact);

        // Assert: the kept runs (the first run with its log, each edit's without) were read, not made again, and still
        // counted as runs.
        Assert.Single(written.Keys, f => f.EndsWith(".log", StringComparison.Ordinal));
        Assert.Equal(first.Runs, written.Keys.Count(f => f.EndsWith(".json", StringComparison.Ordinal)));
        Assert.Equal(written, Directory.GetFiles(folder).ToDictionary(f => f, File.GetLastWriteTimeUtc));
        Assert.Equal(progress[0], progress[1]);
        Assert.Equal((first.Runs, first.Tried, first.Candidates, first.EarlyStops, first.Solved), (second.Runs, second.Tried, second.Candidates, second.EarlyStops, second.Solved));
        Assert.True(first.Runs >= 2, first.Reason);
    }

    [Fact]
    public async Task SolveAsync_RemovedStatement_UnsolvedAfterSpendingTheBudget()
    {
        // Arrange: the bug deletes the append in low_stock, which no single operator or constant edit restores.
        var environment = await SampleEnvironments.GetAsync(Samples.Python);
        var artifact = await RemovalArtifactAsync(environment);
        var solver = new MutationSearchSolver(SampleEnvironments.Sandboxes, new MutationSearchOptions { Budget = 4, Seed = 1 });

        // Act
        var result = await solver.SolveAsync(environment, artifact);

        // Assert
        Assert.False(result.Solved);
        Assert.Null(result.Patch);
        Assert.Equal(4, result.Runs);
        Assert.Contains("budget", result.Reason, StringComparison.Ordinal);
        Assert.True(result.Candidates > result.Tried);
        Assert.True(result.Tried >= 1);
    }

    [Fact]
    public async Task SolveAsync_AsAnISolverAttempt_WritesThePatchIntoAnEmptiedAttemptDirectoryAndReturnsTheGradedAttempt()
    {
        // Arrange: a stale file in the attempt directory from an earlier, killed try.
        var environment = await SampleEnvironments.GetAsync(Samples.Python);
        var artifact = SampleArtifacts.For(Samples.Python);
        using var attempts = new TempDirectory();
        var directory = Path.Combine(attempts.Path, "attempt-3");
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "stale.txt"), "from before");
        var solver = new MutationSearchSolver(SampleEnvironments.Sandboxes, new MutationSearchOptions { Budget = 30, Seed = 1 });

        // Act
        var attempt = await solver.SolveAsync(environment, artifact, 3, directory);

        // Assert
        Assert.True(attempt.Solved, string.Join("; ", attempt.Reasons));
        Assert.Equal(3, attempt.Attempt);
        Assert.Equal(GradeOutcome.Solved, attempt.Outcome);
        Assert.Equal(Sparring.Agents.AgentExit.Submitted, attempt.Exit);
        Assert.InRange(attempt.Turns, 2, 30);
        Assert.Null(attempt.TrajectoryPath);
        Assert.Equal([BugArtifactFiles.PredPatch], Directory.EnumerateFiles(directory).Select(Path.GetFileName));
        Assert.Contains("+        if available <= overrides.get(sku, threshold):", await File.ReadAllTextAsync(attempt.PatchPath!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SolveAsync_SameSeedTwice_SameSearch()
    {
        // Arrange
        var environment = await SampleEnvironments.GetAsync(Samples.Python);
        var artifact = await RemovalArtifactAsync(environment);
        var progress = new List<string>[] { [], [] };
        var solvers = progress.Select(p => new MutationSearchSolver(SampleEnvironments.Sandboxes, new MutationSearchOptions { Budget = 3, Seed = 5 }) { OnProgress = p.Add }).ToList();

        // Act
        var first = await solvers[0].SolveAsync(environment, artifact);
        var second = await solvers[1].SolveAsync(environment, artifact);

        // Assert
        Assert.Equal(progress[0], progress[1]);
        Assert.Equal((first.Runs, first.Tried, first.Candidates, first.EarlyStops), (second.Runs, second.Tried, second.Candidates, second.EarlyStops));
    }

    [Fact]
    public void Constructor_BudgetBelowTwo_Throws()
    {
        // Arrange
        var options = new MutationSearchOptions { Budget = 1 };

        // Act
        var error = Assert.Throws<ArgumentException>(() => new MutationSearchSolver(SampleEnvironments.Sandboxes, options));

        // Assert
        Assert.Contains("budget", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The sample's artifact with the bug replaced by a deleted statement in low_stock.</summary>
    private static async Task<BugArtifact> RemovalArtifactAsync(PreparedEnvironment environment)
    {
        var artifact = SampleArtifacts.For(Samples.Python);
        using var scratch = new TempDirectory();
        var before = Path.Combine(scratch.Path, "a", Reports);
        var after = Path.Combine(scratch.Path, "b", Reports);
        Directory.CreateDirectory(Path.GetDirectoryName(before)!);
        Directory.CreateDirectory(Path.GetDirectoryName(after)!);
        var text = await File.ReadAllTextAsync(Path.Combine(environment.TreePath, Reports));
        await File.WriteAllTextAsync(before, text);
        await File.WriteAllTextAsync(after, text.Replace("            result.append((sku, available))\n", "            pass\n", StringComparison.Ordinal));
        return artifact with { BugInjectDiff = await TreeDiff.DiffAsync(Path.Combine(scratch.Path, "a"), Path.Combine(scratch.Path, "b")) };
    }
}
