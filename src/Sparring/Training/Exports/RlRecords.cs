using Sparring.Agents;
using Sparring.Grading;
using Sparring.Rewards;
using Sparring.Training.Internal;

namespace Sparring.Training;

/// <summary>The <c>rl</c> lines of one rollout: one per token segment, each with the rollout's reward and advantage.</summary>
public static class RlRecords
{
    /// <summary>The lines, or null with the reason when the trajectory carries no token ids. <c>outcome</c> is the solver attempt's grade, null for the injector (not graded).</summary>
    public static (IReadOnlyList<RlRecord>? Records, string? Missing) Build(
        RolloutAdvantage item, string role, GradeOutcome? outcome, Trajectory trajectory, string estimator, LossAggregation lossAggregation)
    {
        ArgumentNullException.ThrowIfNull(item);
        var (segments, missing) = TokenSegments.Build(trajectory);
        if (segments is null)
        {
            return (null, missing);
        }

        var rollout = item.Rollout;
        var records = segments.Select((s, i) => new RlRecord
        {
            Uid = rollout.GroupId,
            TrajectoryId = rollout.Id ?? trajectory.Id,
            Segment = i,
            Segments = segments.Count,
            Role = role,
            TaskId = rollout.TaskId,
            Outcome = outcome?.Value,
            PromptTokenIds = s.PromptTokenIds,
            ResponseIds = s.ResponseIds,
            LossMask = item.ContributesToLoss ? s.LossMask : [.. Enumerable.Repeat(0, s.LossMask.Count)],
            RolloutLogprobs = s.Logprobs,
            Reward = rollout.Reward,
            Advantage = item.Advantage,
            PolicyVersion = rollout.PolicyVersion,
            StopReason = rollout.StopReason.Value,
            Masked = rollout.Masked,
            MaskReason = rollout.MaskReason,
            AdvantageEstimator = estimator,
            LossAggregationMode = lossAggregation.Value,
        }).ToList();
        return (records, null);
    }
}
