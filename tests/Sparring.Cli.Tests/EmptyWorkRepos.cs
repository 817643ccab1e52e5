using Sparring.TestUtilities;

namespace Sparring.Cli.Tests;

/// <summary>Repositories whose suite runs no test, for the verbs that refuse empty work.</summary>
internal static class EmptyWorkRepos
{
    /// <summary>A Python repository whose only test module imports a module that is not installed: pytest collects nothing.</summary>
    public static TempGitRepo ImportFails()
    {
        var repo = new TempGitRepo();
        repo.Write("stock.py", "def count(items):\n    return len(items)\n\ndef total(prices):\n    return sum(prices)\n")
            .Write("test_stock.py", "import sparring_absent_module\nimport stock\n\ndef test_count():\n    assert stock.count([1, 2]) == 2\n\ndef test_total():\n    assert stock.total([1, 2]) == 3\n")
            .Commit("stock with a test module that cannot import");
        return repo;
    }
}
