using Sparring.Repos;
using Sparring.Sandboxes;
using Sparring.Testing;
using Sparring.TestUtilities;

namespace Sparring.Tests.Testing;

/// <summary>Real mocha (installed from the registry during setup) with Sparring's reporter, in bubblewrap.</summary>
public sealed class MochaReporterTests
{
    [Fact]
    public async Task ProbeAsync_EqualTitlesInTwoFilesAndFailingHooks_CountsWhatMochasSummaryCounts()
    {
        // Arrange: mocha's own summary of this suite is "3 passing, 2 pending, 4 failing"; its TAP reporter gave 8
        // results, merging the two "math adds" (one passes, one fails) because it names no file.
        using var repo = new TempGitRepo();
        repo.Write("package.json", """{"name":"m","devDependencies":{"mocha":"^10.0.0"},"scripts":{"test":"mocha --reporter dot test/"}}""")
            .Write("test/a.spec.js", """
                const assert = require('assert');
                describe('math', function () {
                  it('adds', function () { assert.equal(1 + 1, 2); });
                  it('fails', function () { assert.equal(1 + 1, 3); });
                  it.skip('skipped', function () {});
                  it('pending without body');
                  describe('nested', function () { it('deep', function () {}); });
                });
                describe('hooks', function () {
                  before(function () { throw new Error('setup broke'); });
                  it('never runs', function () {});
                });
                """)
            .Write("test/b.spec.js", """
                const assert = require('assert');
                describe('math', function () { it('adds', function () { assert.equal(2, 3); }); });
                describe('after', function () {
                  it('runs', function () {});
                  afterEach(function () { throw new Error('teardown broke'); });
                });
                """)
            .Commit("mocha suite");

        // Act
        var result = await new Prober(new BubblewrapSandboxProvider(), new SnapshotStore(TestCache.Root)).ProbeAsync(repo.Path, new ProbeOptions());

        // Assert
        Assert.Equal("mocha", result.Plan.Runner);
        Assert.True(result.Run.SuiteRan, result.Run.Evidence);
        Assert.Equal(
        [
            ("test/a.spec.js > hooks", "error"), ("test/a.spec.js > math > adds", "passed"), ("test/a.spec.js > math > fails", "failed"),
            ("test/a.spec.js > math > nested > deep", "passed"), ("test/a.spec.js > math > pending without body", "skipped"),
            ("test/a.spec.js > math > skipped", "skipped"), ("test/b.spec.js > after", "error"), ("test/b.spec.js > after > runs", "passed"),
            ("test/b.spec.js > math > adds", "failed"),
        ], result.Run.Tests.Select(t => (t.Id, t.Status.Value)).Order());
        Assert.Equal("Error: setup broke", result.Run.Tests.Single(t => t.Id == "test/a.spec.js > hooks").Message?.Split(": ", 2)[1]);
        Assert.NotEqual(0, result.Run.ExitCode);
    }
}
