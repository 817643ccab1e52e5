using System.Globalization;
using Sparring.Agents;
using Sparring.Grading;
using Sparring.Rewards;
using Sparring.Solving;
using Sparring.Training;

namespace Sparring.Service;

public sealed partial class RolloutService
{
    /// <summary>
    /// A task's group from its graded attempts: rewards (each attempt's own, else ±1; a tampered attempt is a failure, −1), advantages, and the
    /// <c>rl</c> records of the attempts whose trajectories carry token ids, each with its attempt's outcome.
    /// </summary>
    internal static async Task<RolloutGroupResult> GroupAsync(
        RolloutRequest request, string workDirectory, string directory, string uid, string taskId, IReadOnlyList<SolveAttempt> attempts, CancellationToken cancellationToken)
    {
        var trajectories = new Dictionary<string, Trajectory>(StringComparer.Ordinal);
        var rollouts = new List<Rollout>();
        var outcomes = new Dictionary<string, GradeOutcome>(StringComparer.Ordinal);
        foreach (var attempt in attempts)
        {
            var trajectory = attempt.TrajectoryPath is { } p && TrajectoryFiles.Exists(p) ? await TrajectoryFiles.LoadAsync(p, cancellationToken).ConfigureAwait(false) : null;
            var id = Path.GetRelativePath(workDirectory, attempt.TrajectoryPath ?? Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"attempt-{attempt.Attempt}")));
            if (trajectory is not null)
            {
                trajectories[id] = trajectory;
            }

            outcomes[id] = attempt.Outcome;

            rollouts.Add(new Rollout
            {
                Id = id,
                TaskId = taskId,
                GroupId = uid,
                Reward = attempt.Reward ?? Reward.Solver(attempt.Outcome),
                PolicyVersion = request.Policy.Version,
                StopReason = new StopReason(attempt.Exit.Value),
                Steps = attempt.Turns,
                Tokens = (int)Math.Min(int.MaxValue, trajectory?.CompletionTokens ?? 0),
            });
        }

        IReadOnlyList<Rollout> kept = request.CompactFiltering ? CompactFilter.Apply(rollouts).Kept : rollouts;
        var estimator = AdvantageEstimators.Get(request.Estimator);
        var batch = AdvantageBatch.Create([new RolloutGroup { GroupId = uid, TaskId = taskId, Rollouts = kept }], estimator, new LossAggregation(request.LossAggMode));
        var records = new List<RlRecord>();
        foreach (var item in batch.Items)
        {
            if (trajectories.TryGetValue(item.Rollout.Id!, out var trajectory)
                && RlRecords.Build(item, "solver", outcomes[item.Rollout.Id!], trajectory, batch.Estimator, batch.LossAggregation).Records is { } lines)
            {
                records.AddRange(lines);
            }
        }

        return new RolloutGroupResult
        {
            Uid = uid,
            TaskId = taskId,
            SolveRate = Reward.SolveRate(attempts.Count(a => a.Solved), attempts.Count),
            ZeroVariance = kept.Select(r => r.Reward).Distinct().Count() <= 1,
            Estimator = batch.Estimator,
            Rollouts = [.. attempts.Select((a, i) => new RolloutOutcome
            {
                Attempt = a.Attempt,
                Solved = a.Solved,
                Outcome = a.Outcome,
                Exit = a.Exit.Value,
                ExitDetail = a.ExitDetail,
                Turns = a.Turns,
                Tokens = a.Tokens,
                Reward = batch.Items[i].Rollout.Reward,
                Advantage = batch.Items[i].Advantage,
                Masked = batch.Items[i].Rollout.Masked,
                Trajectory = a.TrajectoryPath,
                Patch = a.PatchPath,
            })],
            Records = records,
        };
    }
}
