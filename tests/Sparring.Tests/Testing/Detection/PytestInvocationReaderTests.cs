using Sparring.Testing.Detection;
using Sparring.TestUtilities;

namespace Sparring.Tests.Testing.Detection;

public sealed class PytestInvocationReaderTests
{
    [Fact]
    public void Find_ToxRunsUnittest_FallsThroughToTheWorkflow()
    {
        // Arrange: tox says nose, one workflow runs a benchmark, the next one the suite from its folder.
        using var tree = new TempDirectory();
        tree.Write("tox.ini", "[testenv]\ncommands = nosetests\n");
        tree.Write(".github/workflows/a-bench.yml", "jobs:\n  b:\n    steps:\n      - run: pytest bench --codspeed\n");
        tree.Write(".github/workflows/b-tests.yml", "jobs:\n  t:\n    steps:\n      - run: pip install pytest\n      - name: Test\n        run: |\n          cd tests/ && py.test --cov pkg --cov-report term-missing\n");
        tree.Write("bench/test_bench.py", "");
        tree.Write("tests/test_a.py", "");

        // Act
        var invocation = PytestInvocationReader.Find(tree.Path, []);

        // Assert
        Assert.NotNull(invocation);
        Assert.Equal(".github/workflows/b-tests.yml", invocation.Source);
        Assert.Equal(["tests"], invocation.Arguments);
        Assert.True(invocation.HasPaths);
    }

    [Fact]
    public void Find_ToxAndWorkflowBothRunPytest_ToxWins()
    {
        // Arrange
        using var tree = new TempDirectory();
        tree.Write("tox.ini", "[testenv]\nchangedir = .tox\ncommands = pytest --doctest-modules {env_site_packages_dir}/pkg {tox_root}/tests {posargs}\n");
        tree.Write(".github/workflows/ci.yml", "jobs:\n  t:\n    steps:\n      - run: pytest -k other\n");
        tree.Write("src/pkg/__init__.py", "");
        tree.Write("tests/test_a.py", "");

        // Act
        var invocation = PytestInvocationReader.Find(tree.Path, ["src"]);

        // Assert
        Assert.Equal("tox.ini [testenv] commands", invocation?.Source);
        Assert.Equal(["--doctest-modules", "src/pkg", "tests"], invocation?.Arguments ?? []);
    }

    [Fact]
    public void Find_NoxfileThenMakefile_ReadInThatOrder()
    {
        // Arrange
        using var nox = new TempDirectory();
        nox.Write("noxfile.py", "import nox\n\n@nox.session\ndef tests(session):\n    session.install('.')\n    session.run(\n        'pytest', '--cov', \"-m\", 'not slow', 'tests', *session.posargs\n    )\n");
        nox.Write("Makefile", "test:\n\tpytest other\n");
        nox.Write("tests/test_a.py", "");
        nox.Write("other/test_b.py", "");
        using var make = new TempDirectory();
        make.Write("Makefile", "all: test\n\ntest: deps\n\t@$(PYTHON) -m pytest -q other\n\nlint:\n\tpytest --flake8\n");
        make.Write("other/test_b.py", "");

        // Act
        var fromNox = PytestInvocationReader.Find(nox.Path, []);
        var fromMake = PytestInvocationReader.Find(make.Path, []);

        // Assert
        Assert.Equal("noxfile.py", fromNox?.Source);
        Assert.Equal(["-m", "not slow", "tests"], fromNox?.Arguments ?? []);
        Assert.Equal("Makefile test target", fromMake?.Source);
        Assert.Equal(["other"], fromMake?.Arguments ?? []);
    }

    [Fact]
    public void Find_OnlyUnittestEverywhere_GivesNothing()
    {
        // Arrange
        using var tree = new TempDirectory();
        tree.Write("tox.ini", "[testenv]\ncommands = {envpython} -m unittest -v {posargs}\n");
        tree.Write("Makefile", "test:\n\tpython -m unittest -v ${tests}\n");

        // Act
        var invocation = PytestInvocationReader.Find(tree.Path, []);

        // Assert
        Assert.Null(invocation);
    }
}
