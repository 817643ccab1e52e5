using Sparring.Artifacts;
using Sparring.Injection;
using Sparring.Repos;
using Sparring.TestUtilities;
using Sparring.Testing;
using Sparring.Tests.SampleRepos;

namespace Sparring.Tests.Injection;

public sealed class InjectorTests
{
    [Theory]
    [InlineData(Samples.Python)]
    [InlineData(Samples.Go)]
    public async Task RunAsync_HistoryOnSample_WritesValidArtifactsThatRevalidateFromScratch(string sample)
    {
        // Arrange
        using var output = new TempDirectory();
        var (_, context) = await CreateAsync(sample, new InjectorOptions { OutputDirectory = output.Path });
        var progress = new List<string>();
        var injector = new Injector(SampleEnvironments.Sandboxes, new InjectorOptions { OutputDirectory = output.Path, Count = 2, Seed = 7 }, new FixedTime()) { OnProgress = progress.Add };

        // Act
        var report = await injector.RunAsync(context, [new HistoryStrategy()]);

        // Assert
        Assert.Null(report.Problem);
        Assert.Equal(["history-1", "history-2"], report.Artifacts);
        var yield = Assert.Single(report.Strategies);
        Assert.Equal("history", yield.Strategy);
        Assert.Equal(2, yield.Valid);
        Assert.Equal(yield.Tried, yield.Valid + yield.Rejected.Values.Sum());
        Assert.Contains(progress, l => l.Contains("VALID", StringComparison.Ordinal));
        foreach (var name in report.Artifacts)
        {
            var artifact = await BugArtifactFiles.LoadAsync(Path.Combine(output.Path, name));
            Assert.Equal(name, artifact.Metadata.Id);
            Assert.Equal("history", artifact.Metadata.Strategy);
            Assert.Null(artifact.Metadata.CreatedAt);
            Assert.Null(artifact.Metadata.Validation!.DurationMs);
            Assert.Equal(context.Environment.Plan.Command.Parser, artifact.Metadata.Parser);
            Assert.True(artifact.Metadata.Validation!.Valid);
            Assert.StartsWith("#!/bin/bash\n", artifact.TestScript, StringComparison.Ordinal);
            Assert.All(artifact.TestFiles, f => Assert.True(TestPaths.LooksLikeTest(f), f));
            Assert.Contains(artifact.TestWeakenDiff.Split('\n'), l => l.StartsWith('-') && !l.StartsWith("---", StringComparison.Ordinal));
            var again = await new ArtifactValidator(SampleEnvironments.Sandboxes).ValidateAsync(context.Environment, artifact);
            Assert.True(again.Valid, again.FailedCheck);
            Assert.Equal(artifact.Metadata.Validation.FailToPass, again.FailToPass);

            // The candidate's run stood in for the validator's bug run, and one changed file needs no per-file run:
            // the validator ran the weakened suite alone.
            Assert.Single(await DiffApplier.ChangedPathsAsync(artifact.BugInjectDiff));
            Assert.Equal(1, artifact.Metadata.Validation.TestRuns);
        }

        Assert.True(yield.SuiteRuns >= 2 * yield.Valid, $"{yield.SuiteRuns} suite runs for {yield.Valid} valid");
        Assert.Equal(Math.Round((double)yield.SuiteRuns / yield.Valid, 2), yield.SuiteRunsPerValid);
    }

    [Fact]
    public async Task RunAsync_SameSeedTwice_WritesByteIdenticalArtifacts()
    {
        // Arrange
        using var first = new TempDirectory();
        using var second = new TempDirectory();
        var (one, context) = await CreateAsync(Samples.Python, new InjectorOptions { OutputDirectory = first.Path, Count = 2, Seed = 42 });
        var (two, _) = await CreateAsync(Samples.Python, new InjectorOptions { OutputDirectory = second.Path, Count = 2, Seed = 42 });

        // Act
        var a = await one.RunAsync(context, [new HistoryStrategy()]);
        var b = await two.RunAsync(context, [new HistoryStrategy()]);

        // Assert
        Assert.Equal(a.Artifacts, b.Artifacts);
        Assert.NotEmpty(a.Artifacts);
        // Every artifact file, byte for byte; the run's own report (timings) is the one file allowed to differ.
        var files = Directory.GetFiles(first.Path, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(first.Path, f)).Where(f => f != InjectionReport.FileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(files, Directory.GetFiles(second.Path, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(second.Path, f)).Where(f => f != InjectionReport.FileName).Order(StringComparer.Ordinal));
        Assert.True(File.Exists(Path.Combine(first.Path, InjectionReport.FileName)));
        Assert.Contains(Path.Combine("history-1", BugArtifactFiles.Metadata), files);
        foreach (var file in files)
        {
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(first.Path, file)), await File.ReadAllBytesAsync(Path.Combine(second.Path, file)));
        }
    }

    [Fact]
    public async Task ProceduralInjector_AsAnIInjector_WritesWhatTheInjectorWritesWithTheFourStrategiesAndTheSameSeed()
    {
        // Arrange
        using var direct = new TempDirectory();
        using var seam = new TempDirectory();
        var (injector, context) = await CreateAsync(Samples.Python, new InjectorOptions { OutputDirectory = direct.Path, Count = 1, Seed = 3, MaxCandidatesPerStrategy = 4 });
        var procedural = new ProceduralInjector(SampleEnvironments.Sandboxes, new FixedTime()) { Seed = 3, MaxCandidatesPerStrategy = 4 };

        // Act
        var expected = await injector.RunAsync(context, [new RemovalStrategy(), new MutationStrategy(), new HistoryStrategy(), new CombineStrategy(() => injector.Components)]);
        var report = await procedural.InjectAsync(context, 1, seam.Path);

        // Assert
        Assert.Single(report.Artifacts);
        Assert.Equal(expected.Artifacts, report.Artifacts);
        Assert.Equal(expected.Strategies.Select(y => (y.Strategy, y.Tried, y.Valid)), report.Strategies.Select(y => (y.Strategy, y.Tried, y.Valid)));
        var name = report.Artifacts[0];
        Assert.Equal(
            await File.ReadAllTextAsync(Path.Combine(direct.Path, name, BugArtifactFiles.BugInject)),
            await File.ReadAllTextAsync(Path.Combine(seam.Path, name, BugArtifactFiles.BugInject)));
    }

    [Fact]
    public async Task RunAsync_CombineWithTwoFileMinimum_MergesSingleFileBugsIntoOneValidArtifact()
    {
        // Arrange: history bugs each change one file, so alone they are parts, never written.
        using var output = new TempDirectory();
        var options = new InjectorOptions { OutputDirectory = output.Path, Count = 1, MinChangedFiles = 2, MaxCandidatesPerStrategy = 4 };
        var (injector, context) = await CreateAsync(Samples.Go, options);

        // Act
        var report = await injector.RunAsync(context, [new HistoryStrategy(), new CombineStrategy(() => injector.Components)]);

        // Assert
        Assert.Equal(["combine-1"], report.Artifacts);
        var history = report.Strategies.Single(s => s.Strategy == "history");
        Assert.Equal(0, history.Valid);
        Assert.True(history.Rejected[ValidationChecks.MinChangedFiles] >= 2);
        var artifact = await BugArtifactFiles.LoadAsync(Path.Combine(output.Path, "combine-1"));
        Assert.Equal(2, (await DiffApplier.ChangedPathsAsync(artifact.BugInjectDiff)).Count);
        var again = await new ArtifactValidator(SampleEnvironments.Sandboxes, new ValidationOptions { MinChangedFiles = 2 }).ValidateAsync(context.Environment, artifact);
        Assert.True(again.Valid, again.FailedCheck);
        Assert.False(Directory.Exists(Path.Combine(output.Path, "history-part-1")));
    }

    [Fact]
    public async Task RunAsync_HistoryWithAMissingObject_StopsThatStrategyAndTheOthersGoOn()
    {
        // Arrange: a clone whose old blob is gone, as in a partial clone or a snapshot that left large files out.
        using var clone = new TempDirectory();
        using var output = new TempDirectory();
        TempGitRepo.RunGit(clone.Path, ["clone", "--quiet", "--no-local", Samples.Path(Samples.Python), "."]);
        var pack = Directory.GetFiles(Path.Combine(clone.Path, ".git", "objects", "pack"), "*.pack").Single();
        var moved = Path.Combine(output.Path, "objects.pack");
        File.Move(pack, moved);
        File.Delete(Path.ChangeExtension(pack, ".idx"));
        await using (var input = File.OpenRead(moved))
        {
            var unpack = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("git", "unpack-objects -q") { WorkingDirectory = clone.Path, RedirectStandardInput = true })!;
            await input.CopyToAsync(unpack.StandardInput.BaseStream);
            unpack.StandardInput.Close();
            await unpack.WaitForExitAsync();
        }

        var head = TempGitRepo.RunGit(clone.Path, ["rev-parse", "HEAD"]).Trim();
        var current = TempGitRepo.RunGit(clone.Path, ["ls-tree", "-r", "--format=%(objectname)", "HEAD"]).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        var old = TempGitRepo.RunGit(clone.Path, ["rev-list", "--objects", "--no-object-names", "--all"]).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .First(o => !current.Contains(o) && TempGitRepo.RunGit(clone.Path, ["cat-file", "-t", o]).Trim() == "blob");
        File.Delete(Path.Combine(clone.Path, ".git", "objects", old[..2], old[2..]));
        var environment = await SampleEnvironments.GetAsync(Samples.Python);
        Assert.Equal(head, environment.Snapshot.Commit);
        var context = await Injector.CreateContextAsync(environment, await GitRepository.OpenAsync(clone.Path), null, 1);
        var progress = new List<string>();
        var injector = new Injector(SampleEnvironments.Sandboxes, new InjectorOptions { OutputDirectory = output.Path, Count = 1, MaxCandidatesPerStrategy = 3 }, new FixedTime()) { OnProgress = progress.Add };

        // Act
        var report = await injector.RunAsync(context, [new HistoryStrategy(), new RemovalStrategy()]);

        // Assert
        var history = report.Strategies.Single(s => s.Strategy == "history");
        Assert.StartsWith("git failed: ", history.Stopped, StringComparison.Ordinal);
        Assert.Contains(progress, l => l.StartsWith("history: stopped, git failed", StringComparison.Ordinal));
        Assert.True(report.Strategies.Single(s => s.Strategy == "removal").Tried > 0);
    }

    [Fact]
    public void Validate_BadOptions_FailsWithAClearMessage()
    {
        // Arrange
        var options = new InjectorOptions { OutputDirectory = "out", Count = 0 };

        // Act
        var error = Assert.Throws<ArgumentException>(() => options.Validate());

        // Assert
        Assert.Contains("count must be at least 1", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new InjectorOptions { OutputDirectory = " " }.Validate());
        Assert.Throws<ArgumentException>(() => new InjectorOptions { OutputDirectory = "out", MinChangedFiles = 0 }.Validate());
    }

    private static async Task<(Injector Injector, InjectionContext Context)> CreateAsync(string sample, InjectorOptions options)
    {
        var environment = await SampleEnvironments.GetAsync(sample);
        var context = await Injector.CreateContextAsync(environment, await GitRepository.OpenAsync(Samples.Path(sample)), options.Target, options.MinChangedFiles);
        return (new Injector(SampleEnvironments.Sandboxes, options, new FixedTime()), context);
    }

    /// <summary>A clock that never moves: createdAt and every duration are the same in every run.</summary>
    private sealed class FixedTime : TimeProvider
    {
        public static readonly DateTimeOffset Now = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;

        public override long GetTimestamp() => 0;
    }
}
