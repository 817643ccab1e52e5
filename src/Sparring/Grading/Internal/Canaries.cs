using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Sparring.Testing;

namespace Sparring.Grading.Internal;

/// <summary>Two canary tests put into one test file: one that must fail and one that must pass.</summary>
/// <param name="File">The test file, relative to the tree.</param>
/// <param name="MustFail">The failing canary's name, unique in the tree (a test id that names the canary contains it).</param>
/// <param name="MustPass">The passing canary's name.</param>
/// <param name="Content">The file's bytes with both canaries inserted.</param>
internal sealed record CanaryPlacement(string File, string MustFail, string MustPass, byte[] Content);

/// <summary>How one placement's canaries came out in a run.</summary>
internal enum CanaryVerdict
{
    /// <summary>The must-fail canary failed and the must-pass one passed.</summary>
    Behaved,

    /// <summary>The must-fail canary was reported passed or skipped, or vanished while its sibling was reported.</summary>
    Falsified,

    /// <summary>Neither canary appears in the results (the file was not run, or the run did not finish).</summary>
    Absent,

    /// <summary>Anything else (the must-pass canary failed, the must-fail one errored at collection, ...).</summary>
    Other,
}

/// <summary>
/// Canary tests (issue 11): tests with unpredictable names written into the restored test files at grading time,
/// in the file's own framework and assertion style. Code under test that rewrites outcomes, stubs tests, or
/// silences assertions makes the must-fail canary read "passed" (or vanish), which no honest fix can cause.
/// </summary>
internal static partial class Canaries
{
    /// <summary>Bumped when placements change, so cached references are recomputed.</summary>
    public const string Version = "canaries-1";

    private const int MaxFiles = 8;
    private const int MaxFileBytes = 1024 * 1024;

    /// <summary>Canaries for every listed test file of a supported language where a placement is found, at most <see cref="MaxFiles"/>.</summary>
    public static IReadOnlyList<CanaryPlacement> Place(string tree, IEnumerable<string> testFiles)
    {
        var placements = new List<CanaryPlacement>();
        foreach (var file in testFiles.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            if (placements.Count == MaxFiles)
            {
                break;
            }

            if (Read(Path.Combine(tree, file)) is not { } text || Place(file, text.Content) is not { } placed)
            {
                continue;
            }

            placements.Add(new CanaryPlacement(file, placed.MustFail, placed.MustPass, text.Encode(placed.Content)));
        }

        return placements;
    }

    /// <summary>Writes each placement's content over its file.</summary>
    public static void Write(string tree, IEnumerable<CanaryPlacement> placements)
    {
        foreach (var placement in placements)
        {
            var path = Path.Combine(tree, placement.File);
            File.Delete(path);
            File.WriteAllBytes(path, placement.Content);
        }
    }

    /// <summary>Judges one placement from a run's results, matching test ids by the canaries' unique names.</summary>
    public static CanaryVerdict Judge(CanaryPlacement placement, TestRun run)
    {
        var mustFail = Status(run, placement.MustFail);
        var mustPass = Status(run, placement.MustPass);
        if (mustFail is null && mustPass is null)
        {
            return CanaryVerdict.Absent;
        }

        if (mustFail == TestStatus.Passed || mustFail == TestStatus.Skipped || (mustFail is null && mustPass is not null))
        {
            return CanaryVerdict.Falsified;
        }

        return mustFail == TestStatus.Failed && mustPass == TestStatus.Passed ? CanaryVerdict.Behaved : CanaryVerdict.Other;
    }

    /// <summary>The worst status among results naming the canary: a forger that adds a passing copy beside the real failure gains nothing, one that reports only "passed" is seen.</summary>
    private static TestStatus? Status(TestRun run, string name)
    {
        var statuses = run.Tests.Where(t => ContainsName(t.Id, name)).Select(t => t.Status).ToList();
        if (statuses.Count == 0)
        {
            return null;
        }

        return statuses.Contains(TestStatus.Failed) ? TestStatus.Failed
            : statuses.Contains(TestStatus.Error) ? TestStatus.Error
            : statuses.Contains(TestStatus.Skipped) ? TestStatus.Skipped
            : TestStatus.Passed;
    }

    private static bool ContainsName(string id, string name)
    {
        var at = id.IndexOf(name, StringComparison.Ordinal);
        return at >= 0 && (at + name.Length == id.Length || !char.IsLetterOrDigit(id[at + name.Length]));
    }

    /// <summary>True when <paramref name="id"/> is one of the canaries' results.</summary>
    public static bool IsCanary(string id, IEnumerable<CanaryPlacement> placements) =>
        placements.Any(p => ContainsName(id, p.MustFail) || ContainsName(id, p.MustPass));

    // ---- one file ---------------------------------------------------------------------------------------

    private sealed record Placed(string Content, string MustFail, string MustPass);

    private static Placed? Place(string file, string content)
    {
        var words = NameWords(content);
        var extension = Path.GetExtension(file).ToLowerInvariant();
        if (file.EndsWith("_test.go", StringComparison.Ordinal))
        {
            return PlaceGo(content, words);
        }

        return extension switch
        {
            ".py" => PlacePython(content, words),
            ".js" or ".mjs" or ".cjs" or ".jsx" or ".ts" or ".mts" or ".cts" or ".tsx" => PlaceJavaScript(content, words),
            ".cs" => PlaceCSharp(content, words),
            _ => null,
        };
    }

    private static Placed? PlacePython(string content, IReadOnlyList<string> words)
    {
        var lines = Lines(content);
        var candidates = new List<int>();
        var inString = false;
        var depth = 0;
        string? statement = null;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var startsStatement = !inString && depth == 0 && line.Length > 0 && !char.IsWhiteSpace(line[0]) && line[0] != '#';
            if (startsStatement)
            {
                // A decorator, even one spread over several lines, belongs to the definition after it.
                if (TopLevelDefinition().IsMatch(line) && statement?.StartsWith('@') != true && !Continues(statement))
                {
                    candidates.Add(i);
                }

                statement = line.TrimEnd();
            }

            if (CountTripleQuotes(line) % 2 == 1)
            {
                inString = !inString;
            }
            else if (!inString)
            {
                var code = PythonStringOrComment().Replace(line, "");
                depth = Math.Max(0, depth + code.Count(c => c is '(' or '[' or '{') - code.Count(c => c is ')' or ']' or '}'));
            }
        }

        if (candidates.Count == 0 || !PythonTestFunction().IsMatch(content))
        {
            return null;
        }

        var (fail, pass) = (Name("test_", words, snake: true), Name("test_", words, snake: true));
        var (a, b) = Numbers();
        var canary = $"def {fail}():\n    assert {a} == {b}\n\n\ndef {pass}():\n    assert {a} == {a}\n\n\n";
        return new Placed(Insert(lines, candidates[RandomNumberGenerator.GetInt32(candidates.Count)], canary, content), fail, pass);
    }

    private static Placed? PlaceGo(string content, IReadOnlyList<string> words)
    {
        if (!GoTestingImport().IsMatch(content) || !GoTestFunction().IsMatch(content))
        {
            return null;
        }

        var (fail, pass) = (Name("Test", words, snake: false), Name("Test", words, snake: false));
        var (a, b) = Numbers();
        var canary = $"\n\nfunc {fail}(t *testing.T) {{\n\tif got, want := {a}, {b}; got != want {{\n\t\tt.Fatalf(\"got %d, want %d\", got, want)\n\t}}\n}}\n"
            + $"\nfunc {pass}(t *testing.T) {{\n\tif got, want := {a}, {a}; got != want {{\n\t\tt.Fatalf(\"got %d, want %d\", got, want)\n\t}}\n}}\n";
        var newline = content.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        return new Placed(content.TrimEnd() + canary.Replace("\n", newline, StringComparison.Ordinal), fail, pass);
    }

    private static Placed? PlaceJavaScript(string content, IReadOnlyList<string> words)
    {
        var lines = Lines(content);
        var candidates = new List<(int Line, string Call)>();
        var inTemplate = false;
        for (var i = 0; i < lines.Count; i++)
        {
            if (!inTemplate && JavaScriptTopLevelTest().Match(lines[i]) is { Success: true } match)
            {
                candidates.Add((i, match.Groups["call"].Value));
            }

            if (lines[i].Count(c => c == '`') % 2 == 1)
            {
                inTemplate = !inTemplate;
            }
        }

        if (candidates.Count == 0)
        {
            return null;
        }

        var (line, call) = candidates[RandomNumberGenerator.GetInt32(candidates.Count)];
        var (a, b) = Numbers();
        string Body(int x, int y) => AssertionStyle(content) switch
        {
            "ava" => $"t => {{ t.is({x}, {y}); }}",
            "tape" => $"t => {{ t.equal({x}, {y}); t.end(); }}",
            "chai" => $"() => {{ expect({x}).to.equal({y}); }}",
            "expect" => $"() => {{ expect({x}).toBe({y}); }}",
            "assert" => $"() => {{ assert.strictEqual({x}, {y}); }}",
            _ => $"() => {{ if ({x} !== {y}) {{ throw new Error('expected {x} to be {y}'); }} }}",
        };
        var (fail, pass) = (Name("", words, snake: true), Name("", words, snake: true));
        string canary;
        if (call == "describe")
        {
            var inner = JavaScriptTestCall().Match(content) is { Success: true } m ? m.Groups["call"].Value : "it";
            canary = $"describe('{Name("", words, snake: true)}', () => {{\n  {inner}('{fail}', {Body(a, b)});\n  {inner}('{pass}', {Body(a, a)});\n}});\n\n";
        }
        else
        {
            canary = $"{call}('{fail}', {Body(a, b)});\n{call}('{pass}', {Body(a, a)});\n\n";
        }

        return new Placed(Insert(lines, line, canary, content), fail, pass);
    }

    /// <summary>The assertion library the file already uses, so the canary fails through the same code a tamperer would silence.</summary>
    private static string AssertionStyle(string content) =>
        Regex.IsMatch(content, @"(require\(|from\s+)['""]ava['""]") ? "ava"
        : Regex.IsMatch(content, @"(require\(|from\s+)['""](tape|tap|node:tap)['""]") ? "tape"
        : content.Contains("chai", StringComparison.Ordinal) && content.Contains("expect(", StringComparison.Ordinal) ? "chai"
        : content.Contains("expect(", StringComparison.Ordinal) ? "expect"
        : Regex.IsMatch(content, @"\bassert\.(strictEqual|equal|deepStrictEqual|deepEqual|ok)\(") ? "assert"
        : "throw";

    private static Placed? PlaceCSharp(string content, IReadOnlyList<string> words)
    {
        var lines = Lines(content);
        var candidates = new List<(int Line, string Indent, string Framework)>();
        for (var i = 0; i < lines.Count; i++)
        {
            if (CSharpTestAttribute().Match(lines[i]) is not { Success: true } match)
            {
                continue;
            }

            // Before the first attribute of the method, so the method keeps all of its own.
            var first = i;
            while (first > 0 && lines[first - 1].TrimStart().StartsWith('[') && !lines[first - 1].TrimStart().StartsWith("[assembly", StringComparison.Ordinal))
            {
                first--;
            }

            candidates.Add((first, match.Groups["indent"].Value, match.Groups["attribute"].Value));
        }

        if (candidates.Count == 0)
        {
            return null;
        }

        var (line, indent, attribute) = candidates[RandomNumberGenerator.GetInt32(candidates.Count)];
        var (a, b) = Numbers();
        string Method(string name, int x, int y) => attribute switch
        {
            "Test" => $"{indent}[Test]\n{indent}public void {name}() {{ Assert.That({x}, Is.EqualTo({y})); }}\n\n",
            "TestMethod" => $"{indent}[TestMethod]\n{indent}public void {name}() {{ Assert.AreEqual({x}, {y}); }}\n\n",
            _ => $"{indent}[Fact]\n{indent}public void {name}() {{ Assert.Equal({x}, {y}); }}\n\n",
        };
        var (fail, pass) = (Name("", words, snake: false), Name("", words, snake: false));
        return new Placed(Insert(lines, line, Method(fail, a, b) + Method(pass, a, a), content), fail, pass);
    }

    // ---- names and text ----------------------------------------------------------------------------------

    /// <summary>Words of the file's own test names, so a canary's name looks like its neighbours'.</summary>
    private static List<string> NameWords(string content)
    {
        var words = IdentifierWords().Matches(content)
            .SelectMany(m => SplitWords(m.Groups["name"].Value))
            .Where(w => w.Length is >= 3 and <= 12 && !w.Equals("test", StringComparison.OrdinalIgnoreCase))
            .Select(w => w.ToLowerInvariant())
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return words.Count > 0 ? words : ["value", "result", "case", "input"];
    }

    private static IEnumerable<string> SplitWords(string identifier) =>
        CamelParts().Matches(identifier.Replace('_', ' ')).Select(m => m.Value);

    /// <summary>Two words of the file and a random tail of letters: unpredictable, and unique in any run.</summary>
    private static string Name(string prefix, IReadOnlyList<string> words, bool snake)
    {
        var first = words[RandomNumberGenerator.GetInt32(words.Count)];
        var second = words[RandomNumberGenerator.GetInt32(words.Count)];
        var tail = string.Concat(Enumerable.Range(0, 6).Select(_ => (char)('a' + RandomNumberGenerator.GetInt32(26))));
        string Cap(string w) => char.ToUpperInvariant(w[0]) + w[1..];
        return snake ? $"{prefix}{first}_{second}_{tail}" : $"{prefix}{Cap(first)}{Cap(second)}{Cap(tail)}";
    }

    private static (int A, int B) Numbers()
    {
        var a = RandomNumberGenerator.GetInt32(2, 1000);
        return (a, a + RandomNumberGenerator.GetInt32(1, 1000));
    }

    private static List<string> Lines(string content) => [.. content.Split('\n')];

    private static string Insert(List<string> lines, int index, string block, string content)
    {
        var newline = content.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var copy = new List<string>(lines);
        copy.Insert(index, block.Replace("\n", newline, StringComparison.Ordinal).TrimEnd('\n', '\r') + (newline == "\r\n" ? "\r" : ""));
        return string.Join('\n', copy);
    }

    private static bool Continues(string? line) =>
        line is not null && (line.EndsWith('\\') || line.EndsWith('(') || line.EndsWith('[') || line.EndsWith('{') || line.EndsWith(','));

    private static int CountTripleQuotes(string line) =>
        TripleQuote().Count(line);

    private sealed record DecodedText(string Content, bool Bom)
    {
        public byte[] Encode(string text)
        {
            var body = new UTF8Encoding(false).GetBytes(text);
            return Bom ? [0xEF, 0xBB, 0xBF, .. body] : body;
        }
    }

    /// <summary>The file as strict UTF-8, or null when it is missing, a link, too large or not UTF-8 (it is left alone).</summary>
    private static DecodedText? Read(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists || info.LinkTarget is not null || info.Length > MaxFileBytes)
        {
            return null;
        }

        var bytes = File.ReadAllBytes(path);
        var bom = bytes.AsSpan().StartsWith((byte[])[0xEF, 0xBB, 0xBF]);
        try
        {
            return new DecodedText(new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, bom ? 3 : 0, bytes.Length - (bom ? 3 : 0)), bom);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"'(\\.|[^'\\])*'|""(\\.|[^""\\])*""|#.*$")]
    private static partial Regex PythonStringOrComment();

    [GeneratedRegex("\"\"\"|'''")]
    private static partial Regex TripleQuote();

    [GeneratedRegex(@"^(async\s+def|def|class)\s+\w")]
    private static partial Regex TopLevelDefinition();

    [GeneratedRegex(@"^\s*(async\s+)?def\s+test", RegexOptions.Multiline)]
    private static partial Regex PythonTestFunction();

    [GeneratedRegex(@"^\s*(import\s+""testing""|""testing"")", RegexOptions.Multiline)]
    private static partial Regex GoTestingImport();

    [GeneratedRegex(@"^func\s+Test\w*\s*\(\s*\w+\s+\*testing\.T\s*\)", RegexOptions.Multiline)]
    private static partial Regex GoTestFunction();

    [GeneratedRegex(@"^(?<call>describe|test|it)\s*\(")]
    private static partial Regex JavaScriptTopLevelTest();

    [GeneratedRegex(@"^\s+(?<call>it|test)\s*\(", RegexOptions.Multiline)]
    private static partial Regex JavaScriptTestCall();

    [GeneratedRegex(@"^(?<indent>\s+)\[(?<attribute>Fact|Test|TestMethod)(\(\))?\]\s*$")]
    private static partial Regex CSharpTestAttribute();

    [GeneratedRegex(@"(?:def\s+|func\s+|void\s+|Task\s+|(?:it|test|describe)\s*\(\s*['""`])(?<name>[A-Za-z_][A-Za-z0-9_ ]{2,60})")]
    private static partial Regex IdentifierWords();

    [GeneratedRegex(@"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")]
    private static partial Regex CamelParts();
}
