using Sparring.Injection;
using Sparring.Repos;
using Sparring.TestUtilities;

namespace Sparring.Tests.Injection;

public sealed class TestWeakenerTests
{
    [Theory]
    [InlineData(Samples.Python, "Python", "tests/test_reports.py::test_low_stock_includes_items_exactly_at_the_threshold", "tests/test_reports.py", "def test_low_stock_includes_items_exactly_at_the_threshold(")]
    [InlineData(Samples.Go, "Go", "example.com/textkit/stats/TestTopNClampsN", "stats/freq_test.go", "func TestTopNClampsN(")]
    [InlineData(Samples.JavaScript, "JavaScript", "test/ledger.test.js > Ledger > balances > does not roll up accounts that merely share a prefix", "test/ledger.test.js", "it('does not roll up accounts that merely share a prefix'")]
    [InlineData(Samples.CSharp, "C#", "Geometry.Tests.Transform2DTests.Then_AppliesThisTransformFirst", "tests/Geometry.Tests/Transform2DTests.cs", "void Then_AppliesThisTransformFirst(")]
    public async Task WeakenAsync_FailingTestOfSample_DeletesExactlyThatTestAndTheFileStillCompiles(string sample, string language, string id, string file, string marker)
    {
        // Arrange
        using var copy = new SampleCopy(sample);
        var tests = TestFiles(copy.Path);
        var before = await File.ReadAllTextAsync(Path.Combine(copy.Path, file));

        // Act
        var weakening = await new TestWeakener().WeakenAsync(copy.Path, tests, [id]);
        await DiffApplier.ApplyAsync(copy.Path, weakening.Diff);
        var after = await File.ReadAllTextAsync(Path.Combine(copy.Path, file));

        // Assert
        Assert.True(weakening.Complete);
        Assert.Empty(weakening.Unresolved);
        Assert.Single(weakening.Deleted);
        Assert.Equal([file], await DiffApplier.ChangedPathsAsync(weakening.Diff));
        Assert.DoesNotContain(weakening.Diff.Split('\n'), l => l.StartsWith('+') && !l.StartsWith("+++", StringComparison.Ordinal));
        Assert.Contains(marker, before, StringComparison.Ordinal);
        Assert.DoesNotContain(marker, after, StringComparison.Ordinal);
        Assert.DoesNotContain("#", weakening.Diff.Split('\n').Where(l => l.StartsWith('+')), StringComparer.Ordinal);
        Assert.Equal(TestCount(before, language) - 1, TestCount(after, language));
        Assert.Null(Tools.Check(language, copy.Path, [file]));
    }

    [Fact]
    public async Task WeakenAsync_ParametrisedPytestCase_DeletesTheWholeFunctionWithItsMultiLineDecorator()
    {
        // Arrange
        using var copy = new SampleCopy(Samples.Python);
        const string File = "tests/test_pricing.py";

        // Act
        var weakening = await new TestWeakener().WeakenAsync(copy.Path, TestFiles(copy.Path), [$"{File}::test_tax_for_each_category[TaxCategory.STANDARD-expected0]", $"{File}::test_tax_for_each_category[TaxCategory.REDUCED-expected1]"]);
        await DiffApplier.ApplyAsync(copy.Path, weakening.Diff);
        var after = await System.IO.File.ReadAllTextAsync(Path.Combine(copy.Path, File));

        // Assert
        Assert.True(weakening.Complete);
        Assert.Single(weakening.Deleted);
        Assert.DoesNotContain("test_tax_for_each_category", after, StringComparison.Ordinal);
        Assert.DoesNotContain("(TaxCategory.REDUCED, D(\"0.50\"))", after, StringComparison.Ordinal);
        Assert.Contains("def test_line_subtotal():", after, StringComparison.Ordinal);
        Assert.Contains("def test_quote_sums_lines():", after, StringComparison.Ordinal);
        Assert.Null(Tools.Check("Python", copy.Path, [File]));
    }

    [Fact]
    public async Task WeakenAsync_NumberedTestCaseOfACSharpMethod_DeletesTheMethodWithItsAttributes()
    {
        // Arrange: NUnit cases named alike; TRX lists both as "Parses" and Sparring calls the second "… [#2]".
        using var repo = new TempGitRepo();
        repo.Write("tests/Lib.Tests/ParseTests.cs", """
            namespace Lib.Tests;

            public class ParseTests
            {
                [TestCase(1, TestName = "Parses")]
                [TestCase(2, TestName = "Parses")]
                public void Parses(int x) => Assert.That(x, Is.Positive);

                [Test]
                public void Keeps() { }
            }
            """).Commit("suite");

        // Act
        var (weakening, after) = await WeakenAndReadAsync(repo.Path, ["tests/Lib.Tests/ParseTests.cs"], ["Lib.Tests.ParseTests.Parses [#2]"], "tests/Lib.Tests/ParseTests.cs");

        // Assert
        Assert.True(weakening.Complete, string.Join(", ", weakening.Unresolved));
        Assert.DoesNotContain("Parses", after, StringComparison.Ordinal);
        Assert.DoesNotContain("TestCase", after, StringComparison.Ordinal);
        Assert.Contains("public void Keeps() { }", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WeakenAsync_IdOfACompiledTestFile_DeletesTheTestFromItsTypeScriptSource()
    {
        // Arrange: the test script runs node --test on dist-node/test/*.js, which the pretest build compiles from src/test.
        using var repo = new TempGitRepo();
        repo.Write("src/test/add.test.ts", "import { test } from 'node:test';\nimport assert from 'node:assert';\nimport { add } from '../add.js';\n\ntest('adds', () => {\n  assert.strictEqual(add(2, 3), 5);\n});\n\ntest('adds negatives', () => {\n  assert.strictEqual(add(-2, -3), -5);\n});\n")
            .Write("src/test/other.test.ts", "import { test } from 'node:test';\n\ntest('adds', () => {});\n")
            .Commit("typescript tests");

        // Act
        var (weakening, after) = await WeakenAndReadAsync(repo.Path, ["src/test/add.test.ts", "src/test/other.test.ts"], ["dist-node/test/add.test.js > adds negatives"], "src/test/add.test.ts");

        // Assert
        Assert.True(weakening.Complete, string.Join(", ", weakening.Unresolved));
        Assert.DoesNotContain("adds negatives", after, StringComparison.Ordinal);
        Assert.Contains("test('adds', () => {", after, StringComparison.Ordinal);
        Assert.Equal(["src/test/add.test.ts"], await DiffApplier.ChangedPathsAsync(weakening.Diff));
    }

    [Fact]
    public async Task WeakenAsync_TapeBareTestName_DeletesThatTestBlockFromTheFileThatHasIt()
    {
        // Arrange
        using var repo = new TempGitRepo();
        repo.Write("index.js", "module.exports = (a, b) => a + b\n")
            .Write("test/other.test.js", "const test = require('tape')\ntest('unrelated', function (t) {\n  t.end()\n})\n")
            .Write("test/add.test.js", "const test = require('tape')\nconst add = require('..')\n\ntest('adds', function (t) {\n  t.equal(add(1, 2), 3)\n  t.end()\n})\n\ntest('adds negatives', (t) => {\n  t.equal(add(-1, -2), -3)\n  t.end()\n})\n")
            .Commit("tape suite");

        // Act
        var (weakening, after) = await WeakenAndReadAsync(repo.Path, ["test/add.test.js", "test/other.test.js"], ["adds negatives"], "test/add.test.js");

        // Assert
        Assert.True(weakening.Complete, string.Join(", ", weakening.Unresolved));
        Assert.DoesNotContain("adds negatives", after, StringComparison.Ordinal);
        Assert.Contains("test('adds', function (t) {", after, StringComparison.Ordinal);
        Assert.Contains("unrelated", await System.IO.File.ReadAllTextAsync(Path.Combine(repo.Path, "test/other.test.js")), StringComparison.Ordinal);
        Assert.Null(Tools.Check("JavaScript", repo.Path, ["test/add.test.js"]));
    }

    [Fact]
    public async Task WeakenAsync_TapeNameInTwoFiles_DeletesItFromBoth()
    {
        // Arrange: tape prints no file, and its parser merges equal names (fastq has 'concurrency' in two files)
        using var repo = new TempGitRepo();
        repo.Write("index.js", "module.exports = (a, b) => a + b\n")
            .Write("test/a.js", "const test = require('tape')\ntest('concurrency', function (t) {\n  t.end()\n})\n\ntest('only in a', function (t) {\n  t.end()\n})\n")
            .Write("test/b.js", "const test = require('tape')\ntest('concurrency', function (t) {\n  t.end()\n})\n\ntest('only in b', function (t) {\n  t.end()\n})\n")
            .Commit("tape suite in two files");

        // Act
        var weakening = await new TestWeakener().WeakenAsync(repo.Path, ["test/a.js", "test/b.js"], ["concurrency"]);
        await DiffApplier.ApplyAsync(repo.Path, weakening.Diff);
        var a = await System.IO.File.ReadAllTextAsync(Path.Combine(repo.Path, "test/a.js"));
        var b = await System.IO.File.ReadAllTextAsync(Path.Combine(repo.Path, "test/b.js"));

        // Assert
        Assert.True(weakening.Complete, string.Join(", ", weakening.Unresolved));
        Assert.DoesNotContain("concurrency", a, StringComparison.Ordinal);
        Assert.DoesNotContain("concurrency", b, StringComparison.Ordinal);
        Assert.Contains("only in a", a, StringComparison.Ordinal);
        Assert.Contains("only in b", b, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WeakenAsync_MochaTapFullTitle_DeletesTheItAtThatDescribePath()
    {
        // Arrange: mocha's TAP reporter prints describe titles and the it title joined by spaces (json-schema-traverse)
        using var repo = new TempGitRepo();
        repo.Write("index.js", "module.exports = (s) => s\n")
            .Write("spec/index.spec.js", "describe('lib', function() {\n  it('should work', function() {\n  });\n\n  describe('Legacy API', function() {\n    it('should work', function() {\n    });\n\n    it('should also work', function() {\n    });\n  });\n});\n")
            .Commit("mocha suite");

        // Act
        var (weakening, after) = await WeakenAndReadAsync(repo.Path, ["spec/index.spec.js"], ["lib should work"], "spec/index.spec.js");

        // Assert: the top-level it goes, the Legacy API one of the same title stays
        Assert.True(weakening.Complete, string.Join(", ", weakening.Unresolved));
        Assert.Equal(1, after.Split("it('should work'").Length - 1);
        Assert.Contains("describe('Legacy API', function() {\n    it('should work'", after, StringComparison.Ordinal);
        Assert.Contains("should also work", after, StringComparison.Ordinal);
        Assert.Null(Tools.Check("JavaScript", repo.Path, ["spec/index.spec.js"]));
    }

    [Fact]
    public async Task WeakenAsync_TemplateTitleInALoop_DeletesTheCallThatPrintsIt()
    {
        // Arrange: node --test names each case by a template literal (commander's help.suggestion tests)
        using var repo = new TempGitRepo();
        repo.Write("index.js", "module.exports = (s) => s\n")
            .Write("test/suggest.test.js", "describe('suggestions', () => {\n  for (const [arg, expected] of [['a', 'b'], ['c', 'd']]) {\n    test(`when ${arg} then ${JSON.stringify(expected)}`, () => {\n    });\n  }\n\n  test('when similar then suggest', () => {\n  });\n});\n")
            .Commit("loop suite");

        // Act
        var (weakening, after) = await WeakenAndReadAsync(repo.Path, ["test/suggest.test.js"], ["test/suggest.test.js > suggestions > when c then \"d\""], "test/suggest.test.js");

        // Assert
        Assert.True(weakening.Complete, string.Join(", ", weakening.Unresolved));
        Assert.DoesNotContain("when ${arg}", after, StringComparison.Ordinal);
        Assert.Contains("test('when similar then suggest'", after, StringComparison.Ordinal);
        Assert.Contains("for (const [arg, expected]", after, StringComparison.Ordinal);
        Assert.Null(Tools.Check("JavaScript", repo.Path, ["test/suggest.test.js"]));
    }

    [Fact]
    public async Task WeakenAsync_NodeTapAssertionLeaf_DeletesItsEnclosingTest()
    {
        // Arrange: node-tap reports each assertion message as a leaf under its test (node-semver's range tests)
        using var repo = new TempGitRepo();
        repo.Write("index.js", "module.exports = (s) => s\n")
            .Write("test/range.js", "const t = require('tap')\nt.test('range tests', t => {\n  for (const [range, ver] of [['1.x', '1.2.0']]) {\n    t.ok(range !== ver, `${range} satisfied by ${ver}`)\n  }\n  t.end()\n})\n\nt.test('negative range tests', t => {\n  t.end()\n})\n")
            .Commit("tap suite");

        // Act
        var (weakening, after) = await WeakenAndReadAsync(repo.Path, ["test/range.js"], ["test/range.js > range tests > 1.x satisfied by 1.2.0"], "test/range.js");

        // Assert
        Assert.True(weakening.Complete, string.Join(", ", weakening.Unresolved));
        Assert.DoesNotContain("t.test('range tests'", after, StringComparison.Ordinal);
        Assert.Contains("t.test('negative range tests'", after, StringComparison.Ordinal);
        Assert.Null(Tools.Check("JavaScript", repo.Path, ["test/range.js"]));
    }

    [Fact]
    public async Task WeakenAsync_TitleWithTrailingSpace_IsFoundByItsTrimmedId()
    {
        // Arrange: fast-json-stringify's test('allOf: combine additional properties ', …); parsed ids are trimmed
        using var repo = new TempGitRepo();
        repo.Write("index.js", "module.exports = (a, b) => a + b\n")
            .Write("test/allof.test.js", "const { test } = require('node:test')\n\ntest('combine ', (t) => {\n})\n\ntest('other', (t) => {\n})\n")
            .Commit("node suite");

        // Act
        var (weakening, after) = await WeakenAndReadAsync(repo.Path, ["test/allof.test.js"], ["test/allof.test.js > combine"], "test/allof.test.js");

        // Assert
        Assert.True(weakening.Complete, string.Join(", ", weakening.Unresolved));
        Assert.DoesNotContain("combine", after, StringComparison.Ordinal);
        Assert.Contains("test('other'", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WeakenAsync_NumberedRepeatOfATitle_DeletesThatCallOnly()
    {
        // Arrange: two describe('math') each with it('adds'); the parsers call the second "… > adds [#2]"
        using var repo = new TempGitRepo();
        repo.Write("index.js", "module.exports = (a, b) => a + b\n")
            .Write("test/add.test.js", "const add = require('..')\n\ndescribe('math', () => {\n  it('adds', () => {\n    expect(add(1, 1)).toBe(2)\n  })\n})\n\ndescribe('math', () => {\n  it('adds', () => {\n    expect(add(2, 3)).toBe(5)\n  })\n})\n")
            .Commit("jest suite");

        // Act
        var (weakening, after) = await WeakenAndReadAsync(repo.Path, ["test/add.test.js"], ["test/add.test.js > math > adds [#2]"], "test/add.test.js");

        // Assert
        Assert.True(weakening.Complete, string.Join(", ", weakening.Unresolved));
        Assert.Contains("add(1, 1)", after, StringComparison.Ordinal);
        Assert.DoesNotContain("add(2, 3)", after, StringComparison.Ordinal);
        Assert.Equal(2, after.Split("describe('math'").Length - 1);
        Assert.Null(Tools.Check("JavaScript", repo.Path, ["test/add.test.js"]));
    }

    [Fact]
    public async Task WeakenAsync_NumberedTapeName_DeletesTheBlockOfTheSecondFile()
    {
        // Arrange: tape prints no file; "adds [#2]" is the block of the second file in name order.
        using var repo = new TempGitRepo();
        repo.Write("index.js", "module.exports = (a, b) => a + b\n")
            .Write("test/a.js", "const test = require('tape')\ntest('adds', function (t) {\n  t.equal(1 + 1, 2)\n  t.end()\n})\n")
            .Write("test/b.js", "const test = require('tape')\ntest('adds', function (t) {\n  t.equal(2 + 3, 5)\n  t.end()\n})\n")
            .Commit("tape suite");

        // Act
        var weakening = await new TestWeakener().WeakenAsync(repo.Path, ["test/b.js", "test/a.js"], ["adds [#2]"]);
        await DiffApplier.ApplyAsync(repo.Path, weakening.Diff);

        // Assert
        Assert.True(weakening.Complete, string.Join(", ", weakening.Unresolved));
        Assert.Contains("1 + 1", await System.IO.File.ReadAllTextAsync(Path.Combine(repo.Path, "test/a.js")), StringComparison.Ordinal);
        Assert.DoesNotContain("2 + 3", await System.IO.File.ReadAllTextAsync(Path.Combine(repo.Path, "test/b.js")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WeakenAsync_TapeNestedTest_DeletesOnlyThatSubtest()
    {
        // Arrange
        using var repo = new TempGitRepo();
        repo.Write("index.js", "module.exports = (s) => s.split(',')\n")
            .Write("test/parse.js", "var test = require('tape')\nvar parse = require('..')\n\ntest('parse()', function (t) {\n    t.test('comma: false', function (st) {\n        st.deepEqual(parse('a'), ['a'])\n        st.end()\n    })\n\n    t.test('comma: true', function (st) {\n        st.deepEqual(parse('a,b'), ['a', 'b'])\n        st.end()\n    })\n\n    t.end()\n})\n")
            .Commit("nested tape suite");

        // Act
        var (weakening, after) = await WeakenAndReadAsync(repo.Path, ["test/parse.js"], ["comma: true"], "test/parse.js");

        // Assert
        Assert.True(weakening.Complete, string.Join(", ", weakening.Unresolved));
        Assert.DoesNotContain("comma: true", after, StringComparison.Ordinal);
        Assert.Contains("t.test('comma: false', function (st) {", after, StringComparison.Ordinal);
        Assert.Contains("test('parse()', function (t) {", after, StringComparison.Ordinal);
        Assert.Null(Tools.Check("JavaScript", repo.Path, ["test/parse.js"]));
    }

    [Fact]
    public async Task WeakenAsync_UnknownTest_ReportsItUnresolvedAndIsIncomplete()
    {
        // Arrange
        using var copy = new SampleCopy(Samples.Go);

        // Act
        var weakening = await new TestWeakener().WeakenAsync(copy.Path, TestFiles(copy.Path), ["example.com/textkit/stats/TestDoesNotExist"]);

        // Assert
        Assert.False(weakening.Complete);
        Assert.Equal(["example.com/textkit/stats/TestDoesNotExist"], weakening.Unresolved);
        Assert.Equal("", weakening.Diff);
        Assert.Empty(weakening.Deleted);
    }

    private static string[] TestFiles(string tree) =>
        TempGitRepo.RunGit(tree, ["ls-files"]).Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(Sparring.Testing.TestPaths.LooksLikeTest).ToArray();

    private static int TestCount(string text, string language) => language switch
    {
        "Python" => text.Split('\n').Count(l => l.StartsWith("def test_", StringComparison.Ordinal)),
        "Go" => text.Split('\n').Count(l => l.StartsWith("func Test", StringComparison.Ordinal)),
        "JavaScript" => text.Split('\n').Count(l => l.TrimStart().StartsWith("it(", StringComparison.Ordinal) || l.TrimStart().StartsWith("test(", StringComparison.Ordinal)),
        _ => text.Split('\n').Count(l => l.Trim() is "[Fact]" || l.Trim().StartsWith("[Theory", StringComparison.Ordinal)),
    };

    /// <summary>Weakens the tests <paramref name="ids"/> name, applies the diff and reads <paramref name="file"/> back.</summary>
    private static async Task<(TestWeakening Weakening, string After)> WeakenAndReadAsync(string repo, IReadOnlyList<string> tests, IReadOnlyList<string> ids, string file)
    {
        var weakening = await new TestWeakener().WeakenAsync(repo, tests, ids);
        await DiffApplier.ApplyAsync(repo, weakening.Diff);
        return (weakening, await System.IO.File.ReadAllTextAsync(Path.Combine(repo, file)));
    }
}
