using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sparring.Bench;

/// <summary>
/// Zero configuration, measured as a new user meets it: <c>sparring probe DIR --json</c> with no options on every
/// git repository in a folder, counts compared with the runner's own summary in a plain shell, which
/// <c>FOLDER/native.json</c> records (<c>[{"dir", "passed", "failed", "skipped", "seconds", "runs"}]</c>).
/// </summary>
internal static class ZeroConfigBench
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public sealed record Row(string Dir, string Runner, string Native, string Sparring, bool Equal, double Seconds, double? NativeSeconds, string Diagnosis);

    public static async Task<int> RunAsync(string folder, TimeSpan timeout)
    {
        folder = Path.GetFullPath(folder);
        var native = ReadNative(Path.Combine(folder, "native.json"));
        var launcher = Launcher();
        var rows = new List<Row>();
        foreach (var dir in Repositories(folder))
        {
            var name = Path.GetFileName(dir);
            var expected = native.GetValueOrDefault(name);
            var started = Stopwatch.GetTimestamp();
            var (exit, stdout, stderr) = await RunAsync(launcher, ["probe", dir, "--json"], timeout);
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var row = Judge(name, expected, exit, stdout, stderr, seconds);
            rows.Add(row);
            Console.WriteLine(Markdown(row));
        }

        var equal = rows.Count(r => r.Equal);
        var comparable = rows.Count(r => r.Native != "-");
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"equal counts: {equal} of {comparable} repositories with native counts ({(comparable == 0 ? 0 : 100.0 * equal / comparable):0}%); {rows.Count} probed"));
        var outDir = Path.Combine(AppContext.BaseDirectory, "results");
        Directory.CreateDirectory(outDir);
        var file = Path.Combine(outDir, "zero-config.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(rows, Indented));
        Console.WriteLine($"written {file}");
        return 0;
    }

    /// <summary>The repository's <c>sparring</c> launcher, found from the bench's output folder or the working directory.</summary>
    internal static string Launcher()
    {
        var launcher = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../sparring"));
        return File.Exists(launcher) ? launcher : Path.GetFullPath("sparring");
    }

    /// <summary>The git repositories directly under a folder, by name.</summary>
    internal static IEnumerable<string> Repositories(string folder) =>
        Directory.EnumerateDirectories(folder).Where(d => Directory.Exists(Path.Combine(d, ".git"))).Order(StringComparer.Ordinal);

    private static Row Judge(string name, JsonNode? expected, int exit, string stdout, string stderr, double seconds)
    {
        var nativeText = expected is null || expected["runs"]?.GetValue<bool>() == false
            ? "-"
            : string.Create(CultureInfo.InvariantCulture, $"{Int(expected, "passed")}/{Int(expected, "failed") + Int(expected, "errors")}/{Int(expected, "skipped")}");
        JsonNode? probe = null;
        try
        {
            probe = stdout.Trim().Length > 0 ? JsonNode.Parse(stdout) : null;
        }
        catch (JsonException)
        {
        }

        if (probe?["tests"] is not JsonArray tests)
        {
            var error = probe?["error"]?.GetValue<string>() ?? FirstLine(stderr) ?? $"exit {exit}";
            return new Row(name, "-", nativeText, "error", false, seconds, Double(expected, "seconds"), error);
        }

        int Count(params string[] statuses) => tests.Count(t => statuses.Contains(t?["status"]?.GetValue<string>()));
        var (passed, failed, skipped) = (Count("passed"), Count("failed", "error"), Count("skipped"));
        var sparring = string.Create(CultureInfo.InvariantCulture, $"{passed}/{failed}/{skipped}");
        var runner = probe["runner"]?.GetValue<string>() ?? "?";
        var diagnosis = probe["diagnosis"]?["cause"]?.GetValue<string>() ?? (passed + failed == 0 ? probe["evidence"]?.GetValue<string>() ?? "" : "");
        return new Row(name, runner, nativeText, sparring, nativeText == sparring, seconds, Double(expected, "seconds"), diagnosis);
    }

    private static string Markdown(Row row) => string.Create(CultureInfo.InvariantCulture,
        $"| {row.Dir} | {row.Runner} | {row.Native} | {row.Sparring} | {(row.Equal ? "yes" : "no")} | {row.Seconds:0} | {(row.NativeSeconds is { } n ? n.ToString("0", CultureInfo.InvariantCulture) : "-")} | {row.Diagnosis.Replace('|', '/').Replace('\n', ' ')} |");

    private static Dictionary<string, JsonNode?> ReadNative(string path) =>
        File.Exists(path)
            ? JsonNode.Parse(File.ReadAllText(path))!.AsArray().Where(n => n?["dir"] is not null).ToDictionary(n => n!["dir"]!.GetValue<string>(), n => n, StringComparer.Ordinal)
            : [];

    private static int Int(JsonNode node, string key) => node[key]?.GetValue<int>() ?? 0;

    private static double? Double(JsonNode? node, string key) => node?[key] is { } value ? value.GetValue<double>() : null;

    private static string? FirstLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();

    internal static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string program, string[] arguments, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (124, await stdout, "timed out after " + timeout + "\n" + await stderr);
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
