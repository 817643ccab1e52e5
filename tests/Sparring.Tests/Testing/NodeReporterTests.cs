using System.Diagnostics;
using Sparring.Testing;
using Sparring.Testing.Internal;
using Sparring.Testing.Parsers;
using Sparring.TestUtilities;

namespace Sparring.Tests.Testing;

/// <summary>Runs the real reporter under the host's node (20+), as the sandbox does, and reads what it wrote.</summary>
public sealed class NodeReporterTests
{
    [Fact]
    public async Task WriteAsync_ReporterUnderNodeTest_ReportsLeavesPerFileAndTheEnd()
    {
        // Arrange
        using var tools = new TempDirectory();
        using var project = new TempDirectory();
        project.Write("test/a.test.js", """
            const { test, describe, it, before } = require('node:test');
            test('same', () => {});
            test('parent', async (t) => {
              await t.test('child ok', () => {});
              await t.test('child skipped', { skip: 'later' }, () => {});
            });
            describe('hooked', () => {
              before(() => { throw new Error('setup failed'); });
              it('inner', () => {});
            });
            """);
        project.Write("test/sub/b.test.js", """
            const { test } = require('node:test');
            test('same', () => { throw new Error('broken in b'); });
            test('todo', { todo: true }, () => {});
            require('../../shared/cases.js')();
            """);
        project.Write("test/c.test.js", "require('../shared/cases.js')();\n");
        project.Write("shared/cases.js", """
            const { test } = require('node:test');
            module.exports = () => test('shared', async (t) => { await t.test('case', () => {}); });
            """);
        var report = Path.Combine(project.Path, NodeReporter.ReportFile);

        // Act
        await NodeReporter.WriteAsync(tools.Path, CancellationToken.None);
        var exit = await RunAsync(project.Path, "node", "--test", $"--test-reporter={Path.Combine(tools.Path, NodeReporter.FileName)}", $"--test-reporter-destination={report}", "test/");
        var parsed = new NodeJsonlParser().Parse(new ReportInput { Log = "", ReportFiles = new Dictionary<string, string> { ["node.jsonl"] = File.ReadAllText(report) } });

        // Assert
        Assert.Equal(1, exit);
        Assert.Equal(
        [
            ("test/a.test.js > same", "passed"), ("test/a.test.js > parent > child ok", "passed"), ("test/a.test.js > parent > child skipped", "skipped"),
            ("test/a.test.js > hooked > inner", "failed"), ("test/a.test.js > hooked", "error"),
            ("test/c.test.js > shared > case", "passed"),
            ("test/sub/b.test.js > same", "failed"), ("test/sub/b.test.js > todo", "skipped"), ("test/sub/b.test.js > shared > case", "passed"),
        ], parsed.Tests.Select(t => (t.Id, t.Status.Value)));
        Assert.Equal("Error: setup failed", parsed.Tests.Single(t => t.Id == "test/a.test.js > hooked").Message);
        Assert.Equal("later", parsed.Tests.Single(t => t.Id == "test/a.test.js > parent > child skipped").Message);
        Assert.True(parsed.SawCompletion);
        Assert.Empty(parsed.Warnings);
    }

    [Fact]
    public async Task WriteAsync_GlobMatchesAFileWithNoTests_CountsItAsNodeDoes()
    {
        // Arrange: node's own summary of "node --test test/*.js" here is "tests 2": the constants file counts as one.
        using var tools = new TempDirectory();
        using var project = new TempDirectory();
        project.Write("test/a.test.js", "const { test } = require('node:test');\nconst { N } = require('./constants.js');\ntest('uses', () => {});\n");
        project.Write("test/constants.js", "exports.N = 3;\n");
        var report = Path.Combine(project.Path, NodeReporter.ReportFile);

        // Act
        await NodeReporter.WriteAsync(tools.Path, CancellationToken.None);
        var exit = await RunAsync(project.Path, "node", "--test", $"--test-reporter={Path.Combine(tools.Path, NodeReporter.FileName)}", $"--test-reporter-destination={report}", "test/a.test.js", "test/constants.js");
        var parsed = new NodeJsonlParser().Parse(new ReportInput { Log = "", ReportFiles = new Dictionary<string, string> { ["node.jsonl"] = File.ReadAllText(report) } });

        // Assert
        Assert.Equal(0, exit);
        Assert.Equal([("test/a.test.js > uses", "passed"), ("test/constants.js", "passed")], parsed.Tests.Select(t => (t.Id, t.Status.Value)));
    }

    private static async Task<int> RunAsync(string directory, string program, params string[] arguments)
    {
        var psi = new ProcessStartInfo(program) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        await Task.WhenAll(stdout, stderr);
        return process.ExitCode;
    }
}
