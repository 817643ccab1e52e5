using System.Text.Json.Serialization;

namespace Sparring.Cli;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(ExecReport))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
