using Sparring.Repos;
using Sparring.TestUtilities;

namespace Sparring.Tests.Repos;

public sealed class CtagsSymbolIndexTests
{
    [Theory]
    [InlineData(Samples.Python, "inventory/reports.py", "low_stock", SymbolKind.Function, "def low_stock(")]
    [InlineData(Samples.Go, "stats/freq.go", "Frequencies", SymbolKind.Function, "func Frequencies(")]
    [InlineData(Samples.JavaScript, "src/money.js", "allocate", SymbolKind.Function, "function allocate(")]
    [InlineData(Samples.CSharp, "src/Geometry/Polygon.cs", "Contains", SymbolKind.Method, "public bool Contains(")]
    public async Task FindAsync_SampleFile_GivesRangesThatSpanTheWholeBody(string sample, string path, string name, SymbolKind kind, string firstLine)
    {
        // Arrange
        var tree = Samples.Path(sample);
        var lines = await File.ReadAllLinesAsync(Path.Combine(tree, path));

        // Act
        var symbols = await new CtagsSymbolIndex().FindAsync(tree, [path, "README.md"]);

        // Assert
        var symbol = Assert.Single(symbols, s => s.Name == name);
        Assert.Equal(kind, symbol.Kind);
        Assert.Equal(path, symbol.Path);
        Assert.Contains(firstLine, lines[symbol.StartLine - 1], StringComparison.Ordinal);
        Assert.True(symbol.LineCount >= 3, $"{name} spans {symbol.LineCount} lines");
        var last = lines[symbol.EndLine - 1].Trim();
        Assert.True(sample == Samples.Python || last.StartsWith('}'), $"{name} ends with '{last}'");
        Assert.All(symbols, s => Assert.Equal(path, s.Path));
        Assert.Equal(symbols.OrderBy(s => s.StartLine).Select(s => s.Name), symbols.Select(s => s.Name));
    }

    [Fact]
    public async Task FindAsync_UnsupportedFiles_GivesNothing()
    {
        // Arrange
        using var tree = new TempDirectory();
        tree.Write("notes.txt", "def f():\n    pass\n");

        // Act
        var symbols = await new CtagsSymbolIndex().FindAsync(tree.Path, ["notes.txt"]);

        // Assert
        Assert.Empty(symbols);
    }
}
