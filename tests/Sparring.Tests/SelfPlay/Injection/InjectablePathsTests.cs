using Sparring.SelfPlay.Injection;

namespace Sparring.Tests.SelfPlay.Injection;

public sealed class InjectablePathsTests
{
    [Theory]
    [InlineData("src/inventory/stock.py", true)]
    [InlineData("queue.js", true)]
    [InlineData("cmp/compare.go", true)]
    [InlineData("vendor/gopkg.in/check.v1/check.go", false)]
    [InlineData("node_modules/tape/index.js", false)]
    [InlineData("setup.py", false)]
    [InlineData("bench.js", false)]
    [InlineData("benchmarks/run.py", false)]
    [InlineData("types/index.d.ts", false)]
    [InlineData("tests/test_stock.py", false)]
    [InlineData("conftest.py", false)]
    [InlineData("examples/demo.go", false)]
    public void IsInjectable_Path_KeepsLibraryCodeOnly(string path, bool expected)
    {
        // Act, Assert
        Assert.Equal(expected, InjectablePaths.IsInjectable(path));
    }
}
