using Sparring.Repos;
using Sparring.Sandboxes;
using Sparring.Testing;
using Sparring.TestUtilities;

namespace Sparring.Tests.Testing.Detection;

/// <summary>JavaScript runners: which one a package uses and how it is run; colour handling as in a CI shell.</summary>
public sealed class NodeDetectorTests
{
    private static Prober NewProber() => new(new BubblewrapSandboxProvider(), new SnapshotStore(TestCache.Root));

    [Fact]
    public async Task ProbeAsync_SuiteThatChecksColourSupport_SeesTheEnvironmentOfACiShell()
    {
        // Arrange: colour detection as picocolors and kleur do it (NO_COLOR, TERM=dumb, CI, FORCE_COLOR); in a CI
        // shell, where CI is set and NO_COLOR is not, both tests pass.
        using var repo = new TempGitRepo();
        repo.Write("package.json", """{"name":"paint","scripts":{"test":"node --test test/"}}""")
            .Write("paint.js", """
                function enabled(env = process.env) {
                  if ('NO_COLOR' in env || env.TERM === 'dumb') return false;
                  return 'FORCE_COLOR' in env || 'CI' in env || require('tty').isatty(1);
                }
                exports.red = (text, env) => enabled(env) ? `\x1b[31m${text}\x1b[39m` : text;
                """)
            .Write("test/paint.test.js", """
                const { test } = require('node:test');
                const assert = require('node:assert');
                const { red } = require('../paint.js');
                test('colours on CI', () => assert.strictEqual(red('x'), '\x1b[31mx\x1b[39m'));
                test('FORCE_COLOR forces colour', () => assert.strictEqual(red('x', { ...process.env, FORCE_COLOR: '1' }), '\x1b[31mx\x1b[39m'));
                test('NO_COLOR turns it off', () => assert.strictEqual(red('x', { NO_COLOR: '1' }), 'x'));
                """)
            .Commit("colours");

        // Act
        var result = await NewProber().ProbeAsync(repo.Path, new ProbeOptions());

        // Assert
        Assert.True(result.Run.SuiteRan, result.Run.Evidence);
        Assert.Equal(new TestCounts(3, 0, 0, 0, 0), result.Run.Counts);
        Assert.Equal(0, result.Run.ExitCode);
    }

    [Theory]
    [InlineData("vitest", "1.6.0", """{"test":"vitest run --coverage --reporter=verbose tests/unit"}""",
        "node_modules/.bin/vitest run tests/unit --reporter=default --reporter=json --outputFile=/sparring/results/vitest.json --coverage.enabled=false", "jest-json")]
    [InlineData("vitest", "^2.0.0", """{"test":"npm run unit","unit":"vitest --watch=false"}""",
        "node_modules/.bin/vitest run --reporter=default --reporter=json --outputFile=/sparring/results/vitest.json --coverage.enabled=false", "jest-json")]
    [InlineData("ava", "^6.1.0", """{"test":"xo && c8 ava --verbose"}""", "node_modules/.bin/ava --tap", "tap")]
    [InlineData("tap", "^16.3.0", """{"test":"tap --100 -R spec test/*.js"}""", "node_modules/.bin/tap test/*.js --reporter=tap --no-coverage", "tap")]
    [InlineData("tap", "^21.0.1", """{"test":"tap"}""", "node_modules/.bin/tap --reporter=tap --disable-coverage", "tap")]
    public void Detect_DeclaredRunner_RunsItWithAReporterSparringReads(string runner, string version, string scripts, string command, string parser)
    {
        // Arrange
        using var tree = new TempDirectory();
        tree.Write("package.json", $$"""{"devDependencies":{"{{runner}}":"{{version}}","c8":"9.0.0"},"scripts":{{scripts}}}""");
        tree.Write("package-lock.json", "{}");

        // Act
        var plan = TestRunnerDetector.Detect(tree.Path);

        // Assert
        Assert.Equal(runner, plan.Runner);
        Assert.Equal(command, plan.Command.Command);
        Assert.Equal(parser, plan.Command.Parser);
        Assert.Equal(["node_modules"], plan.Recipe.SharedDirectories);
    }
}
