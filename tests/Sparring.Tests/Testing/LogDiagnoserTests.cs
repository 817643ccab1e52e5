using Sparring.Testing;
using Sparring.Testing.Internal.Diagnosis;
using Sparring.TestUtilities;

namespace Sparring.Tests.Testing;

/// <summary>
/// The diagnosis on real captured output of the runners too slow or too networked to run in a test (Fixtures/diagnosis:
/// dotnet 10.0.401 restore against an empty folder feed, a refused HTTPS feed and a feed with another version under
/// TreatWarningsAsErrors, a build with an undefined name, an app whose runtimeconfig asks for .NET 8, a global.json
/// asking for SDK 8.0.100; npm 11.19 ci with a lock file out of sync and install --offline, install of a package that is not
/// in the registry, of two packages whose peer dependencies conflict, and of a package whose prepare script fails; go 1.19 reading a go.mod
/// written by Go 1.22 and downloading modules from a refused proxy). Real runs are in <see cref="RunDiagnosisTests"/>.
/// </summary>
public sealed class LogDiagnoserTests
{
    [Theory]
    [InlineData("dotnet-nu1101.log", "dotnet", RunDiagnosisKinds.Dependencies, "no configured NuGet feed has the package Zzz.Not.A.Package", "nuget.config")]
    [InlineData("dotnet-nu1301.log", "dotnet", RunDiagnosisKinds.Unreachable, "the NuGet feed https://127.0.0.1:9/v3/index.json cannot be reached", "remove the feed from nuget.config")]
    [InlineData("dotnet-nu1603.log", "dotnet", RunDiagnosisKinds.Dependencies, "NuGet warning NU1603 is an error here", "<WarningsNotAsErrors>NU1603</WarningsNotAsErrors>")]
    [InlineData("dotnet-cs0103.log", "dotnet", RunDiagnosisKinds.CompileError, "the code does not compile: The name 'undefinedName' does not exist in the current context", null)]
    [InlineData("dotnet-runtime-missing.log", "dotnet", RunDiagnosisKinds.Toolchain, "the .NET runtime Microsoft.NETCore.App 8.0.0, which is not installed", "DOTNET_ROLL_FORWARD=Major dotnet test")]
    [InlineData("dotnet-sdk-missing.log", "dotnet", RunDiagnosisKinds.Toolchain, "global.json asks for the .NET SDK 8.0.100", "\"rollForward\": \"latestMajor\"")]
    [InlineData("npm-ci-out-of-sync.log", "setup", RunDiagnosisKinds.Dependencies, "package.json and package-lock.json are out of sync", "commit package-lock.json")]
    [InlineData("npm-enotcached.log", "setup", RunDiagnosisKinds.Unreachable, "the npm registry could not be reached (ENOTCACHED)", ".npmrc")]
    [InlineData("npm-install-e404.log", "setup", RunDiagnosisKinds.Dependencies, "a dependency is not in the npm registry: nope-id@^1.4.1", "fix its name or version")]
    [InlineData("npm-install-eresolve.log", "setup", RunDiagnosisKinds.Dependencies, "npm cannot resolve the peer dependencies: rollup@\">=0.60.0 <3\" from rollup-plugin-babel@4.4.0 (found rollup@0.47.6)", "legacy-peer-deps")]
    [InlineData("npm-install-prepare-fails.log", "setup", RunDiagnosisKinds.Dependencies, "a package's install script failed: 'lefthook install' (the repository's own package", null)]
    [InlineData("pnpm-install-404.log", "setup", RunDiagnosisKinds.Dependencies, "a dependency is not in the npm registry: nope-id", "pnpm-lock.yaml")]
    [InlineData("go-mod-too-new.log", "go", RunDiagnosisKinds.Toolchain, "the installed Go cannot read go.mod", "install a newer Go")]
    [InlineData("go-mod-download-unreachable.log", "setup", RunDiagnosisKinds.Unreachable, "Go modules cannot be downloaded from here (github.com/pkg/errors@v0.9.1)", "go mod vendor")]
    public void Diagnose_CapturedLog_NamesTheCauseQuotesTheErrorAndSuggestsAFix(string fixture, string runner, string kind, string cause, string? suggestion)
    {
        // Arrange
        var log = ReportFixtures.Text("diagnosis/" + fixture);
        var input = new DiagnosisInput
        {
            Runner = runner,
            Command = runner switch { "dotnet" => "dotnet test x.sln --no-restore", "go" => "go test -json -count=1 ./...", _ => "npm ci --no-audit --no-fund" },
            Log = log,
            ExitCode = 1,
            Counts = new TestCounts(0, 0, 0, 0, 0),
            Setup = runner == "setup",
        };

        // Act
        var diagnosis = LogDiagnoser.Diagnose(input);

        // Assert
        Assert.Equal(kind, diagnosis.Kind);
        Assert.Contains(cause, diagnosis.Cause, StringComparison.Ordinal);
        if (suggestion is null)
        {
            Assert.Null(diagnosis.Suggestion);
        }
        else
        {
            Assert.Contains(suggestion, diagnosis.Suggestion, StringComparison.Ordinal);
        }

        Assert.InRange(diagnosis.Excerpt.Count, 1, RunDiagnosis.MaxExcerptLines);
        Assert.All(diagnosis.Excerpt, line => Assert.Contains(line.TrimEnd('…'), log, StringComparison.Ordinal));
        Assert.Equal(diagnosis.Excerpt.Distinct().Count(), diagnosis.Excerpt.Count);
        Assert.Equal("why: " + diagnosis.Cause, diagnosis.Lines()[0]);
    }

    [Theory]
    [InlineData("npm-install-e404.log")]
    [InlineData("npm-install-eresolve.log")]
    [InlineData("npm-install-prepare-fails.log")]
    public void Diagnose_NpmFailure_LeavesOutNpmsBoilerplate(string fixture)
    {
        // Arrange
        var input = Input("setup", ReportFixtures.Text("diagnosis/" + fixture)) with { Command = "npm install --no-audit --no-fund", Setup = true };

        // Act
        var diagnosis = LogDiagnoser.Diagnose(input);

        // Assert: the cause is one line; the excerpt keeps npm's code and drops where its log is and how else to install.
        Assert.DoesNotContain('\n', diagnosis.Cause);
        Assert.StartsWith("npm error code ", diagnosis.Excerpt[0], StringComparison.Ordinal);
        Assert.DoesNotContain(diagnosis.Excerpt, l => l.Contains("A complete log of this run", StringComparison.Ordinal) || l.Contains("tarball, folder", StringComparison.Ordinal) || l.Trim() is "npm error" or "npm error 404");
    }

    [Fact]
    public void Diagnose_PnpmLockedTarballMissing_NamesPackageAndVersion()
    {
        // Arrange: pnpm 10 installing from a lock file whose tarball the registry no longer has.
        var log = "Progress: resolved 119, reused 117, downloaded 0, added 78\n ERR_PNPM_FETCH_404  GET https://registry.npmjs.org/actions-up/-/actions-up-1.17.0.tgz: Not Found - 404\nNo authorization header was set for the request.\n";

        // Act
        var diagnosis = LogDiagnoser.Diagnose(Input("setup", log) with { Command = "pnpm install --frozen-lockfile", Setup = true });

        // Assert
        Assert.Equal("a dependency is not in the npm registry: actions-up@1.17.0", diagnosis.Cause);
        Assert.Equal(["ERR_PNPM_FETCH_404  GET https://registry.npmjs.org/actions-up/-/actions-up-1.17.0.tgz: Not Found - 404"], diagnosis.Excerpt.Select(l => l.Trim()));
    }

    [Fact]
    public void Diagnose_NuGetErrorPrintedTwice_QuotesItOnce()
    {
        // Arrange: dotnet build prints each error during the build and again in its summary.
        var input = Input("dotnet", ReportFixtures.Text("diagnosis/dotnet-cs0103.log"));

        // Act
        var diagnosis = LogDiagnoser.Diagnose(input);

        // Assert
        Assert.Single(diagnosis.Excerpt, l => l.Contains("error CS0103", StringComparison.Ordinal));
    }

    [Fact]
    public void Diagnose_NpmErrorCodeFarAboveTheTail_StillFoundInTheWholeOutput()
    {
        // Arrange: npm prints its code first and then pages of usage; the tail a setup step keeps misses it.
        var output = ReportFixtures.Text("diagnosis/npm-ci-out-of-sync.log");
        var step = new PreparationStep { Command = "npm ci --no-audit --no-fund", ExitCode = 1, TimedOut = false, DurationMs = 1, OutputTail = output[^4000..] };

        // Act
        var fromTail = new EnvironmentPreparationException(step);
        var fromWhole = new EnvironmentPreparationException(step, output);

        // Assert
        Assert.NotEqual(RunDiagnosisKinds.Dependencies, fromTail.Diagnosis.Kind);
        Assert.Equal(RunDiagnosisKinds.Dependencies, fromWhole.Diagnosis.Kind);
        Assert.StartsWith("Environment setup failed: 'npm ci --no-audit --no-fund' exited 1.\nwhy: package.json and package-lock.json are out of sync", fromWhole.Message, StringComparison.Ordinal);
        Assert.Contains("\ntry: run npm install in the repository and commit package-lock.json", fromWhole.Message, StringComparison.Ordinal);
        Assert.Contains("npm error `npm ci` can only install packages", string.Join('\n', fromWhole.Diagnosis.Excerpt), StringComparison.Ordinal);
        Assert.DoesNotContain(fromWhole.Diagnosis.Excerpt, l => l.Trim() == "npm error");
    }

    [Fact]
    public void Diagnose_NpmBeforeVersionTenPrefix_ReadLikeTheNewOne()
    {
        // Arrange: npm 9 and older prefix every error line with "npm ERR!" instead of "npm error".
        var npm11 = ReportFixtures.Text("diagnosis/npm-enotcached.log");
        var npm9 = npm11.Replace("npm error", "npm ERR!", StringComparison.Ordinal);

        // Act
        var diagnosis = LogDiagnoser.Diagnose(Input("setup", npm9) with { Command = "npm install --no-audit --no-fund", Setup = true });

        // Assert
        Assert.Equal(RunDiagnosisKinds.Unreachable, diagnosis.Kind);
        Assert.Equal("the npm registry could not be reached (ENOTCACHED)", diagnosis.Cause);
        Assert.Equal("npm ERR! code ENOTCACHED", diagnosis.Excerpt[0]);
    }

    [Fact]
    public void Diagnose_MissingModuleThatIsTheRepositorysOwn_SuggestsTheImportPathNotAPackage()
    {
        // Arrange
        using var tree = new TempDirectory();
        tree.Write("src/inventory/__init__.py", "");
        var log = "E   ModuleNotFoundError: No module named 'inventory.stock'\n";

        // Act
        var own = LogDiagnoser.Diagnose(Input("pytest", log) with { Tree = tree.Path });
        var foreign = LogDiagnoser.Diagnose(Input("pytest", log.Replace("inventory", "yaml", StringComparison.Ordinal)) with { Tree = tree.Path });
        var renamed = LogDiagnoser.Diagnose(Input("pytest", "E   ModuleNotFoundError: No module named 'cv2'\n"));

        // Assert
        Assert.Equal(RunDiagnosisKinds.ImportPath, own.Kind);
        Assert.Equal("put it on the path: --test-cmd \"PYTHONPATH=src python3 -m pytest -rA\"", own.Suggestion);
        Assert.Contains("src/inventory", own.Cause, StringComparison.Ordinal);
        Assert.Equal(RunDiagnosisKinds.MissingModule, foreign.Kind);
        Assert.StartsWith("apt-get install python3-yaml ", foreign.Suggestion, StringComparison.Ordinal);
        Assert.StartsWith("apt-get install python3-opencv ", renamed.Suggestion, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bash: line 1: jest: command not found", "jest", "package.json's devDependencies")]
    [InlineData("/bin/sh: 1: make: not found", "make", "apt-get install make")]
    [InlineData("bash: line 2: node_modules/.bin/mocha: No such file or directory", "mocha", "package.json's devDependencies")]
    [InlineData("bash: line 1: frobnicate: command not found", "frobnicate", "apt-cache search frobnicate")]
    public void Diagnose_ProgramNotFound_NamesItAndWhereItComesFrom(string line, string program, string suggestion)
    {
        // Arrange
        var input = Input("custom", line + "\n") with { ExitCode = 127 };

        // Act
        var diagnosis = LogDiagnoser.Diagnose(input);

        // Assert
        Assert.Equal(RunDiagnosisKinds.CommandNotFound, diagnosis.Kind);
        Assert.Contains($"'{program}'", diagnosis.Cause, StringComparison.Ordinal);
        Assert.Contains(suggestion, diagnosis.Suggestion, StringComparison.Ordinal);
        Assert.Equal([line], diagnosis.Excerpt);
    }

    [Fact]
    public void Diagnose_TimedOut_NamesTheLimitAndQuotesTheLastLines()
    {
        // Arrange
        var log = string.Join('\n', Enumerable.Range(1, 20).Select(i => $"line {i}")) + "\n";
        var input = Input("pytest", log) with { TimedOut = true, Timeout = TimeSpan.FromSeconds(90) };

        // Act
        var diagnosis = LogDiagnoser.Diagnose(input);

        // Assert
        Assert.Equal(RunDiagnosisKinds.Timeout, diagnosis.Kind);
        Assert.Contains("timed out after 90 s", diagnosis.Cause, StringComparison.Ordinal);
        Assert.Contains("--timeout 180", diagnosis.Suggestion, StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(13, 8).Select(i => $"line {i}"), diagnosis.Excerpt);
    }

    [Fact]
    public void Diagnose_UnknownOutputExitZero_SuggestsAParser()
    {
        // Arrange: a custom command whose output no parser reads.
        var input = Input("custom", "all good: 12 checks\n") with { ExitCode = 0 };

        // Act
        var diagnosis = LogDiagnoser.Diagnose(input);

        // Assert
        Assert.Equal(RunDiagnosisKinds.Unparsed, diagnosis.Kind);
        Assert.Contains("--parser", diagnosis.Suggestion, StringComparison.Ordinal);
        Assert.Equal(["all good: 12 checks"], diagnosis.Excerpt);
    }

    [Fact]
    public void Diagnose_LongLines_ShortenedToTwoHundredCharacters()
    {
        // Arrange
        var input = Input("go", "# example.com/m\n./m.go:3:23: undefined: " + new string('x', 500) + "\n");

        // Act
        var diagnosis = LogDiagnoser.Diagnose(input);

        // Assert
        Assert.Equal(RunDiagnosisKinds.CompileError, diagnosis.Kind);
        Assert.All(diagnosis.Excerpt, l => Assert.True(l.Length <= 200));
        Assert.EndsWith("…", diagnosis.Excerpt[1], StringComparison.Ordinal);
    }

    private static DiagnosisInput Input(string runner, string log) => new()
    {
        Runner = runner,
        Command = runner == "pytest" ? "python3 -m pytest -rA" : "run-tests",
        Log = log,
        ExitCode = 1,
        Counts = new TestCounts(0, 0, 0, 0, 0),
    };
}
