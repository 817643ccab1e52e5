using System.Text.Json.Serialization;

namespace Sparring.Llm;

/// <summary>One sampled token with its log-probability under the policy that produced it.</summary>
/// <param name="Token">The token text as the server printed it.</param>
/// <param name="Logprob">Natural-log probability of the token.</param>
/// <param name="TokenId">The token id, when the server returned ids (vLLM <c>return_token_ids</c> or <c>token_id:N</c> tokens).</param>
public sealed record TokenLogprob(
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("logprob")] double Logprob,
    [property: JsonPropertyName("tokenId")] int? TokenId);
