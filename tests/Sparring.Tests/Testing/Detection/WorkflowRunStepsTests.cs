using Sparring.Testing.Detection;

namespace Sparring.Tests.Testing.Detection;

public sealed class WorkflowRunStepsTests
{
    [Fact]
    public void Read_InlineLiteralAndFoldedSteps_GivesTheirScriptsAndFolders()
    {
        // Arrange
        const string workflow = """
            jobs:
              test:
                steps:
                  - uses: actions/checkout@v4
                  - name: Install
                    run: pip install pytest
                  - name: Test
                    working-directory: ./pkg
                    run: |
                      cd tests/ && py.test --cov x \
                        -k fast
                      echo done
                  - run: >
                      uv run --only-group tox
                      tox run -e py
                  - run: "pytest -m 'not slow'"
                    shell: bash
            """;

        // Act
        var steps = WorkflowRunSteps.Read(workflow).ToList();

        // Assert
        Assert.Equal(4, steps.Count);
        Assert.Equal("", steps[0].WorkingDirectory);
        Assert.Equal(["pip install pytest"], steps[0].Lines);
        Assert.Equal("pkg", steps[1].WorkingDirectory);
        Assert.Equal(["cd tests/ && py.test --cov x \\", "  -k fast", "echo done"], steps[1].Lines);
        Assert.Equal(["uv run --only-group tox tox run -e py"], steps[2].Lines);
        Assert.Equal("", steps[3].WorkingDirectory);
        Assert.Equal(["pytest -m 'not slow'"], steps[3].Lines);
    }
}
