using Sparring.Store;

namespace Sparring.TestUtilities;

/// <summary>What a self-play run decided, without paths and times, so runs kept in different stores compare.</summary>
public static class RunRecords
{
    /// <summary>One line per round, bug, attempt and reward, in the store's order (rewards by bug).</summary>
    public static async Task<string> DescribeAsync(IRunStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var lines = new List<string>();
        lines.AddRange((await store.RoundsAsync().ConfigureAwait(false)).Select(r => $"round {r.Round}"));
        lines.AddRange((await store.ArtifactsAsync().ConfigureAwait(false)).Select(a => $"bug {a.Id} {a.Round} {a.Strategy} {a.Order} {a.Parent}"));
        lines.AddRange((await store.AttemptsAsync().ConfigureAwait(false)).Select(a => $"attempt {a.ArtifactId} {a.Attempt} {a.Outcome} {a.Exit} {a.Reward} {a.PatchPath is null}"));
        lines.AddRange((await store.RewardsAsync().ConfigureAwait(false)).OrderBy(r => r.ArtifactId, StringComparer.Ordinal).Select(r => $"reward {r.ArtifactId} {r.SolveRate} {r.InjectorReward}"));
        return string.Join('\n', lines);
    }
}
