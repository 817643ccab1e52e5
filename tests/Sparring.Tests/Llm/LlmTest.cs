using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Sparring.Llm;
using Sparring.TestUtilities;

namespace Sparring.Tests.Llm;

/// <summary>Shared setup for the Llm tests: options for a scripted server, a free port, a tool declaration.</summary>
internal static class LlmTest
{
    public static ModelClientOptions Options(ScriptedModelServer server, int maxRetries = 0) => new()
    {
        Endpoint = server.Endpoint,
        Model = server.Model,
        MaxRetries = maxRetries,
        InitialBackoff = TimeSpan.FromMilliseconds(10),
        MaxBackoff = TimeSpan.FromSeconds(30),
        RequestTimeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>A loopback port nothing listens on (bound, then released).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public static AIFunctionDeclaration Bash { get; } = AIFunctionFactory.CreateDeclaration(
        "bash",
        "Run a shell command.",
        JsonDocument.Parse("""{"type":"object","properties":{"command":{"type":"string"}},"required":["command"]}""").RootElement.Clone());

    public static List<ChatMessage> Prompt(string task = "Fix the failing test.") =>
    [
        new(ChatRole.System, "You are a careful engineer."),
        new(ChatRole.User, task),
    ];

    /// <summary>A JSON form of a response that covers everything replay must reproduce.</summary>
    public static string Snapshot(ChatResponse response) => JsonSerializer.Serialize(new
    {
        Messages = JsonSerializer.SerializeToElement(response.Messages, AIJsonUtilities.DefaultOptions),
        FinishReason = response.FinishReason?.Value,
        Usage = JsonSerializer.SerializeToElement(response.Usage, AIJsonUtilities.DefaultOptions),
        response.ModelId,
        response.ResponseId,
        Turn = JsonSerializer.SerializeToElement(response.GetModelTurn(), LlmJsonContext.Default.ModelTurn),
    });
}
