using Sparring.Testing;

namespace Sparring.Tests.Testing;

public sealed class TestPathsTests
{
    [Theory]

    // Python
    [InlineData("tests/test_reports.py")]
    [InlineData("test_app.py")]
    [InlineData("pkg/app_test.py")]
    [InlineData("conftest.py")]
    [InlineData("src/pkg/conftest.py")]
    [InlineData("tests/helpers.py")]
    [InlineData("pkg/tests/__init__.py")]
    [InlineData("test.py")]
    [InlineData("polls/tests.py")]

    // Go
    [InlineData("stats/freq_test.go")]
    [InlineData("parser/testdata/input.txt")]

    // JavaScript and TypeScript
    [InlineData("test/accounts.test.js")]
    [InlineData("src/money.test.ts")]
    [InlineData("src/money.spec.js")]
    [InlineData("src/__tests__/money.js")]
    [InlineData("spec/ledger_spec.rb")]
    [InlineData("test.js")]
    [InlineData("test.node.js")]
    [InlineData("lib/tests.mjs")]
    [InlineData("index.test-d.ts")]
    [InlineData("src/parser_test.ts")]
    [InlineData("src/parser-spec.cjs")]

    // C#
    [InlineData("tests/Geometry.Tests/Transform2DTests.cs")]
    [InlineData("tests/Geometry.Tests/Geometry.Tests.csproj")]
    [InlineData("src/Geometry.UnitTests/Helpers.cs")]
    [InlineData("Geometry.IntegrationTests/Fixture.cs")]
    [InlineData("src/Geometry/VectorTest.cs")]
    [InlineData(@"Tests\Windows\PathTests.cs")]
    [InlineData("Test/Thing.cs")]
    public void LooksLikeTest_TestFile_IsTrue(string path)
    {
        // Arrange, Act
        var result = TestPaths.LooksLikeTest(path);

        // Assert
        Assert.True(result, path);
    }

    [Theory]
    [InlineData("inventory/reports.py")]
    [InlineData("inventory/testing_utils.py")]
    [InlineData("contest.py")]
    [InlineData("latest.py")]
    [InlineData("pkg/attests.py")]
    [InlineData("stats/freq.go")]
    [InlineData("latest/main.go")]
    [InlineData("src/accounts.js")]
    [InlineData("src/attestation.js")]
    [InlineData("src/latest.js")]
    [InlineData("src/testing-library.ts")]
    [InlineData("src/Geometry/Transform2D.cs")]
    [InlineData("src/Geometry/Latest.cs")]
    [InlineData("src/Geometry/Geometry.csproj")]
    [InlineData("README.md")]
    [InlineData("package.json")]
    [InlineData("mytests/util.py")]
    public void LooksLikeTest_SourceFile_IsFalse(string path)
    {
        // Arrange, Act
        var result = TestPaths.LooksLikeTest(path);

        // Assert
        Assert.False(result, path);
    }

    [Fact]
    public void LooksLikeTest_Null_Throws()
    {
        // Arrange, Act, Assert
        Assert.Throws<ArgumentNullException>(() => TestPaths.LooksLikeTest(null!));
    }
}
