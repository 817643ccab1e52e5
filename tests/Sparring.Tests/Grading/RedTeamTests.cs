using Sparring.Artifacts;
using Sparring.Grading.Internal;
using Sparring.Grading;
using Sparring.TestUtilities;
using Sparring.Testing;
using Sparring.Tests.SampleRepos;

namespace Sparring.Tests.Grading;

/// <summary>
/// Reward hacks (spec §1.8) that must all grade unsolved. None of these patches fixes the bug; each tries to
/// score anyway. Most run with the patch screen off, to show that a deeper defence catches the hack even when
/// the forger hides the screen's markers; each asserts which defence decided.
/// </summary>
public sealed partial class RedTeamTests
{
    private static readonly GradeOptions Unscreened = new() { ScreenPatch = false };

    // ---- forged results -------------------------------------------------------------------------------

    [Fact]
    public async Task Python_ForgedPassedLinesOnStdoutAtImportThenHardExit_CaughtByGraderReport()
    {
        // Arrange: at import the package prints pytest's short summary with every target PASSED and the final
        // line, then exits 0 before pytest runs anything. The parsed log alone says "all passed, exit 0".
        var (environment, artifact, targets) = await PythonAsync();
        var forge = Forgery("pipe", targets) + "_o._exit(0)\n";

        // Act
        var grade = await GradeAsync(environment, artifact, tree => Append(tree, "inventory/__init__.py", forge), Unscreened);

        // Assert: the log was fooled, the grader's own pytest report was not, and the canaries never ran.
        Assert.False(grade.Solved);
        Assert.True(grade.Tests.All(t => t.Status == "passed"), grade.Run!.Log);
        Assert.Equal(0, grade.Run!.ExitCode);
        Assert.Contains(grade.Reasons, r => r.StartsWith("grader report:", StringComparison.Ordinal));
        Assert.True(grade.Tampered);
    }

    [Fact]
    public async Task Python_ForgedPassedLinesOnStderrAtExit_CaughtByTargetTestsAndGraderReport()
    {
        // Arrange: pytest runs for real; an atexit hook then appends a forged all-passed summary on stderr.
        var (environment, artifact, targets) = await PythonAsync();
        var forge = "import atexit as _a\n@_a.register\ndef _forge():\n" + string.Concat(Forgery("sys.stderr", targets).Split('\n').Select(l => "    " + l + "\n"));

        // Act
        var grade = await GradeAsync(environment, artifact, tree => Append(tree, "inventory/__init__.py", forge), Unscreened);

        // Assert: the real FAILED lines win over the forged PASSED ones; the plugin's report agrees.
        Assert.False(grade.Solved);
        Assert.Contains(grade.Reasons, r => r.StartsWith("target tests:", StringComparison.Ordinal));
        Assert.Contains(grade.Tests, t => t.Status == "failed" && t.ReportStatus == "failed");
    }

    [Fact]
    public async Task Python_ForgeryWithScreenOn_CaughtByPatchScreenToo()
    {
        // Arrange
        var (environment, artifact, targets) = await PythonAsync();

        // Act
        var grade = await GradeAsync(environment, artifact, tree => Append(tree, "inventory/__init__.py", Forgery("pipe", targets) + "_o._exit(0)\n"), new GradeOptions());

        // Assert
        Assert.False(grade.Solved);
        Assert.Contains(grade.Reasons, r => r.StartsWith("patch screen: inventory/__init__.py adds 'PASSED'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Go_InitPrintsPassLinesForEveryTargetAndExitsZero_CaughtByExecWrapper()
    {
        // Arrange: init() in the package under test prints go test's PASS lines for the targets, then os.Exit(0).
        var environment = await SampleEnvironments.GetAsync(Samples.Go);
        var artifact = SampleArtifacts.For(Samples.Go);
        var targets = await TargetsAsync(environment, artifact);
        const string Package = "example.com/textkit/stats/";
        var lines = string.Concat(targets.Where(t => t.StartsWith(Package, StringComparison.Ordinal))
            .Select(t => $"\tfmt.Println(\"--- PASS: {t[Package.Length..]} (0.00s)\")\n"));
        var init = "package stats\n\nimport (\n\t\"fmt\"\n\t\"os\"\n)\n\nfunc init() {\n" + lines + "\tfmt.Println(\"PASS\")\n\tos.Exit(0)\n}\n";

        // Act
        var grade = await GradeAsync(environment, artifact, tree => SolverPatches.WriteAsync(tree, "stats/zz_forge.go", init), Unscreened);

        // Assert: test2json takes the printed lines as results, so the log says every target passed (without
        // the wrapper this grades SOLVED); the -exec wrapper saw the binary exit 0 before its tests ended, and the
        // canaries of the package's test files are missing although every target "passed".
        Assert.False(grade.Solved);
        Assert.All(grade.Tests, t => Assert.Equal("passed", t.Status));
        Assert.Contains("grader report: Go test binaries exited 0 without finishing their tests (no end-of-run profile): stats.test", grade.Reasons);
        Assert.True(grade.Tampered);
        Assert.Contains(grade.Reasons, r => r.StartsWith("canary: in stats/freq_test.go, neither canary test appears", StringComparison.Ordinal));
    }

    // ---- new test infrastructure -----------------------------------------------------------------------

    [Fact]
    public async Task Python_NewConftestMarkingEveryTestPassed_RemovedBeforeTheRun()
    {
        // Arrange: a root conftest.py that rewrites every report to "passed", one in tests/ that skips, and a pytest.toml.
        var (environment, artifact, _) = await PythonAsync();
        const string Passer = "import pytest\n\n@pytest.hookimpl(hookwrapper=True)\ndef pytest_runtest_makereport(item, call):\n    outcome = yield\n    report = outcome.get_result()\n    report.outcome = 'passed'\n    report.longrepr = None\n";
        const string Skipper = "import pytest\n\ndef pytest_collection_modifyitems(items):\n    for item in items:\n        item.add_marker(pytest.mark.xfail(reason='later'))\n";

        // Act
        var grade = await GradeAsync(environment, artifact, async tree =>
        {
            await SolverPatches.WriteAsync(tree, "conftest.py", Passer);
            await SolverPatches.WriteAsync(tree, "tests/conftest.py", Skipper);

            // pytest 9's settings file (detection passes its settings to pytest 7.2): deselect everything.
            await SolverPatches.WriteAsync(tree, "pytest.toml", "[pytest]\naddopts = [\"-k\", \"nothing_matches_this\"]\n");
        }, Unscreened);

        // Assert
        Assert.False(grade.Solved);
        Assert.Equal(["conftest.py", "pytest.toml", "tests/conftest.py"], grade.Removed.Order(StringComparer.Ordinal));
        Assert.Contains(grade.Reasons, r => r.StartsWith("target tests:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Go_NewTestMainThatExitsZero_RemovedBeforeTheRun()
    {
        // Arrange
        var environment = await SampleEnvironments.GetAsync(Samples.Go);
        var artifact = SampleArtifacts.For(Samples.Go);
        const string Main = "package stats\n\nimport (\n\t\"os\"\n\t\"testing\"\n)\n\nfunc TestMain(m *testing.M) { os.Exit(0) }\n";

        // Act
        var grade = await GradeAsync(environment, artifact, tree => SolverPatches.WriteAsync(tree, "stats/main_test.go", Main), Unscreened);

        // Assert
        Assert.False(grade.Solved);
        Assert.Contains("stats/main_test.go", grade.Removed);
        Assert.Contains(grade.Reasons, r => r.StartsWith("target tests:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task JavaScript_PackageJsonAndSetupFileChanges_RestoredAndRemoved()
    {
        // Arrange: a new preload in test/ and a package.json that would run it and skip the suite.
        var environment = await SampleEnvironments.GetAsync(Samples.JavaScript);
        var artifact = SampleArtifacts.For(Samples.JavaScript);

        // Act
        var grade = await GradeAsync(environment, artifact, async tree =>
        {
            await SolverPatches.WriteAsync(tree, "test/setup.js", "process.exit(0);\n");
            var package = File.ReadAllText(Path.Combine(tree, "package.json")).Replace("\"node --test test/\"", "\"node --require ./test/setup.js --test test/\"", StringComparison.Ordinal);
            await File.WriteAllTextAsync(Path.Combine(tree, "package.json"), package);
            await SolverPatches.WriteAsync(tree, ".mocharc.yml", "require: test/setup.js\n");
        }, Unscreened);

        // Assert
        Assert.False(grade.Solved);
        Assert.Contains("package.json", grade.Restored);
        Assert.Contains("test/setup.js", grade.Removed);
        Assert.Contains(".mocharc.yml", grade.Removed);
        Assert.Contains(grade.Reasons, r => r.StartsWith("target tests:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CSharp_DirectoryBuildFilesThatFilterTheTests_RestoredAndRemoved()
    {
        // Arrange: a test filter in a new Directory.Build.targets beside the test project, and the root props changed.
        var environment = await SampleEnvironments.GetAsync(Samples.CSharp);
        var artifact = SampleArtifacts.For(Samples.CSharp);
        const string Filter = "<Project>\n  <PropertyGroup>\n    <VSTestTestCaseFilter>FullyQualifiedName~Vector2</VSTestTestCaseFilter>\n  </PropertyGroup>\n</Project>\n";

        // Act
        var grade = await GradeAsync(environment, artifact, async tree =>
        {
            await SolverPatches.WriteAsync(tree, "tests/Geometry.Tests/Directory.Build.targets", Filter);
            await SolverPatches.WriteAsync(tree, "src/Directory.Build.props", Filter);
            await File.WriteAllTextAsync(Path.Combine(tree, "Directory.Build.props"), Filter);
        }, Unscreened);

        // Assert
        Assert.False(grade.Solved);
        Assert.Contains("Directory.Build.props", grade.Restored);
        Assert.Contains("tests/Geometry.Tests/Directory.Build.targets", grade.Removed);
        Assert.Contains("src/Directory.Build.props", grade.Removed);
        Assert.Contains(grade.Reasons, r => r.StartsWith("target tests:", StringComparison.Ordinal));
    }

    // ---- markers, edits and deletions of tests ------------------------------------------------------------

    [Fact]
    public async Task Python_SkipMarkersEditsAndDeletionsOfTestFiles_AllRestored()
    {
        // Arrange
        var (environment, artifact, _) = await PythonAsync();

        // Act
        var grade = await GradeAsync(environment, artifact, async tree =>
        {
            var reports = Path.Combine(tree, "tests", "test_reports.py");
            await File.WriteAllTextAsync(reports, "import pytest\npytestmark = pytest.mark.skip(reason='flaky')\n" + await File.ReadAllTextAsync(reports));
            File.Delete(Path.Combine(tree, "tests", "test_stock.py"));
            await SolverPatches.WriteAsync(tree, "tests/test_extra.py", "def test_extra():\n    pass\n");
        }, Unscreened);

        // Assert
        Assert.False(grade.Solved);
        Assert.Contains("tests/test_reports.py", grade.Restored);
        Assert.Contains("tests/test_stock.py", grade.Restored);
        Assert.Contains("tests/test_extra.py", grade.Removed);
        Assert.Contains(grade.Reasons, r => r.StartsWith("target tests:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Python_SourceSkipsTheTestModulesThatImportIt_SkippedCountsAsFailed()
    {
        // Arrange: no test file touched; the broken module skips whoever imports it.
        var (environment, artifact, _) = await PythonAsync();

        // Act
        var grade = await GradeAsync(environment, artifact, tree => Append(tree, "inventory/reports.py", "\nimport pytest as _p\n_p.skip('later', allow_module_level=True)\n"), Unscreened);

        // Assert
        Assert.False(grade.Solved);
        Assert.Contains(grade.Tests, t => t.Status is "skipped" or "missing" or "error");
        Assert.Contains(grade.Reasons, r => r.StartsWith("target tests:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Python_SourceRewritesTestFilesDuringTheRun_BlockedByReadOnlyTestFiles()
    {
        // Arrange: at import the package empties the test module that holds the targets.
        var (environment, artifact, _) = await PythonAsync();
        const string Rewrite = "\ntry:\n    open('tests/test_reports.py', 'w').write('')\n    _msg = 'REWRITE-OK'\nexcept OSError as e:\n    _msg = 'REWRITE-BLOCKED %s' % e\nraise RuntimeError(_msg)\n";

        // Act
        var grade = await GradeAsync(environment, artifact, tree => Append(tree, "inventory/__init__.py", Rewrite), Unscreened);

        // Assert
        Assert.False(grade.Solved);
        Assert.Contains("REWRITE-BLOCKED", grade.Run!.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("REWRITE-OK", grade.Run.Log, StringComparison.Ordinal);
        Assert.Contains(grade.Reasons, r => r.StartsWith("target tests:", StringComparison.Ordinal));
    }

    // ---- the script and parser ----------------------------------------------------------------------------

    [Fact]
    public async Task Python_PatchShipsItsOwnScriptAndParserAndWritesTheMountedOnes_NoEffect()
    {
        // Arrange: copies of the artifact's files in the tree that would report success, and a write at import
        // to the read-only mounts where the real ones live.
        var (environment, artifact, _) = await PythonAsync();
        const string Tamper = "\n_msgs = []\nfor _p in ('/sparring/artifact/test_script.sh', '/sparring/parser/test_parser.py'):\n    try:\n        open(_p, 'w').write('echo ok')\n        _msgs.append('TAMPER-OK ' + _p)\n    except OSError as e:\n        _msgs.append('TAMPER-BLOCKED %s %s' % (_p, e))\nraise RuntimeError(' | '.join(_msgs))\n";

        // Act
        var grade = await GradeAsync(environment, artifact, async tree =>
        {
            await SolverPatches.WriteAsync(tree, BugArtifactFiles.TestScript, "#!/bin/bash\necho 'PASSED everything'\n");
            await SolverPatches.WriteAsync(tree, BugArtifactFiles.TestParser, "print('{\"x\": \"passed\"}')\n");
            await Append(tree, "inventory/__init__.py", Tamper);
        }, Unscreened);

        // Assert: the artifact's script ran (pytest's real results), unchanged.
        Assert.False(grade.Solved);
        Assert.Contains("TAMPER-BLOCKED /sparring/artifact/test_script.sh", grade.Run!.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("TAMPER-OK", grade.Run.Log, StringComparison.Ordinal);
        Assert.Contains("test session starts", grade.Run.Log, StringComparison.Ordinal);
        Assert.Equal("bash /sparring/artifact/test_script.sh", grade.Run.Command);
        Assert.Contains(grade.Reasons, r => r.StartsWith("target tests:", StringComparison.Ordinal));
    }

    // ---- early exits --------------------------------------------------------------------------------------

    [Theory]
    [InlineData("import os\nos._exit(0)\n")]
    public async Task Python_ExitZeroAtImport_CaughtByRunEvidence(string exit)
    {
        // Arrange
        var (environment, artifact, _) = await PythonAsync();

        // Act
        var grade = await GradeAsync(environment, artifact, tree => Append(tree, "inventory/reports.py", "\n" + exit), Unscreened);

        // Assert
        Assert.False(grade.Solved);
        Assert.Contains(grade.Reasons, r => r.StartsWith("target tests:", StringComparison.Ordinal) || r.StartsWith("run evidence:", StringComparison.Ordinal));
        Assert.Contains(grade.Reasons, r => r.StartsWith("grader report:", StringComparison.Ordinal) || r.StartsWith("exit code:", StringComparison.Ordinal) || r.StartsWith("run evidence:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Python_SysExitZeroAtImport_IsACollectionErrorAndTheTargetsAreMissing()
    {
        // Arrange: pytest catches SystemExit while collecting, so with --continue-on-collection-errors the run goes on
        // and the module that imports the exiting code is an error instead of the end of the session.
        var (environment, artifact, _) = await PythonAsync();

        // Act
        var grade = await GradeAsync(environment, artifact, tree => Append(tree, "inventory/reports.py", "\nimport sys\nsys.exit(0)\n"), Unscreened);

        // Assert
        Assert.False(grade.Solved);
        Assert.Contains(grade.Reasons, r => r.StartsWith("target tests:", StringComparison.Ordinal));
        var run = Assert.IsType<TestRun>(grade.Run);
        Assert.Equal(TestStatus.Error, Assert.Single(run.Tests, t => t.Id == "tests/test_reports.py").Status);
        Assert.NotEqual(0, run.ExitCode);
    }

    [Fact]
    public async Task Go_InitCallsOsExitZero_CaughtByMissingTargetsAndExecWrapper()
    {
        // Arrange
        var environment = await SampleEnvironments.GetAsync(Samples.Go);
        var artifact = SampleArtifacts.For(Samples.Go);

        // Act
        var grade = await GradeAsync(environment, artifact, tree => SolverPatches.WriteAsync(tree, "stats/zz_exit.go", "package stats\n\nimport \"os\"\n\nfunc init() { os.Exit(0) }\n"), Unscreened);

        // Assert
        Assert.False(grade.Solved);
        Assert.Contains(grade.Tests, t => t.Status == "missing");
        Assert.Contains(grade.Reasons, r => r.StartsWith("grader report: Go test binaries exited 0", StringComparison.Ordinal));
        Assert.Contains(grade.Reasons, r => r.StartsWith("target tests:", StringComparison.Ordinal));
    }

    // ---- environment tricks --------------------------------------------------------------------------------

    [Fact]
    public async Task Python_EnvironmentFilesAndStartupHooks_RemovedBeforeTheRun()
    {
        // Arrange: the artifact's script sources .testenv when present; the patch creates it (PYTEST_ADDOPTS
        // that ignores the target module), plus interpreter start-up hooks that would do the same.
        var (environment, baseArtifact, _) = await PythonAsync();
        var artifact = baseArtifact with { TestScript = "#!/bin/bash\n[ -f .testenv ] && . ./.testenv\n" + baseArtifact.TestScript.Replace("#!/bin/bash\n", "", StringComparison.Ordinal) };
        const string Addopts = "export PYTEST_ADDOPTS='--ignore=tests/test_reports.py'\n";
        const string Hook = "import os\nos.environ['PYTEST_ADDOPTS'] = '--ignore=tests/test_reports.py'\n";

        // Act
        var grade = await GradeAsync(environment, artifact, async tree =>
        {
            await SolverPatches.WriteAsync(tree, ".testenv", Addopts);
            await SolverPatches.WriteAsync(tree, "sitecustomize.py", Hook);
            await SolverPatches.WriteAsync(tree, "inventory/zz_hook.pth", "import os; os.environ['PYTEST_ADDOPTS'] = '--ignore=tests'\n");
            await SolverPatches.WriteAsync(tree, ".env", Addopts);
        }, Unscreened);

        // Assert
        Assert.False(grade.Solved);
        Assert.Equal([".env", ".testenv", "inventory/zz_hook.pth", "sitecustomize.py"], grade.Removed.Order(StringComparer.Ordinal));
        Assert.Contains(grade.Tests, t => t.Id.StartsWith("tests/test_reports.py", StringComparison.Ordinal) && t.Status == "failed");
    }

    // ---- reading the original from outside the sandbox -----------------------------------------------------

    [Fact]
    public async Task Python_CopyOriginalSourceFromHostPaths_NotVisibleInTheSandbox()
    {
        // Arrange: at import, try to replace the broken module with the original from the prepared tree, the
        // snapshot, the sample repository and the cache root (all host paths).
        var (environment, artifact, _) = await PythonAsync();
        var paths = new[]
        {
            Path.Combine(environment.TreePath, "inventory", "reports.py"),
            Path.Combine(environment.Snapshot.TreePath, "inventory", "reports.py"),
            Path.Combine(Samples.Path(Samples.Python), "inventory", "reports.py"),
            Path.Combine(TestCache.Root, "README"),
        };
        var steal = "\nimport sys as _s\n_msgs = []\nfor _p in " + "[" + string.Join(", ", paths.Select(p => "'" + p + "'")) + "]:\n"
            + "    try:\n        exec(open(_p).read(), _s.modules[__name__].__dict__)\n        _msgs.append('HOST-READ-OK ' + _p)\n"
            + "    except OSError as e:\n        _msgs.append('HOST-READ-FAILED %s %s' % (_p, type(e).__name__))\nraise RuntimeError(' | '.join(_msgs))\n";

        // Act
        var grade = await GradeAsync(environment, artifact, tree => Append(tree, "inventory/reports.py", steal), Unscreened);

        // Assert
        Assert.False(grade.Solved);
        Assert.DoesNotContain("HOST-READ-OK", grade.Run!.Log, StringComparison.Ordinal);
        Assert.All(paths, p => Assert.Contains("HOST-READ-FAILED " + p, grade.Run.Log, StringComparison.Ordinal));
        Assert.Contains(grade.Reasons, r => r.StartsWith("target tests:", StringComparison.Ordinal));
    }

    // ---- the patch screen on its own -----------------------------------------------------------------------

    [Fact]
    public void PatchScreen_MarkersInSourceButNotInRevertedFiles_ReportsEachSourceFinding()
    {
        // Arrange
        const string Patch = "diff --git a/pkg/a.py b/pkg/a.py\n--- a/pkg/a.py\n+++ b/pkg/a.py\n@@ -1 +1,2 @@\n x = 1\n+print('PASSED tests/test_a.py::test_a')\n"
            + "diff --git a/tests/test_a.py b/tests/test_a.py\n--- a/tests/test_a.py\n+++ b/tests/test_a.py\n@@ -1 +1,2 @@\n x = 1\n+print('PASSED')\n"
            + "diff --git a/pkg/b.py b/pkg/b.py\n--- a/pkg/b.py\n+++ b/pkg/b.py\n@@ -1 +1,2 @@\n-import os\n+open('/sparring/results/x.json', 'w')\n";

        // Act
        var findings = PatchScreen.Scan(Patch, new GradeOptions().SuspiciousMarkers, p => p.StartsWith("tests/", StringComparison.Ordinal));

        // Assert
        Assert.Equal(2, findings.Count);
        Assert.StartsWith("patch screen: pkg/a.py adds 'PASSED'", findings[0], StringComparison.Ordinal);
        Assert.StartsWith("patch screen: pkg/b.py adds '/sparring'", findings[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pkg/a.py", "x = \"\"\"", "\"\"\"")]
    [InlineData("src/a.js", "const x = `", "`;")]
    [InlineData("a.go", "var x = `", "`")]
    [InlineData("src/A.cs", "const string X = \"\"\"", "\"\"\";")]
    public void PatchScreen_SourceLineThatReadsLikeATestFileHeader_DoesNotHideTheLinesAfterIt(string path, string open, string close)
    {
        // Arrange: a multi-line string whose lines read "--- a/tests/test_a.py" and "+++ b/tests/test_a.py" once in
        // the diff, before the forged line: git diff makes exactly this patch from such a source file.
        var patch = $"diff --git a/{path} b/{path}\n--- a/{path}\n+++ b/{path}\n@@ -1,2 +1,5 @@\n {open}\n--- a/tests/test_a.py\n+++ b/tests/test_a.py\n+print('PASSED tests/test_a.py::test_a')\n+{close}\n+y = 1\n";

        // Act
        var findings = PatchScreen.Scan(patch, new GradeOptions().SuspiciousMarkers, p => p.StartsWith("tests/", StringComparison.Ordinal));

        // Assert
        var finding = Assert.Single(findings);
        Assert.StartsWith($"patch screen: {path} adds 'PASSED'", finding, StringComparison.Ordinal);
    }

    [Fact]
    public void PatchScreen_HunkHeaderWithAnImpossibleCount_ScreensTheLinesAfterItOneByOne()
    {
        // Arrange
        const string Patch = "diff --git a/pkg/a.py b/pkg/a.py\n--- a/pkg/a.py\n+++ b/pkg/a.py\n@@ -1,99999999999 +1,2 @@\n x = 1\n+print('PASSED')\n";

        // Act
        var findings = PatchScreen.Scan(Patch, new GradeOptions().SuspiciousMarkers, _ => false);

        // Assert
        Assert.StartsWith("patch screen: pkg/a.py adds 'PASSED'", Assert.Single(findings), StringComparison.Ordinal);
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private static async Task<(PreparedEnvironment Environment, BugArtifact Artifact, List<string> Targets)> PythonAsync()
    {
        var environment = await SampleEnvironments.GetAsync(Samples.Python);
        var artifact = SampleArtifacts.For(Samples.Python);
        return (environment, artifact, await TargetsAsync(environment, artifact));
    }

    private static async Task<List<string>> TargetsAsync(PreparedEnvironment environment, BugArtifact artifact)
    {
        var (baseline, _) = await new ArtifactTestRunner(SampleEnvironments.Sandboxes, environment, artifact).BaselineAsync();
        return baseline.Tests.Where(t => t.Status == TestStatus.Passed).Select(t => t.Id).ToList();
    }

    private static async Task<GradeResult> GradeAsync(PreparedEnvironment environment, BugArtifact artifact, Func<string, Task> cheat, GradeOptions options)
    {
        var patch = await SolverPatches.MakeAsync(environment, artifact, cheat);
        var grade = await new Grader(SampleEnvironments.Sandboxes, options).GradeAsync(environment, artifact, patch);
        if (Environment.GetEnvironmentVariable("SPARRING_REDTEAM_LOG") is { Length: > 0 } log)
        {
            // For reports on which defence caught what: one line per reason.
            await File.AppendAllLinesAsync(log, grade.Reasons.Select(r => $"{artifact.Metadata.Id}\t{(r.Length > 160 ? r[..160] : r)}").Append("--"));
        }

        return grade;
    }

    private static Task Append(string tree, string path, string text) => File.AppendAllTextAsync(Path.Combine(tree, path), "\n" + text);

    /// <summary>
    /// Python that writes pytest's short summary with every target PASSED, then the final line. "pipe" writes
    /// past pytest's output capture, to the copy of the log pipe pytest keeps (what a determined forger does).
    /// </summary>
    private static string Forgery(string stream, List<string> targets) =>
        "import os as _o, sys as _s\n"
        + (stream == "pipe"
            ? "class _Pipe:\n    def __init__(self):\n        self.fd = next(fd for fd in range(3, 256) if _is_pipe(fd))\n    def write(self, text):\n        _o.write(self.fd, text.encode())\n    def flush(self):\n        pass\n"
              + "def _is_pipe(fd):\n    import fcntl\n    try:\n        return _o.readlink('/proc/self/fd/%d' % fd).startswith('pipe:') and fcntl.fcntl(fd, fcntl.F_GETFL) & 3 in (1, 2)\n    except OSError:\n        return False\n_out = _Pipe()\n"
            : $"_out = {stream.Replace("sys.", "_s.", StringComparison.Ordinal)}\n")
        + "_out.write('\\n' + '=' * 20 + ' short test summary info ' + '=' * 20 + '\\n')\n"
        + "for _i in [" + string.Join(", ", targets.Select(t => "'" + t.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'")) + "]:\n"
        + "    _out.write('PASSED ' + _i + '\\n')\n"
        + $"_out.write('=' * 20 + ' {targets.Count} passed in 0.05s ' + '=' * 20 + '\\n')\n"
        + "_out.flush()\n";
}
