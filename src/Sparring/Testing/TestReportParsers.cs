using System.Diagnostics.CodeAnalysis;
using Sparring.Testing.Parsers;

namespace Sparring.Testing;

/// <summary>The built-in <see cref="ITestReportParser"/>s, by the name used on the command line.</summary>
/// <remarks>The parsers are stateless, so one shared instance of each is handed out; thread-safe.</remarks>
public static class TestReportParsers
{
    private static readonly ITestReportParser[] All =
    [
        new PytestParser(),
        new JUnitXmlParser(),
        new TrxParser(),
        new GoTestJsonParser(),
        new TapParser(),
        new JestJsonParser(),
        new SsrJsonParser(),
        new NodeJsonlParser(),
        new TapeParser(),
    ];

    private static readonly Dictionary<string, ITestReportParser> ByName =
        All.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The names of the built-in parsers: pytest, junit, trx, go-test-json, tap, jest-json, ssr-json, node-jsonl, tape.</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(p => p.Name).ToArray();

    /// <summary>The parser called <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No built-in parser has that name; the message lists the valid names.</exception>
    public static ITestReportParser Get(string name) =>
        TryGet(name, out var parser)
            ? parser
            : throw new ArgumentException($"Unknown test report parser '{name}'. Valid names: {string.Join(", ", Names)}.", nameof(name));

    /// <summary>Looks up a parser by name (case-insensitive) without throwing.</summary>
    public static bool TryGet(string name, [NotNullWhen(true)] out ITestReportParser? parser)
    {
        parser = null;
        return name is not null && ByName.TryGetValue(name.Trim(), out parser);
    }
}
