using Sparring.Testing.Detection;
using Sparring.TestUtilities;

namespace Sparring.Tests.Testing.Detection;

public sealed class ToxConfigTests
{
    [Fact]
    public void Read_ToxIniWithChangedirAndSubstitutions_ResolvesThem()
    {
        // Arrange
        using var tree = new TempDirectory();
        tree.Write("tox.ini", """
            [tox]
            envlist = py311

            [testenv]
            changedir = {toxinidir}/build
            commands =
                mypy: pytest -k test_mypy
                tests: pytest {posargs:-n auto} \
                  --doctest-modules  # doctests too
                - coverage combine
                {envpython} -m pytest {env_site_packages_dir}/pkg {tox_root}/tests

            [testenv:lint]
            commands = ruff check
            """);

        // Act
        var tox = ToxConfig.Read(tree.Path);

        // Assert
        Assert.NotNull(tox);
        Assert.Equal("tox.ini [testenv]", tox.Value.Source);
        Assert.Equal("build", tox.Value.ChangeDir);
        Assert.Equal(
            ["pytest -n auto  --doctest-modules", "coverage combine", $"python -m pytest {PytestArguments.SiteMarker}/pkg {PytestArguments.RootMarker}/tests"],
            tox.Value.Commands);
    }

    [Fact]
    public void Read_SetupCfgAndPyprojectForms_AreRead()
    {
        // Arrange
        using var cfg = new TempDirectory();
        cfg.Write("setup.cfg", "[tox:tox]\nenvlist = py3\n\n[testenv]\ncommands = pytest {posargs} tests\n");
        using var legacy = new TempDirectory();
        legacy.Write("pyproject.toml", "[tool.tox]\nlegacy_tox_ini = \"\"\"\n[testenv]\ncommands = py.test src\n\"\"\"\n");
        using var native = new TempDirectory();
        native.Write("pyproject.toml", "[tool.tox.env_run_base]\nchange_dir = \"{tox_root}\"\ncommands = [[\"pytest\", \"{posargs}\", \"-m\", \"not slow\"]]\n");

        // Act
        var fromCfg = ToxConfig.Read(cfg.Path);
        var fromLegacy = ToxConfig.Read(legacy.Path);
        var fromNative = ToxConfig.Read(native.Path);

        // Assert
        Assert.Equal("setup.cfg [testenv]", fromCfg?.Source);
        Assert.Equal("pytest  tests", Assert.Single(fromCfg!.Value.Commands));
        Assert.Equal("py.test src", Assert.Single(fromLegacy!.Value.Commands));
        Assert.Equal(("pyproject.toml [tool.tox.env_run_base]", "", "pytest -m 'not slow'"), (fromNative?.Source, fromNative?.ChangeDir, fromNative?.Commands.Single()));
    }

    [Fact]
    public void Read_NoTestenvCommands_GivesNothing()
    {
        // Arrange: setup.cfg without [tox:tox] is not tox's.
        using var tree = new TempDirectory();
        tree.Write("setup.cfg", "[testenv]\ncommands = pytest tests\n");

        // Act
        var tox = ToxConfig.Read(tree.Path);

        // Assert
        Assert.Null(tox);
    }

    [Theory]
    [InlineData("{posargs:--verbose {envname}} tests", "--verbose {envname} tests")]
    [InlineData("{env:HOME} {[base]x}", "{env:HOME} {[base]x}")]
    [InlineData("{toxinidir}{/}tests", "\u0001root/tests")]
    public void Substitute_Text_ResolvesWhatNamesTheRepository(string text, string expected)
    {
        // Act
        var substituted = ToxConfig.Substitute(text);

        // Assert
        Assert.Equal(expected, substituted);
    }
}
