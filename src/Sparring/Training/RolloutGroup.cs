namespace Sparring.Training;

/// <summary>The G rollouts sampled for one task at once: the unit over which advantages are computed.</summary>
public sealed record RolloutGroup
{
    public required string GroupId { get; init; }

    public required string TaskId { get; init; }

    public required IReadOnlyList<Rollout> Rollouts { get; init; }

    /// <summary>Groups rollouts by <see cref="Rollout.GroupId"/>, groups and rollouts in first-seen order.</summary>
    /// <exception cref="ArgumentException">One group holds rollouts of different tasks.</exception>
    public static IReadOnlyList<RolloutGroup> Partition(IEnumerable<Rollout> rollouts)
    {
        ArgumentNullException.ThrowIfNull(rollouts);
        var order = new List<string>();
        var members = new Dictionary<string, List<Rollout>>(StringComparer.Ordinal);
        foreach (var rollout in rollouts)
        {
            if (!members.TryGetValue(rollout.GroupId, out var list))
            {
                list = [];
                members.Add(rollout.GroupId, list);
                order.Add(rollout.GroupId);
            }
            else if (!string.Equals(list[0].TaskId, rollout.TaskId, StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    $"Group '{rollout.GroupId}' holds rollouts of two tasks ('{list[0].TaskId}' and '{rollout.TaskId}'); a group is one task.",
                    nameof(rollouts));
            }

            list.Add(rollout);
        }

        return [.. order.Select(id => new RolloutGroup { GroupId = id, TaskId = members[id][0].TaskId, Rollouts = members[id] })];
    }
}
