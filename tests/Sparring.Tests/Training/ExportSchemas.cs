using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Sparring.TestUtilities;

namespace Sparring.Tests.Training;

/// <summary>Checks exported JSON against the schemas documented in docs/schemas/.</summary>
internal static class ExportSchemas
{
    /// <summary>Built once each: the schema registry refuses a second registration of the same id.</summary>
    private static readonly ConcurrentDictionary<string, Lazy<JsonSchema>> Schemas = new(StringComparer.Ordinal);

    /// <summary>Every line of a JSONL file, each checked against <paramref name="schema"/>.</summary>
    public static List<JsonNode> LoadValidated(string path, string schema) =>
        [.. File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => Validated(l, schema, Path.GetFileName(path)))];

    /// <summary>One JSON document, checked against <paramref name="schema"/>; fails the test with every error.</summary>
    public static JsonNode Validated(string json, string schema, string what = "document")
    {
        var compiled = Schemas.GetOrAdd(schema, s => new Lazy<JsonSchema>(() => JsonSchema.FromText(File.ReadAllText(Path.Combine(Samples.RepositoryRoot, "docs", "schemas", s))))).Value;
        using var document = JsonDocument.Parse(json);
        var result = compiled.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        Assert.True(result.IsValid, $"{what} does not match {schema}: " + string.Join("; ", (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
        return JsonNode.Parse(json)!;
    }
}
