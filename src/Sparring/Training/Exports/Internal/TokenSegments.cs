using Sparring.Agents;

namespace Sparring.Training.Internal;

/// <summary>One contiguous token sequence of a rollout: a prompt, then completions interleaved with what came between.</summary>
internal sealed record TokenSegment(IReadOnlyList<int> PromptTokenIds, IReadOnlyList<int> ResponseIds, IReadOnlyList<int> LossMask, IReadOnlyList<double>? Logprobs);

/// <summary>
/// Rebuilds a rollout's token sequence from the ids the server returned per turn (token in, token out). Turn k+1's
/// prompt normally extends turn k's prompt plus completion; the extension (observations and chat-template tokens)
/// joins the response with loss mask 0. A prompt that does not extend the sequence so far starts a new segment.
/// </summary>
internal static class TokenSegments
{
    /// <summary>The segments, or null with the reason when an assistant turn lacks token ids.</summary>
    public static (IReadOnlyList<TokenSegment>? Segments, string? Missing) Build(Trajectory trajectory)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        var segments = new List<TokenSegment>();
        List<int>? prompt = null, response = null, mask = null;
        List<double>? logprobs = null;
        var turn = 0;
        foreach (var message in trajectory.Messages.Where(m => m.Role == "assistant"))
        {
            turn++;
            var t = message.Turn;
            if (t?.PromptTokenIds is null || t.CompletionTokenIds is null)
            {
                return (null, $"turn {turn} has no token ids (the server returned none: vLLM returns them with return_token_ids)");
            }

            var turnLogprobs = t.Logprobs is { } l && l.Count == t.CompletionTokenIds.Count ? l.Select(x => x.Logprob).ToList() : null;
            if (prompt is not null && Extends(t.PromptTokenIds, prompt, response!))
            {
                var between = t.PromptTokenIds.Count - prompt.Count - response!.Count;
                response.AddRange(t.PromptTokenIds.Skip(prompt.Count + response.Count).Take(between));
                mask!.AddRange(Enumerable.Repeat(0, between));
                logprobs?.AddRange(Enumerable.Repeat(0.0, between));
            }
            else
            {
                if (prompt is not null)
                {
                    segments.Add(new TokenSegment(prompt, response!, mask!, logprobs));
                }

                prompt = [.. t.PromptTokenIds];
                response = [];
                mask = [];
                logprobs = [];
            }

            response.AddRange(t.CompletionTokenIds);
            mask.AddRange(Enumerable.Repeat(1, t.CompletionTokenIds.Count));
            if (turnLogprobs is null)
            {
                logprobs = null;
            }
            else
            {
                logprobs?.AddRange(turnLogprobs);
            }
        }

        if (prompt is null)
        {
            return (null, "the rollout has no assistant turn");
        }

        segments.Add(new TokenSegment(prompt, response!, mask!, logprobs));
        return (segments, null);
    }

    /// <summary>True when <paramref name="next"/> starts with <paramref name="prompt"/> followed by <paramref name="response"/>.</summary>
    private static bool Extends(IReadOnlyList<int> next, List<int> prompt, List<int> response)
    {
        if (next.Count < prompt.Count + response.Count)
        {
            return false;
        }

        for (var i = 0; i < prompt.Count; i++)
        {
            if (next[i] != prompt[i])
            {
                return false;
            }
        }

        for (var i = 0; i < response.Count; i++)
        {
            if (next[prompt.Count + i] != response[i])
            {
                return false;
            }
        }

        return true;
    }
}
