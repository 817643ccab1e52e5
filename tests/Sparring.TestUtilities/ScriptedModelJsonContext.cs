using System.Text.Json.Serialization;

namespace Sparring.TestUtilities;

/// <summary>JSON for the scripted server's fixed-shape bodies.</summary>
[JsonSerializable(typeof(ScriptedModelErrorBody))]
[JsonSerializable(typeof(ScriptedModelList))]
internal sealed partial class ScriptedModelJsonContext : JsonSerializerContext;
