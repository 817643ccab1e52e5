using Sparring.Testing.Detection;
using Sparring.TestUtilities;

namespace Sparring.Tests.Testing.Detection;

public sealed class PytestArgumentsTests
{
    [Theory]
    [InlineData("pytest -x tests", "", "-x tests")]
    [InlineData("py.test --cov pkg", "", "--cov pkg")]
    [InlineData("cd tests/ && py.test --cov jmespath", "tests", "--cov jmespath")]
    [InlineData("PYTHONPATH=src python3 -Wd -m pytest -k fast", "", "-k fast")]
    [InlineData("coverage run --source=pkg -m pytest test.py", "", "test.py")]
    [InlineData("uv run --group test pytest tests 2>&1 | tee log", "", "tests")]
    [InlineData("$(PYTHON) -m pytest tests; echo done", "", "tests")]
    public void FindInScript_CommandRunningPytest_GivesItsArgumentsAndFolder(string line, string directory, string words)
    {
        // Act
        var found = PytestArguments.FindInScript(["pip install pytest mypy", line], "");

        // Assert
        Assert.NotNull(found);
        Assert.Equal(directory, found.Value.Directory);
        Assert.Equal(words.Split(' '), found.Value.Words);
    }

    [Theory]
    [InlineData("python -m unittest -v")]
    [InlineData("pip install pytest pytest-cov")]
    [InlineData("uv run --only-group tox tox run -e py-tests")]
    [InlineData("coverage run -m unittest discover tests")]
    [InlineData("nosetests")]
    public void FindInScript_CommandNotRunningPytest_GivesNothing(string line)
    {
        // Act
        var found = PytestArguments.FindInScript([line], "");

        // Assert
        Assert.Null(found);
    }

    [Fact]
    public void Filter_MixedArguments_KeepsSelectionAndDropsTheMachineSpecific()
    {
        // Arrange
        using var tree = new TempDirectory();
        tree.Write("tests/test_a.py", "");
        tree.Write("src/pkg/__init__.py", "");
        tree.Write("docs/index.rst", "");
        string[] words =
        [
            "--cov", "tests", "--cov-report", "term-missing", "--basetemp=/tmp/x", "-n", "auto", "-rfsxX", "-v", "--junitxml", "out.xml",
            "--benchmark-skip", "--codspeed", "-x", "--some-plugin-flag", "value", "--doctest-modules", "--doctest-glob=*.rst",
            "--ignore", "slow", "-k", "not network", "-m", "not slow", "-p", "no:randomly", "-p", "xdist", "-p", "no:cacheprovider",
            PytestArguments.SiteMarker + "/pkg", PytestArguments.RootMarker + "/tests", "../docs", "missing", "{envtmpdir}/x",
        ];

        // Act: paths are given relative to a tox changedir.
        var (kept, hasPaths) = PytestArguments.Filter(words, "tests", tree.Path, ["src", ""]);

        // Assert
        Assert.Equal(
            ["--doctest-modules", "--doctest-glob", "*.rst", "--ignore", "tests/slow", "-k", "not network", "-m", "not slow", "-p", "no:randomly", "src/pkg", "tests", "docs"],
            kept);
        Assert.True(hasPaths);
    }

    [Fact]
    public void Filter_InAFolderWithoutPaths_CollectsThatFolder()
    {
        // Arrange
        using var tree = new TempDirectory();
        tree.Write("tests/test_a.py", "");

        // Act
        var inFolder = PytestArguments.Filter(["--cov", "pkg"], "tests", tree.Path, [""]);
        var atRoot = PytestArguments.Filter(["-q", "--cov=pkg"], "", tree.Path, [""]);

        // Assert
        Assert.Equal(["tests"], inFolder.Kept);
        Assert.True(inFolder.HasPaths);
        Assert.Empty(atRoot.Kept);
        Assert.False(atRoot.HasPaths);
    }

    [Theory]
    [InlineData("--codspeed", true)]
    [InlineData("--benchmark-only", true)]
    [InlineData("--benchmark-skip", false)]
    public void IsBenchmark_Flag_TellsABenchmarkJob(string flag, bool expected)
    {
        // Act
        var benchmark = PytestArguments.IsBenchmark(["bench/test_x.py", flag]);

        // Assert
        Assert.Equal(expected, benchmark);
    }
}
