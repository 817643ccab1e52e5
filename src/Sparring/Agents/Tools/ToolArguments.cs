using System.Globalization;
using System.Text.Json;
using Sparring.Agents;

namespace Sparring.Agents.Tools;

/// <summary>The arguments of one call, from a native tool call's JSON or a text action's body.</summary>
public sealed class ToolArguments
{
    private readonly Dictionary<string, JsonElement> _values;

    public ToolArguments(IReadOnlyDictionary<string, JsonElement> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = new Dictionary<string, JsonElement>(values, StringComparer.Ordinal);
    }

    public static ToolArguments Empty { get; } = new(new Dictionary<string, JsonElement>());

    public IReadOnlyDictionary<string, JsonElement> Values => _values;

    /// <summary>Parses a JSON object (a native call's <c>arguments</c> string).</summary>
    /// <exception cref="ToolArgumentException">The text is not a JSON object.</exception>
    public static ToolArguments ParseJson(string json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return Empty;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ToolArgumentException("arguments must be a JSON object");
            }

            return new ToolArguments(document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal));
        }
        catch (JsonException ex)
        {
            throw new ToolArgumentException($"arguments are not valid JSON: {ex.Message}", ex);
        }
    }

    /// <summary>Builds arguments from strings (text actions).</summary>
    public static ToolArguments FromStrings(IEnumerable<KeyValuePair<string, string>> values) =>
        new(values.ToDictionary(p => p.Key, p => JsonSerializer.SerializeToElement(p.Value, AgentsJsonContext.Default.String), StringComparer.Ordinal));

    public bool Has(string name) => _values.TryGetValue(name, out var v) && v.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined);

    /// <exception cref="ToolArgumentException">Missing or not a string.</exception>
    public string GetString(string name) =>
        GetOptionalString(name) ?? throw new ToolArgumentException($"missing required argument '{name}'");

    public string? GetOptionalString(string name)
    {
        if (!_values.TryGetValue(name, out var value) || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
            _ => throw new ToolArgumentException($"argument '{name}' must be a string"),
        };
    }

    /// <summary>An integer given as a number or a numeric string.</summary>
    public int? GetOptionalInt(string name)
    {
        if (!_values.TryGetValue(name, out var value) || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
        {
            return number;
        }

        if (value.ValueKind == JsonValueKind.String && int.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out number))
        {
            return number;
        }

        throw new ToolArgumentException($"argument '{name}' must be an integer");
    }

    /// <summary>A list of integers such as <c>[10, 40]</c> (a view range).</summary>
    public IReadOnlyList<int>? GetOptionalIntList(string name)
    {
        if (!_values.TryGetValue(name, out var value) || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            var text = value.GetString()!.Trim().Trim('[', ']');
            try
            {
                return text.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries).Select(t => int.Parse(t, NumberStyles.Integer, CultureInfo.InvariantCulture)).ToList();
            }
            catch (FormatException ex)
            {
                throw new ToolArgumentException($"argument '{name}' must be a list of integers", ex);
            }
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.Number || !e.TryGetInt32(out _)))
        {
            throw new ToolArgumentException($"argument '{name}' must be a list of integers");
        }

        return value.EnumerateArray().Select(e => e.GetInt32()).ToList();
    }

    /// <summary>The arguments as a JSON object (for trajectories).</summary>
    public string ToJson() => JsonSerializer.Serialize(_values, AgentsJsonContext.Default.DictionaryStringJsonElement);
}
