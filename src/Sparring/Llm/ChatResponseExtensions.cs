using Microsoft.Extensions.AI;

namespace Sparring.Llm;

/// <summary>Reaches the RL data Sparring's clients attach to a <see cref="ChatResponse"/>.</summary>
public static class ChatResponseExtensions
{
    /// <summary>The key under which <see cref="ModelTurn"/> is stored in <see cref="ChatResponse.AdditionalProperties"/>.</summary>
    public const string ModelTurnKey = "sparring.modelTurn";

    /// <summary>The raw JSON body of the server's answer, in <see cref="ChatResponse.AdditionalProperties"/>.</summary>
    public const string RawJsonKey = "sparring.rawJson";

    /// <summary>The token-level data of the call, or null when the response did not come from a Sparring client.</summary>
    public static ModelTurn? GetModelTurn(this ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.AdditionalProperties?.TryGetValue(ModelTurnKey, out var value) == true ? value as ModelTurn : null;
    }

    /// <summary>The server's raw JSON answer, or null.</summary>
    public static string? GetRawJson(this ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.AdditionalProperties?.TryGetValue(RawJsonKey, out var value) == true ? value as string : null;
    }

    /// <summary>Attaches <paramref name="turn"/> to the response, replacing any earlier one, and returns the same response (for clients and decorators).</summary>
    public static ChatResponse WithModelTurn(this ChatResponse response, ModelTurn turn)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.AdditionalProperties ??= [];
        response.AdditionalProperties[ModelTurnKey] = turn;
        return response;
    }
}
