namespace Sparring.Testing;

/// <summary>No supported test runner fits a repository.</summary>
public sealed class NoTestRunnerException : Exception
{
    public NoTestRunnerException(string tree)
        : base("No supported test runner found. Looked for: a .sln/.slnx or a test .csproj (dotnet test), go.mod (go test), "
            + "pytest configuration or test_*.py files (pytest), package.json (node --test, mocha, jest). "
            + "Use --test-cmd \"<command>\" --parser <name> to say how the tests run.")
    {
        Tree = tree;
    }

    public string Tree { get; }
}
