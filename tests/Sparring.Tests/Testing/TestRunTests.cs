using System.Text.Json;
using Sparring.Testing;

namespace Sparring.Tests.Testing;

public sealed class TestRunTests
{
    [Fact]
    public void Json_RoundTrip_KeepsTheDuration()
    {
        // Arrange: a cached baseline is a TestRun written to JSON and read back; inject sizes its timeouts from it.
        var run = new TestRun
        {
            Runner = "pytest",
            Command = "python3 -m pytest",
            Parser = "pytest",
            ExitCode = 0,
            TimedOut = false,
            OutputTruncated = false,
            Duration = TimeSpan.FromMilliseconds(26_543.2),
            Tests = [new TestResult { Id = "t::a", Status = TestStatus.Passed }],
            SuiteRan = true,
            Evidence = "summary line",
            Disagreements = [],
            Warnings = [],
        };

        // Act
        var back = JsonSerializer.Deserialize(JsonSerializer.Serialize(run, TestingJsonContext.Default.TestRun), TestingJsonContext.Default.TestRun)!;

        // Assert
        Assert.Equal(26_543.2, back.DurationMs);
        Assert.Equal(TimeSpan.FromMilliseconds(26_543.2), back.Duration);
        Assert.Equal(run.Counts, back.Counts);
    }
}
