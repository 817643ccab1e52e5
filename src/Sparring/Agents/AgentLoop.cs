using System.Globalization;
using Microsoft.Extensions.AI;
using Sparring.Agents.Tools;
using Sparring.Llm;

namespace Sparring.Agents;

/// <summary>
/// The agent loop: check budgets → query the model → parse the action → run the tool → append the
/// observation; the trajectory is persisted after every step. Works with native tool calls and with
/// CWM text actions (<see cref="ActionFormat"/>).
/// </summary>
/// <remarks>
/// Expected endings are values (<see cref="AgentExit"/>); a model server failure after retries ends the episode
/// as <see cref="AgentExit.ModelError"/> with the error in the trajectory. Tools never throw on model input.
/// Context folding (<see cref="ContextFolder"/>) changes only what is sent, never the trajectory.
/// One episode at a time per instance.
/// </remarks>
public sealed partial class AgentLoop
{
    private readonly IChatClient _client;
    private readonly IReadOnlyList<AgentTool> _tools;
    private readonly AgentOptions _options;
    private readonly TimeProvider _time;

    public AgentLoop(IChatClient client, IReadOnlyList<AgentTool> tools, AgentOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(tools);
        ArgumentNullException.ThrowIfNull(options);
        var duplicate = tools.GroupBy(t => t.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"two tools are named '{duplicate.Key}'", nameof(tools));
        }

        _client = client;
        _tools = tools;
        _options = options.Validate();
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Called after every step with the trajectory so far (persist it here).</summary>
    public Func<Trajectory, CancellationToken, Task>? OnStep { get; init; }

    /// <summary>A new, empty trajectory for this loop's budgets and tools.</summary>
    public Trajectory NewTrajectory(string id, string role, string? model = null, string? task = null) => new()
    {
        Id = id,
        Role = role,
        Model = model,
        Task = task,
        ActionFormat = _options.ActionFormat == ActionFormat.Text ? "text" : "native",
        StartedAt = _time.GetUtcNow(),
        Budgets = new TrajectoryBudgets(_options.MaxTurns, _options.MaxTokens, _options.WallClock.TotalSeconds, _options.KeepObservations, _options.MaxConsecutiveFormatErrors),
        Tools = _tools.Select(t => t.Name).ToList(),
        ToolDefinitions = _tools.Select(t => new TrajectoryToolDefinition(t.Name, t.Description, t.ParametersSchema)).ToList(),
    };

    /// <summary>Runs one episode. <paramref name="systemPrompt"/> gets the text-action usage appended in the text format.</summary>
    public async Task<AgentResult> RunAsync(string systemPrompt, string userPrompt, ToolContext context, Trajectory trajectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(trajectory);
        var started = _time.GetTimestamp();
        var episode = new Episode(trajectory, started);
        var system = _options.ActionFormat == ActionFormat.Text ? systemPrompt + "\n\n" + TextUsage() : systemPrompt;
        episode.Add(new ChatMessage(ChatRole.System, system), new TrajectoryMessage { Role = "system", Content = system }, observation: false);
        episode.Add(new ChatMessage(ChatRole.User, userPrompt), new TrajectoryMessage { Role = "user", Content = userPrompt, AtMs = 0 }, observation: false);
        await StepAsync(episode, cancellationToken).ConfigureAwait(false);
        var consecutiveFormatErrors = 0;
        while (true)
        {
            if (Budget(episode) is { } exhausted)
            {
                return await EndAsync(episode, exhausted.Exit, exhausted.Detail, null, cancellationToken).ConfigureAwait(false);
            }

            ChatResponse response;
            using (var wallClock = new CancellationTokenSource(_options.WallClock - _time.GetElapsedTime(started), _time))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, wallClock.Token))
            {
                try
                {
                    response = await _client.GetResponseAsync(ContextFolder.Fold(episode.History, episode.Observations, _options.KeepObservations), ChatOptions(), linked.Token).ConfigureAwait(false);
                }
                catch (ModelServerException ex)
                {
                    return await EndAsync(episode, AgentExit.ModelError, $"{ex.Kind}: {ex.Message}", null, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (wallClock.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    return await EndAsync(episode, AgentExit.WallClock, "the wall-clock budget ran out during a model call", null, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return await EndAsync(episode, AgentExit.Cancelled, null, null, CancellationToken.None).ConfigureAwait(false);
                }
            }

            var turn = response.GetModelTurn();
            trajectory.Turns++;
            trajectory.PromptTokens += turn?.PromptTokens ?? response.Usage?.InputTokenCount ?? 0;
            trajectory.CompletionTokens += turn?.CompletionTokens ?? response.Usage?.OutputTokenCount ?? 0;
            var outcome = await ActAsync(episode, response, turn, context, cancellationToken).ConfigureAwait(false);
            if (outcome.Submission is not null)
            {
                return await EndAsync(episode, AgentExit.Submitted, null, outcome.Submission, cancellationToken).ConfigureAwait(false);
            }

            consecutiveFormatErrors = outcome.FormatError is null ? 0 : consecutiveFormatErrors + 1;
            if (outcome.FormatError is not null)
            {
                trajectory.FormatErrors++;
            }

            if (consecutiveFormatErrors >= _options.MaxConsecutiveFormatErrors)
            {
                return await EndAsync(episode, AgentExit.RepeatedFormatErrors, outcome.FormatError, null, cancellationToken).ConfigureAwait(false);
            }

            await StepAsync(episode, cancellationToken).ConfigureAwait(false);
        }
    }

    private (AgentExit Exit, string Detail)? Budget(Episode episode)
    {
        var trajectory = episode.Trajectory;
        if (trajectory.Turns >= _options.MaxTurns)
        {
            return (AgentExit.TurnLimit, string.Create(CultureInfo.InvariantCulture, $"{trajectory.Turns} turns used of {_options.MaxTurns}"));
        }

        if (trajectory.PromptTokens + trajectory.CompletionTokens >= _options.MaxTokens)
        {
            return (AgentExit.TokenLimit, string.Create(CultureInfo.InvariantCulture, $"{trajectory.PromptTokens + trajectory.CompletionTokens} tokens used of {_options.MaxTokens}"));
        }

        var elapsed = _time.GetElapsedTime(episode.Started);
        return elapsed >= _options.WallClock
            ? (AgentExit.WallClock, string.Create(CultureInfo.InvariantCulture, $"{elapsed.TotalSeconds:0.0} s used of {_options.WallClock.TotalSeconds:0} s"))
            : null;
    }

    private ChatOptions ChatOptions()
    {
        var options = new ChatOptions
        {
            Temperature = _options.Temperature,
            TopP = _options.TopP,
            TopK = _options.TopK,
            MaxOutputTokens = _options.MaxOutputTokens,
            Seed = _options.Seed,
            StopSequences = _options.Stop.Count > 0 ? [.. _options.Stop] : null,
        };
        if (_options.ActionFormat == ActionFormat.Native)
        {
            options.Tools = [.. _tools.Select(t => AIFunctionFactory.CreateDeclaration(t.Name, t.Description, t.ParametersSchema))];
            options.ToolMode = ChatToolMode.Auto;
        }

        return options;
    }

    private string TextUsage() =>
        "Act by ending each message with exactly one tool call in this form (one call per turn):\n<tool: NAME>\n…\n</tool>\n\nTools:\n\n"
        + string.Join("\n\n", _tools.Select(t => $"## {t.Name}\n{t.Description}\n{t.TextUsage}"));

    private async Task StepAsync(Episode episode, CancellationToken cancellationToken)
    {
        episode.Trajectory.DurationMs = Math.Round(_time.GetElapsedTime(episode.Started).TotalMilliseconds, 1);
        if (OnStep is not null)
        {
            await OnStep(episode.Trajectory, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<AgentResult> EndAsync(Episode episode, AgentExit exit, string? detail, string? submission, CancellationToken cancellationToken)
    {
        episode.Trajectory.Exit = exit;
        episode.Trajectory.ExitDetail = detail;
        episode.Trajectory.Submission = submission;
        await StepAsync(episode, cancellationToken).ConfigureAwait(false);
        return new AgentResult { Exit = exit, Submission = submission, Trajectory = episode.Trajectory };
    }

    private double AtMs(Episode episode) => Math.Round(_time.GetElapsedTime(episode.Started).TotalMilliseconds, 1);

    /// <summary>The messages sent (linear history) beside the trajectory, and which of them are observations.</summary>
    private sealed class Episode(Trajectory trajectory, long started)
    {
        public Trajectory Trajectory { get; } = trajectory;

        public long Started { get; } = started;

        public List<ChatMessage> History { get; } = [];

        public HashSet<int> Observations { get; } = [];

        public void Add(ChatMessage message, TrajectoryMessage record, bool observation)
        {
            if (observation)
            {
                Observations.Add(History.Count);
            }

            History.Add(message);
            Trajectory.Messages.Add(record);
        }
    }
}
