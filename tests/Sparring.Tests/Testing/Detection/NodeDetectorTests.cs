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

    [Fact]
    public void Detect_TestScriptRunsNodeTestThoughJestIsDeclared_RunsWhatTheTestScriptRuns()
    {
        // Arrange: jest is declared for an example; the test script runs node's runner on the built files.
        using var tree = new TempDirectory();
        tree.Write("package.json", """{"devDependencies":{"jest":"^29.0.0","typescript":"^5.0.0"},"scripts":{"test":"node --test --enable-source-maps dist-node/test/*.js"}}""");
        tree.Write("package-lock.json", "{}");

        // Act
        var plan = TestRunnerDetector.Detect(tree.Path);

        // Assert
        Assert.Equal("node", plan.Runner);
        Assert.Equal("the test script runs node", plan.Reason);
        Assert.EndsWith("--enable-source-maps dist-node/test/*.js", plan.Command.Command, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("npm run build && npm run lint", "npm run build")]
    [InlineData("eslint . && tsc -p tsconfig.json", "tsc -p tsconfig.json")]
    [InlineData("npm run format:check", null)]
    [InlineData("npm install && babel src -d lib", "babel src -d lib")]
    public void PretestBuild_PretestScript_KeepsWhatBuildsAndLeavesLintersOut(string pretest, string? build)
    {
        // Arrange
        var scripts = new Dictionary<string, string> { ["pretest"] = pretest, ["build"] = "babel src -d .", ["lint"] = "eslint .", ["format:check"] = "prettier -c ." };

        // Act
        var kept = Sparring.Testing.Detection.NodeDetector.PretestBuild(scripts);

        // Assert
        Assert.Equal(build, kept);
    }

    [Fact]
    public async Task ProbeAsync_TestsImportWhatThePretestBuildWrites_BuildsBeforeEveryRun()
    {
        // Arrange: the tests require lib/, which only the pretest build writes (as babel or tsc would); lint would fail.
        using var repo = new TempGitRepo();
        repo.Write("package.json", """{"name":"built","scripts":{"build":"node build.js","lint":"exit 3","pretest":"npm run build && npm run lint","test":"node --test test/"}}""")
            .Write(".gitignore", "lib/\n")
            .Write("build.js", "const fs = require('fs');\nfs.mkdirSync('lib', { recursive: true });\nfs.copyFileSync('src/add.js', 'lib/add.js');\n")
            .Write("src/add.js", "module.exports = (a, b) => a + b;\n")
            .Write("test/add.test.js", "const { test } = require('node:test');\nconst assert = require('node:assert');\nconst add = require('../lib/add.js');\ntest('adds', () => assert.strictEqual(add(2, 3), 5));\ntest('adds negatives', () => assert.strictEqual(add(-2, -3), -5));\n")
            .Commit("built package");
        var prober = NewProber();

        // Act
        var result = await prober.ProbeAsync(repo.Path, new ProbeOptions());
        repo.Write("src/add.js", "module.exports = (a, b) => a - b;\n").Commit("a bug in the source");
        var broken = await prober.ProbeAsync(repo.Path, new ProbeOptions());

        // Assert: the second run built the changed source, so both tests see the bug.
        Assert.Contains("; npm run build); node --test", result.Plan.Command.Command, StringComparison.Ordinal);
        Assert.Equal(new TestCounts(2, 0, 0, 0, 0), result.Run.Counts);
        Assert.Equal(0, result.Run.ExitCode);
        Assert.Equal(new TestCounts(0, 2, 0, 0, 0), broken.Run.Counts);
    }

    [Fact]
    public async Task ProbeAsync_VitestWithTypecheck_RunsTheTypeTestsThoughVitestsOwnFilesAreReadOnly()
    {
        // Arrange: --typecheck makes tsc write its build info into vitest's package, read-only in the sandbox.
        using var repo = new TempGitRepo();
        repo.Write("package.json", """{"name":"typed","type":"module","devDependencies":{"vitest":"^4.0.0","typescript":"^5.9.0"},"scripts":{"test":"vitest run --typecheck"}}""")
            .Write("tsconfig.json", """{"compilerOptions":{"target":"ES2022","module":"ESNext","moduleResolution":"Bundler","strict":true,"noEmit":true},"include":["src","test"]}""")
            .Write("src/add.ts", "export const add = (a: number, b: number): number => a + b;\n")
            .Write("test/add.test.ts", "import { expect, test } from 'vitest';\nimport { add } from '../src/add';\ntest('adds', () => expect(add(2, 3)).toBe(5));\n")
            .Write("test/types.test-d.ts", "import { expectTypeOf, test } from 'vitest';\nimport { add } from '../src/add';\ntest('returns a number', () => expectTypeOf(add(1, 2)).toEqualTypeOf<number>());\n")
            .Commit("typed package");

        // Act
        var result = await NewProber().ProbeAsync(repo.Path, new ProbeOptions());

        // Assert
        Assert.Equal("vitest", result.Plan.Runner);
        Assert.Equal(new TestCounts(2, 0, 0, 0, 0), result.Run.Counts);
        Assert.True(result.Run.ExitCode == 0, result.Run.Evidence);
    }
}
