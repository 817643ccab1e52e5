using Sparring.Sandboxes.Internal;

namespace Sparring.Tests.Sandboxes;

/// <summary>How the pool spreads work over engines (no engine is asked: handing out slots needs none).</summary>
public sealed class DockerEnginePoolTests
{
    private static readonly Uri[] Hosts = [new("unix:///nonexistent/a.sock"), new("unix:///nonexistent/b.sock"), new("unix:///nonexistent/c.sock")];

    [Fact]
    public async Task AcquireAsync_EnginesEquallyFree_TakesThemInTurnSoOneProcessUsesEveryEngine()
    {
        // Arrange
        using var pool = new DockerEnginePool(Hosts, 4, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeProvider.System);

        // Act: six pieces of work one after the other, each slot released before the next.
        var used = new List<Uri>();
        for (var i = 0; i < 6; i++)
        {
            var engine = await pool.AcquireAsync([], CancellationToken.None);
            used.Add(engine.Endpoint);
            engine.ReleaseSlot();
        }

        // Assert: every engine twice, never the same one twice in a row.
        Assert.All(Hosts, h => Assert.Equal(2, used.Count(u => u == h)));
        Assert.All(used.Zip(used.Skip(1)), p => Assert.NotEqual(p.First, p.Second));
    }

    [Fact]
    public async Task AcquireAsync_OneEngineBusier_TakesTheFreestAndLeavesOutDownAndTriedOnes()
    {
        // Arrange: engine a holds two slots, b one; c is down.
        using var pool = new DockerEnginePool(Hosts, 4, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeProvider.System);
        var (a, b, c) = (pool.Engines[0], pool.Engines[1], pool.Engines[2]);
        await a.WaitForSlotAsync(CancellationToken.None);
        await a.WaitForSlotAsync(CancellationToken.None);
        await b.WaitForSlotAsync(CancellationToken.None);
        pool.MarkDown(c);

        // Act
        var freest = await pool.AcquireAsync([], CancellationToken.None);
        var notTried = await pool.AcquireAsync([freest], CancellationToken.None);
        var error = await Assert.ThrowsAsync<Sparring.Sandboxes.SandboxException>(() => pool.AcquireAsync([a, b], CancellationToken.None));

        // Assert
        Assert.Same(b, freest);
        Assert.Same(a, notTried);
        Assert.Contains("No Docker engine answers", error.Message, StringComparison.Ordinal);
    }
}
