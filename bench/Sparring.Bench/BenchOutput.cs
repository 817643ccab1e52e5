using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sparring.Bench;

/// <summary>What the benchmarks that drive the CLI share: reading its <c>--json</c> output, writing their rows.</summary>
internal static class BenchOutput
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The command's JSON report, or null when it printed none (it failed before its report).</summary>
    public static JsonNode? ParseReport(string stdout)
    {
        try
        {
            return stdout.Trim().Length > 0 ? JsonNode.Parse(stdout) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Writes <paramref name="rows"/> to <c>results/NAME.json</c> beside the benchmark and says where.</summary>
    public static async Task WriteResultsAsync<T>(string name, IReadOnlyList<T> rows)
    {
        var outDir = Path.Combine(AppContext.BaseDirectory, "results");
        Directory.CreateDirectory(outDir);
        var file = Path.Combine(outDir, name + ".json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(rows, Indented));
        Console.WriteLine($"written {file}");
    }
}
