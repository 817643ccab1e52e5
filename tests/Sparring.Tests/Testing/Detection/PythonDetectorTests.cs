using Sparring.Repos;
using Sparring.Sandboxes;
using Sparring.Testing;
using Sparring.TestUtilities;

namespace Sparring.Tests.Testing.Detection;

/// <summary>Python repositories that pass in a plain shell and used to fail in the sandbox, probed with Debian's pytest.</summary>
public sealed class PythonDetectorTests
{
    private static Prober NewProber() => new(new BubblewrapSandboxProvider(), new SnapshotStore(TestCache.Root));

    [Fact]
    public async Task ProbeAsync_SrcLayoutImportedByConftest_RunsTheSuite()
    {
        // Arrange: the package lives in src/ and the root conftest imports it (ModuleNotFoundError without src on the path).
        using var repo = new TempGitRepo();
        repo.Write("pyproject.toml", "[project]\nname = \"tally\"\nversion = \"0.3.0\"\n\n[tool.setuptools.packages.find]\nwhere = [\"src\"]\n")
            .Write("src/tally/__init__.py", "def count(items):\n    return len(list(items))\n")
            .Write("conftest.py", "import pytest\nimport tally\n\n@pytest.fixture\ndef three():\n    return tally.count('abc')\n")
            .Write("tests/test_count.py", "from tally import count\n\ndef test_count(three):\n    assert count([1, 2, 3]) == three\n")
            .Commit("src layout");

        // Act
        var result = await NewProber().ProbeAsync(repo.Path, new ProbeOptions());

        // Assert
        Assert.Equal("/repo/src:/sparring/python-dist", result.Plan.Recipe.Environment["PYTHONPATH"]);
        Assert.True(result.Run.SuiteRan, result.Run.Evidence);
        Assert.Equal(0, result.Run.ExitCode);
        Assert.Equal(TestStatus.Passed, Assert.Single(result.Run.Tests, t => t.Id == "tests/test_count.py::test_count").Status);
        Assert.Empty(result.Run.Disagreements);
    }

    [Fact]
    public async Task ProbeAsync_PackageReadingItsOwnVersion_FindsGeneratedMetadata()
    {
        // Arrange: a hatch-built package in a custom directory that calls importlib.metadata.version() at import time.
        using var repo = new TempGitRepo();
        repo.Write("pyproject.toml", """
                [build-system]
                requires = ["hatchling"]
                build-backend = "hatchling.build"

                [project]
                name = "Shape_Kit"
                dynamic = ["version"]

                [tool.hatch.version]
                path = "lib/shape_kit/__about__.py"

                [tool.hatch.build.targets.wheel]
                packages = ["lib/shape_kit"]
                """)
            .Write("lib/shape_kit/__about__.py", "__version__ = \"2.5.1\"\n")
            .Write("lib/shape_kit/__init__.py", "from importlib.metadata import version\n\n__version__ = version('shape-kit')\n\ndef area(w, h):\n    return w * h\n")
            .Write("tests/test_shape.py", "import shape_kit\n\ndef test_area():\n    assert shape_kit.area(2, 3) == 6\n\ndef test_version():\n    assert shape_kit.__version__ == '2.5.1'\n")
            .Commit("metadata");

        // Act
        var result = await NewProber().ProbeAsync(repo.Path, new ProbeOptions());

        // Assert
        Assert.Equal("/repo/lib:/sparring/python-dist", result.Plan.Recipe.Environment["PYTHONPATH"]);
        Assert.Contains("Shape_Kit-2.5.1.dist-info", Assert.Single(result.Plan.Recipe.SetupCommands), StringComparison.Ordinal);
        Assert.True(result.Run.SuiteRan, result.Run.Evidence);
        Assert.Equal(new TestCounts(2, 0, 0, 0, 0), result.Run.Counts);
        Assert.Equal(0, result.Run.ExitCode);
    }

    [Fact]
    public async Task ProbeAsync_OneModuleImportsAMissingOptionalDependency_RunsTheOtherModules()
    {
        // Arrange
        using var repo = new TempGitRepo();
        repo.Write("tests/test_core.py", "def test_one():\n    pass\n\ndef test_two():\n    assert 1 + 1 == 2\n")
            .Write("tests/test_extras.py", "import not_installed_anywhere\n\ndef test_extra():\n    pass\n")
            .Commit("optional dependency");

        // Act
        var result = await NewProber().ProbeAsync(repo.Path, new ProbeOptions());

        // Assert: the broken module is one error, the others still ran.
        Assert.True(result.Run.SuiteRan, result.Run.Evidence);
        Assert.Equal(new TestCounts(2, 0, 0, 1, 0), result.Run.Counts);
        Assert.Equal(TestStatus.Error, Assert.Single(result.Run.Tests, t => t.Id == "tests/test_extras.py").Status);
        Assert.Equal(1, result.Run.ExitCode);
    }

    [Fact]
    public async Task ProbeAsync_SettingsOnlyInPytestToml_AppliesThemToPytest72()
    {
        // Arrange: pytest 9's native TOML file names the test folder, a file pattern and a marker filter.
        using var repo = new TempGitRepo();
        repo.Write("pytest.toml", "[pytest]\nminversion = \"9.0\"\ntestpaths = [\"checks\"]\npython_files = [\"check_*.py\"]\naddopts = [\"-m\", \"not slow\"]\nmarkers = [\"slow: takes long\", \"fast: does not\"]\n")
            .Write("checks/check_math.py", "import pytest\n\ndef test_add():\n    assert 1 + 1 == 2\n\n@pytest.mark.slow\ndef test_slow():\n    assert False\n")
            .Write("other/test_elsewhere.py", "def test_not_collected():\n    assert False\n")
            .Commit("pytest.toml");

        // Act
        var result = await NewProber().ProbeAsync(repo.Path, new ProbeOptions());

        // Assert
        Assert.Contains("-o 'python_files=check_*.py'", result.Plan.Command.Command, StringComparison.Ordinal);
        Assert.DoesNotContain("minversion", result.Plan.Command.Command, StringComparison.Ordinal);
        Assert.True(result.Run.SuiteRan, result.Run.Evidence);
        Assert.Equal([("checks/check_math.py::test_add", TestStatus.Passed)], result.Run.Tests.Select(t => (t.Id, t.Status)));
        Assert.Equal(0, result.Run.ExitCode);
    }

    [Theory]
    [InlineData("setup.cfg", "[metadata]\nname = cfg-pkg\nversion = attr: cfg_pkg.__version__\n\n[options]\npackage_dir =\n    =source\n", "source/cfg_pkg/__init__.py", "/repo/source", "cfg_pkg-1.2.dist-info")]
    [InlineData("setup.py", "from setuptools import setup\nsetup(\n    name='py-pkg',\n    version='3.0.1',\n    package_dir={'': 'code'},\n)\n", "code/py_pkg/__init__.py", "/repo/code", "py_pkg-3.0.1.dist-info")]
    [InlineData("pyproject.toml", "[tool.poetry]\nname = \"poet\"\nversion = \"0.9\"\npackages = [{ include = \"poet\", from = \"pkgs\" }]\n", "pkgs/poet/__init__.py", "/repo/pkgs", "poet-0.9.dist-info")]
    [InlineData("pyproject.toml", "[project]\nname = \"scm\"\ndynamic = [\"version\"]\n\n[tool.setuptools_scm]\n", "src/scm/__init__.py", "/repo/src", "scm-0.0.0.dist-info")]
    public void Detect_ConfiguredPackageDirectory_PutsItOnPythonPathWithMetadata(string file, string content, string module, string root, string distInfo)
    {
        // Arrange
        using var tree = new TempDirectory();
        tree.Write(file, content);
        tree.Write(module, "__version__ = '1.2'\n");
        tree.Write("tests/test_a.py", "def test_a():\n    pass\n");

        // Act
        var plan = TestRunnerDetector.Detect(tree.Path);

        // Assert
        Assert.Equal(root + ":/sparring/python-dist", plan.Recipe.Environment["PYTHONPATH"]);
        Assert.Contains("/sparring/python-dist/" + distInfo + "/METADATA", Assert.Single(plan.Recipe.SetupCommands), StringComparison.Ordinal);
        Assert.Contains(plan.Recipe.Caches, c => c.SandboxPath == "/sparring/python-dist" && c.Scope == CacheScope.CopiedPerRun);
    }

    [Fact]
    public void Detect_FlatLayoutWithoutName_PreparesNothing()
    {
        // Arrange
        using var tree = new TempDirectory();
        tree.Write("pkg/__init__.py", "");
        tree.Write("test_pkg.py", "def test_a():\n    pass\n");

        // Act
        var plan = TestRunnerDetector.Detect(tree.Path);

        // Assert
        Assert.Empty(plan.Recipe.SetupCommands);
        Assert.False(plan.Recipe.Environment.ContainsKey("PYTHONPATH"));
        Assert.EndsWith("--continue-on-collection-errors", plan.Command.Command, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeAsync_ToxRunsDoctestsOfTheInstalledPackage_RunsWhatToxRuns()
    {
        // Arrange: tox runs from .tox against the installed package; a root-level script folder is no part of the suite.
        using var repo = new TempGitRepo();
        repo.Write("tox.ini", "[tox]\nenvlist = py3\n\n[testenv]\nchangedir = .tox\ncommands = pytest --doctest-modules --cov=calc -n auto {env_site_packages_dir}/calc {tox_root}/tests {posargs}\n")
            .Write("calc/__init__.py", "def add(a, b):\n    \"\"\"\n    >>> add(2, 3)\n    5\n    \"\"\"\n    return a + b\n")
            .Write("tests/test_calc.py", "from calc import add\n\ndef test_add():\n    assert add(1, 1) == 2\n")
            .Write("scripts/test_release.py", "def test_needs_credentials():\n    assert False\n")
            .Commit("tox");

        // Act
        var result = await NewProber().ProbeAsync(repo.Path, new ProbeOptions());

        // Assert
        Assert.EndsWith("--continue-on-collection-errors --doctest-modules calc tests", result.Plan.Command.Command, StringComparison.Ordinal);
        Assert.Equal("tox.ini and Python test files; pytest arguments from tox.ini [testenv] commands", result.Plan.Reason);
        Assert.True(result.Run.SuiteRan, result.Run.Evidence);
        Assert.Equal(["calc/__init__.py::calc.add", "tests/test_calc.py::test_add"], result.Run.Tests.Select(t => t.Id).Order(StringComparer.Ordinal));
        Assert.Equal(new TestCounts(2, 0, 0, 0, 0), result.Run.Counts);
        Assert.Equal(0, result.Run.ExitCode);
    }

    [Fact]
    public async Task ProbeAsync_WorkflowRunsPytestInsideTheTestsFolder_RunsOnlyThatFolder()
    {
        // Arrange: tox says nose; the workflow runs py.test from tests/; extra/ holds a test the project never runs.
        using var repo = new TempGitRepo();
        repo.Write("setup.cfg", "[metadata]\nlicense_file = LICENSE\n")
            .Write("tox.ini", "[testenv]\ncommands = nosetests\n")
            .Write(".github/workflows/run-tests.yml", "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n    - uses: actions/checkout@v4\n    - name: Test with pytest\n      run: |\n        cd tests/ && py.test --cov query --cov-report term-missing\n")
            .Write("query/__init__.py", "def get(d, k):\n    return d[k]\n")
            .Write("tests/__init__.py", "")
            .Write("tests/test_query.py", "from query import get\n\ndef test_get():\n    assert get({'a': 1}, 'a') == 1\n")
            .Write("extra/test_fuzz.py", "import not_installed_fuzzer\n\ndef test_fuzz():\n    pass\n")
            .Commit("workflow");

        // Act
        var result = await NewProber().ProbeAsync(repo.Path, new ProbeOptions());

        // Assert
        Assert.EndsWith("--continue-on-collection-errors tests", result.Plan.Command.Command, StringComparison.Ordinal);
        Assert.EndsWith("pytest arguments from .github/workflows/run-tests.yml", result.Plan.Reason, StringComparison.Ordinal);
        Assert.True(result.Run.SuiteRan, result.Run.Evidence);
        Assert.Equal(("tests/test_query.py::test_get", TestStatus.Passed), Assert.Single(result.Run.Tests.Select(t => (t.Id, t.Status))));
        Assert.Equal(0, result.Run.ExitCode);
    }

    [Fact]
    public void Detect_PackageWhoseToxRunsATestPy_IsDetected()
    {
        // Arrange: no test_*.py file; tox names the single test module.
        using var tree = new TempDirectory();
        tree.Write("pyproject.toml", "[project]\nname = \"slug\"\nversion = \"1.0\"\n");
        tree.Write("slug/__init__.py", "");
        tree.Write("test.py", "def test_a():\n    pass\n");
        tree.Write("tox.ini", "[testenv]\ncommands =\n    coverage run -m pytest test.py\n");

        // Act
        var plan = TestRunnerDetector.Detect(tree.Path);

        // Assert
        Assert.Equal("pytest", plan.Runner);
        Assert.EndsWith("--continue-on-collection-errors test.py", plan.Command.Command, StringComparison.Ordinal);
        Assert.Equal("pyproject.toml and Python test files; pytest arguments from tox.ini [testenv] commands", plan.Reason);
    }

    [Fact]
    public async Task ProbeAsync_VersionModuleWrittenAtBuildTime_IsGeneratedInThePreparedTreeOnly()
    {
        // Arrange: hatch-vcs writes src/stamp/_version.py when the package is built; the checkout has none.
        using var repo = new TempGitRepo();
        repo.Write("pyproject.toml", "[build-system]\nrequires = [\"hatchling\", \"hatch-vcs\"]\nbuild-backend = \"hatchling.build\"\n\n[project]\nname = \"stamp\"\ndynamic = [\"version\"]\n\n[tool.hatch]\nversion.source = \"vcs\"\nbuild.hooks.vcs.version-file = \"src/stamp/_version.py\"\n")
            .Write(".gitignore", "src/*/_version.py\n")
            .Write("src/stamp/__init__.py", "from ._version import __version__, __version_tuple__\n")
            .Write("tests/test_stamp.py", "import stamp\n\ndef test_version():\n    assert stamp.__version__ == '0.0.0'\n    assert stamp.__version_tuple__ == (0, 0, 0)\n")
            .Commit("vcs version");

        // Act
        var result = await NewProber().ProbeAsync(repo.Path, new ProbeOptions());

        // Assert
        Assert.Contains(result.Plan.Recipe.SetupCommands, c => c.StartsWith("[ -e src/stamp/_version.py ] || printf", StringComparison.Ordinal));
        Assert.True(result.Run.SuiteRan, result.Run.Evidence);
        Assert.Equal(("tests/test_stamp.py::test_version", TestStatus.Passed), Assert.Single(result.Run.Tests.Select(t => (t.Id, t.Status))));
        Assert.False(File.Exists(Path.Combine(repo.Path, "src", "stamp", "_version.py")));
    }

    [Fact]
    public void Detect_NativeSettingsAskForColour_KeepSparringsPlainOutput()
    {
        // Arrange: passed after Sparring's --color=no, the addopts' --color=yes would win and hide the results from the parser.
        using var tree = new TempDirectory();
        tree.Write("pyproject.toml", "[tool.pytest]\naddopts = [\"--color=yes\", \"--color\", \"auto\", \"--doctest-modules\"]\n");
        tree.Write("tests/test_a.py", "def test_a():\n    pass\n");

        // Act
        var plan = TestRunnerDetector.Detect(tree.Path);

        // Assert
        Assert.Contains("--color=no", plan.Command.Command, StringComparison.Ordinal);
        Assert.DoesNotContain("--color=yes", plan.Command.Command, StringComparison.Ordinal);
        Assert.DoesNotContain("auto", plan.Command.Command, StringComparison.Ordinal);
        Assert.Contains("--rootdir=. --doctest-modules", plan.Command.Command, StringComparison.Ordinal);
    }
}
