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

    [Fact]
    public async Task FindAsync_JavaScriptFunctionBindings_AreFunctionsWithTheirBlocks()
    {
        // Arrange
        using var tree = new TempDirectory();
        tree.Write("lib.js", string.Join('\n',
            "const LIMIT = 3;",                                         // 1
            "const shout = (s) => s.toUpperCase();",                    // 2: expression body, not a block
            "const pad = (input, {width, fill}) => {",                  // 3
            "\tconst out = [];",                                        // 4
            "\treturn out;",                                            // 5
            "};",                                                       // 6
            "export const join = async function (a, b) {",              // 7
            "\treturn a + b;",                                          // 8
            "};",                                                       // 9
            "let twice = x => {",                                       // 10
            "\treturn x * 2;",                                          // 11
            "};",                                                       // 12
            ""));

        // Act
        var symbols = await new CtagsSymbolIndex().FindAsync(tree.Path, ["lib.js"]);

        // Assert
        Assert.Equal(["pad", "join", "twice"], symbols.Where(s => s.Kind == SymbolKind.Function).Select(s => s.Name));
        Assert.Equal((3, 6), symbols.Where(s => s.Name == "pad").Select(s => (s.StartLine, s.EndLine)).Single());
        Assert.Equal((7, 9), symbols.Where(s => s.Name == "join").Select(s => (s.StartLine, s.EndLine)).Single());
        Assert.DoesNotContain(symbols, s => s.Name is "LIMIT" or "shout" or "out");
    }

    [Fact]
    public async Task FindAsync_TypeScript_GivesFunctionsWithTypedParametersSpanningTheBody()
    {
        // Arrange
        using var tree = new TempDirectory();
        tree.Write("src/url.ts", string.Join('\n',
            "export function hasProtocol(",                             // 1
            "  input: string,",                                         // 2
            "  opts: { strict?: boolean } = {},",                       // 3
            "): boolean {",                                             // 4
            "  const strict = opts.strict === true;",                   // 5
            "  return strict && input.includes(':');",                  // 6
            "}",                                                        // 7
            "export const trim = (input: string): string => {",        // 8
            "  return input.trim();",                                   // 9
            "};",                                                       // 10
            ""));

        // Act
        var symbols = await new CtagsSymbolIndex().FindAsync(tree.Path, ["src/url.ts"]);

        // Assert
        Assert.Equal("TypeScript", CtagsSymbolIndex.LanguageOf("src/url.mts"));
        var functions = symbols.Where(s => s.Kind == SymbolKind.Function).ToList();
        Assert.Equal(["hasProtocol", "trim"], functions.Select(s => s.Name));
        Assert.Equal([(1, 7), (8, 10)], functions.Select(s => (s.StartLine, s.EndLine)));
        Assert.All(functions, s => Assert.Equal("TypeScript", s.Language));
    }
}
