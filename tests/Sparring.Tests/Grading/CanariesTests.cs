using System.Text;
using Sparring.Grading.Internal;
using Sparring.Testing;

namespace Sparring.Tests.Grading;

public sealed class CanariesTests : IDisposable
{
    private readonly string _tree = Directory.CreateTempSubdirectory("sparring-canaries-").FullName;

    public void Dispose() => Directory.Delete(_tree, recursive: true);

    private CanaryPlacement PlaceOne(string file, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(_tree, file))!);
        File.WriteAllText(Path.Combine(_tree, file), content);
        return Assert.Single(Canaries.Place(_tree, [file]));
    }

    private static string Text(CanaryPlacement placement) => Encoding.UTF8.GetString(placement.Content);

    [Fact]
    public void Place_Python_NeverBetweenADecoratorAndItsFunctionNorInsideAString()
    {
        // Arrange: the only safe places are before "def test_a" and before "class TestB".
        const string Source = "import pytest\n\nDOC = \"\"\"\ndef not_code():\n    pass\n\"\"\"\n\n@pytest.fixture\ndef thing():\n    return 1\n\n@pytest.mark.parametrize(\n    \"steps\",\n    [1, 2],\n)\ndef test_p(steps):\n    assert steps\n\ndef test_a(thing):\n    assert thing == 1\n\nclass TestB:\n    def test_b(self):\n        assert True\n";

        for (var i = 0; i < 20; i++)
        {
            // Act
            var placement = PlaceOne("tests/test_x.py", Source);
            var text = Text(placement);

            // Assert: without the canary block the file is the original; the block is not after a decorator or inside DOC.
            var start = text.IndexOf("def " + placement.MustFail + "():", StringComparison.Ordinal);
            var passAt = text.IndexOf("def " + placement.MustPass + "():", StringComparison.Ordinal);
            var end = text.IndexOf('\n', text.IndexOf('\n', passAt) + 1) + 1;
            Assert.Equal(Source, text[..start] + text[end..]);
            Assert.True(start > text.IndexOf("\"\"\"\n\n", StringComparison.Ordinal), text);
            Assert.DoesNotMatch(@"(@[^\n]*|\))\n$", text[..start]);
            Assert.StartsWith("test_", placement.MustFail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Place_NamesAreUnpredictable_DifferentEveryTime()
    {
        const string Source = "def test_parse_empty():\n    assert True\n";
        var names = Enumerable.Range(0, 10).Select(_ => PlaceOne("test_p.py", Source)).SelectMany(p => new[] { p.MustFail, p.MustPass }).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Fact]
    public void Place_Go_AppendsToTheTestFileThatImportsTesting()
    {
        var placement = PlaceOne("pkg/a_test.go", "package pkg\n\nimport \"testing\"\n\nfunc TestA(t *testing.T) {}\n");
        var text = Text(placement);
        Assert.StartsWith("package pkg\n\nimport \"testing\"\n\nfunc TestA(t *testing.T) {}", text, StringComparison.Ordinal);
        Assert.Contains($"func {placement.MustFail}(t *testing.T) {{", text, StringComparison.Ordinal);
        Assert.StartsWith("Test", placement.MustPass, StringComparison.Ordinal);
    }

    [Fact]
    public void Place_JavaScript_UsesTheFilesOwnCallsAndAssertionsAndAvoidsTemplateLiterals()
    {
        const string Source = "const assert = require('node:assert/strict');\nconst { describe, it } = require('node:test');\nconst t = `\ndescribe('inside a string', () => {});\n`;\ndescribe('money', () => {\n  it('adds', () => {\n    assert.equal(1, 1);\n  });\n});\n";
        for (var i = 0; i < 10; i++)
        {
            var text = Text(PlaceOne("test/money.test.js", Source));
            Assert.Contains("assert.strictEqual(", text, StringComparison.Ordinal);
            Assert.Contains("`\ndescribe('inside a string', () => {});\n`", text, StringComparison.Ordinal);
            Assert.Matches(@"\ndescribe\('[a-z_]+', \(\) => \{\n  it\('", text);
        }
    }

    [Fact]
    public void Place_CSharp_BeforeTheAttributesOfAMethodInTheFilesFramework()
    {
        const string Source = "public class A\n{\n    [Trait(\"k\", \"v\")]\n    [Fact]\n    public void One() { }\n}\n";
        var placement = PlaceOne("tests/ATests.cs", Source);
        var text = Text(placement);
        Assert.Contains($"    [Fact]\n    public void {placement.MustFail}() {{ Assert.Equal(", text, StringComparison.Ordinal);
        Assert.Contains("    [Trait(\"k\", \"v\")]\n    [Fact]\n    public void One() { }", text, StringComparison.Ordinal);

        var nunit = Text(PlaceOne("tests/BTests.cs", "public class B\n{\n    [Test]\n    public void One() { }\n}\n"));
        Assert.Contains("Assert.That(", nunit, StringComparison.Ordinal);
    }

    [Fact]
    public void Place_KeepsByteOrderMarkAndLineEndings_SkipsFilesThatAreNotUtf8OrHaveNoTests()
    {
        var path = Path.Combine(_tree, "test_bom.py");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("def test_a():\r\n    assert True\r\n")]);
        var placement = Assert.Single(Canaries.Place(_tree, ["test_bom.py"]));
        Assert.Equal([0xEF, 0xBB, 0xBF], placement.Content[..3]);
        Assert.DoesNotContain("\n", Encoding.UTF8.GetString(placement.Content).Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);

        File.WriteAllBytes(Path.Combine(_tree, "test_latin.py"), [.. Encoding.UTF8.GetBytes("def test_a():\n    s = '"), 0xE9, .. Encoding.UTF8.GetBytes("'\n")]);
        File.WriteAllText(Path.Combine(_tree, "helpers.py"), "VALUE = 1\n");
        Assert.Empty(Canaries.Place(_tree, ["test_latin.py", "helpers.py", "missing_test.py", "README.md"]));
    }

    [Theory]
    [InlineData("failed", "passed", "Behaved")]
    [InlineData("passed", "passed", "Falsified")]
    [InlineData("skipped", "passed", "Falsified")]
    [InlineData(null, "passed", "Falsified")]
    [InlineData(null, null, "Absent")]
    [InlineData("failed", "failed", "Other")]
    public void Judge_ReadsTheCanariesByName(string? mustFail, string? mustPass, string expected)
    {
        var placement = new CanaryPlacement("t.py", "test_a_b_qwerty", "test_a_b_asdfgh", []);
        var tests = new List<TestResult> { new() { Id = "t.py::test_a_b_qwertyuiop", Status = TestStatus.Passed } };
        if (mustFail is not null)
        {
            tests.Add(new() { Id = "t.py::test_a_b_qwerty", Status = TestStatus.Normalize(mustFail) });
        }

        if (mustPass is not null)
        {
            tests.Add(new() { Id = "t.py::test_a_b_asdfgh", Status = TestStatus.Normalize(mustPass) });
        }

        var run = new TestRun { Runner = "pytest", Command = "", Parser = "", ExitCode = 1, TimedOut = false, OutputTruncated = false, Tests = tests, SuiteRan = true, Evidence = "", Disagreements = [], Warnings = [] };
        Assert.Equal(expected, Canaries.Judge(placement, run).ToString());
    }
}
