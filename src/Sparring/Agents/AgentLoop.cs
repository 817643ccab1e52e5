using System.Globalization;
using Microsoft.Extensions.AI;
using Sparring.Agents.Internal;
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
/// The trajectory is the one history: each request is made from it (<see cref="ContextFolder"/> folds old
/// observations in what is sent, never in the trajectory).
/// One episode at a time per instance.
/// </remarks>
public sealed class AgentLoop
{
    private readonly IChatClient _client;
    private readonly IReadOnlyList<AgentTool> _tools;
    private readonly AgentOptions _options;
    private readonly TimeProvider _time;
    private readonly TurnReader _reader;

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
        _reader = new TurnReader(_options.ActionFormat, tools);
    }

    /// <summary>Called after every step with the trajectory so far (persist it here: <see cref="TrajectoryJournal.AppendAsync"/>).</summary>
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
        var system = _options.ActionFormat == ActionFormat.Text ? systemPrompt + "\n\n" + TextUsage() : systemPrompt;
        trajectory.Messages.Add(new TrajectoryMessage { Role = "system", Content = system });
        trajectory.Messages.Add(new TrajectoryMessage { Role = "user", Content = userPrompt, AtMs = 0 });
        await StepAsync(trajectory, started, cancellationToken).ConfigureAwait(false);
        var consecutiveFormatErrors = 0;
        while (true)
        {
            if (Budget(trajectory, started) is { } exhausted)
            {
                return await EndAsync(trajectory, started, exhausted.Exit, exhausted.Detail, null, cancellationToken).ConfigureAwait(false);
            }

            ChatResponse response;
            using (var wallClock = new CancellationTokenSource(_options.WallClock - _time.GetElapsedTime(started), _time))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, wallClock.Token))
            {
                try
                {
                    response = await _client.GetResponseAsync(ContextFolder.Fold(trajectory.Messages, _options.KeepObservations), ChatOptions(), linked.Token).ConfigureAwait(false);
                }
                catch (ModelServerException ex)
                {
                    return await EndAsync(trajectory, started, AgentExit.ModelError, $"{ex.Kind}: {ex.Message}", null, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (wallClock.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    return await EndAsync(trajectory, started, AgentExit.WallClock, "the wall-clock budget ran out during a model call", null, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return await EndAsync(trajectory, started, AgentExit.Cancelled, null, null, CancellationToken.None).ConfigureAwait(false);
                }
            }

            var turn = response.GetModelTurn();
            trajectory.Turns++;
            trajectory.PromptTokens += turn?.PromptTokens ?? response.Usage?.InputTokenCount ?? 0;
            trajectory.CompletionTokens += turn?.CompletionTokens ?? response.Usage?.OutputTokenCount ?? 0;
            var parsed = _reader.Read(response, turn, AtMs(started));
            trajectory.Messages.Add(parsed.Message);
            if (parsed.Actions.Count == 0)
            {
                trajectory.Messages.Add(TurnReader.FormatFeedback(parsed.FormatError!, AtMs(started)));
            }

            foreach (var action in parsed.Actions)
            {
                var result = action.Problem is not null
                    ? ToolResult.Error(action.Problem)
                    : await action.Tool!.InvokeAsync(action.Arguments!, context, cancellationToken).ConfigureAwait(false);
                if (result.Submitted)
                {
                    return await EndAsync(trajectory, started, AgentExit.Submitted, null, result.Submission ?? "", cancellationToken).ConfigureAwait(false);
                }

                trajectory.Messages.Add(_reader.Observation(action, _options.Hints ? result with { Output = result.Output.TrimEnd('\n') + "\n\n" + Hint(trajectory, started) } : result, parsed.IgnoredActions, AtMs(started)));
            }

            trajectory.FormatErrors += parsed.FormatError is null ? 0 : 1;
            consecutiveFormatErrors = parsed.FormatError is null ? 0 : consecutiveFormatErrors + 1;
            if (consecutiveFormatErrors >= _options.MaxConsecutiveFormatErrors)
            {
                return await EndAsync(trajectory, started, AgentExit.RepeatedFormatErrors, parsed.FormatError, null, cancellationToken).ConfigureAwait(false);
            }

            await StepAsync(trajectory, started, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The environment hint after an observation: what is left of each budget, and how to run the tests.</summary>
    private string Hint(Trajectory trajectory, long started)
    {
        var tokens = Math.Max(0, _options.MaxTokens - trajectory.PromptTokens - trajectory.CompletionTokens);
        var minutes = Math.Max(0, (_options.WallClock - _time.GetElapsedTime(started)).TotalMinutes);
        return string.Create(CultureInfo.InvariantCulture,
            $"[environment: {_options.MaxTurns - trajectory.Turns} of {_options.MaxTurns} turns left, {tokens} tokens left, {minutes:0.#} min left{(_options.TestCommand is { } command ? $"; run the tests with: {command}" : "")}]");
    }

    private (AgentExit Exit, string Detail)? Budget(Trajectory trajectory, long started)
    {
        if (trajectory.Turns >= _options.MaxTurns)
        {
            return (AgentExit.TurnLimit, string.Create(CultureInfo.InvariantCulture, $"{trajectory.Turns} turns used of {_options.MaxTurns}"));
        }

        if (trajectory.PromptTokens + trajectory.CompletionTokens >= _options.MaxTokens)
        {
            return (AgentExit.TokenLimit, string.Create(CultureInfo.InvariantCulture, $"{trajectory.PromptTokens + trajectory.CompletionTokens} tokens used of {_options.MaxTokens}"));
        }

        var elapsed = _time.GetElapsedTime(started);
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

    private async Task StepAsync(Trajectory trajectory, long started, CancellationToken cancellationToken)
    {
        trajectory.DurationMs = AtMs(started);
        if (OnStep is not null)
        {
            await OnStep(trajectory, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<AgentResult> EndAsync(Trajectory trajectory, long started, AgentExit exit, string? detail, string? submission, CancellationToken cancellationToken)
    {
        trajectory.Exit = exit;
        trajectory.ExitDetail = detail;
        trajectory.Submission = submission;
        await StepAsync(trajectory, started, cancellationToken).ConfigureAwait(false);
        return new AgentResult { Exit = exit, Submission = submission, Trajectory = trajectory };
    }

    private double AtMs(long started) => Math.Round(_time.GetElapsedTime(started).TotalMilliseconds, 1);
}
