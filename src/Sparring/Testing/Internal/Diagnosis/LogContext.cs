using System.Text.Json;
using System.Text.RegularExpressions;

namespace Sparring.Testing.Internal.Diagnosis;

/// <summary>A log split into lines (the <c>Output</c> of <c>go test -json</c> events unwrapped), with the searches the rules share.</summary>
internal sealed class LogContext
{
    private const int MaxLineLength = 200;

    public LogContext(DiagnosisInput input)
    {
        Input = input;
        Lines = input.Log.Split('\n').Select(Unwrap).SelectMany(l => l.Split('\n')).Select(l => l.TrimEnd('\r', ' ', '\t')).ToArray();
    }

    public DiagnosisInput Input { get; }

    public string[] Lines { get; }

    /// <summary>The first line matching <paramref name="pattern"/>, with its index; null when none does.</summary>
    public (int Index, Match Match)? Find(Regex pattern)
    {
        for (var i = 0; i < Lines.Length; i++)
        {
            if (pattern.Match(Lines[i]) is { Success: true } match)
            {
                return (i, match);
            }
        }

        return null;
    }

    /// <summary>The first distinct lines that <paramref name="isError"/> accepts, shortened; at most <see cref="RunDiagnosis.MaxExcerptLines"/>.</summary>
    public List<string> ErrorLines(Func<string, bool> isError)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var lines = new List<string>();
        foreach (var line in Lines)
        {
            if (lines.Count == RunDiagnosis.MaxExcerptLines)
            {
                break;
            }

            if (line.Trim().Length > 0 && isError(line) && seen.Add(line.Trim()))
            {
                lines.Add(Shorten(line));
            }
        }

        return lines;
    }

    /// <summary>The non-empty lines from <paramref name="index"/> on, up to a line <paramref name="stop"/> accepts.</summary>
    public List<string> Block(int index, Func<string, bool>? stop = null)
    {
        var lines = new List<string>();
        for (var i = index; i < Lines.Length && lines.Count < RunDiagnosis.MaxExcerptLines; i++)
        {
            if (i > index && stop?.Invoke(Lines[i]) == true)
            {
                break;
            }

            if (Lines[i].Trim().Length > 0)
            {
                lines.Add(Shorten(Lines[i]));
            }
        }

        return lines;
    }

    /// <summary>The last non-empty lines: where a run was when it stopped.</summary>
    public List<string> Tail() =>
        Lines.Where(l => l.Trim().Length > 0).TakeLast(RunDiagnosis.MaxExcerptLines).Select(Shorten).ToList();

    /// <summary>The diagnosis, with <paramref name="excerpt"/> or, when that is empty, the log's last lines.</summary>
    public RunDiagnosis Make(string kind, string cause, string? suggestion, List<string> excerpt) => new()
    {
        Kind = kind,
        Cause = cause,
        Excerpt = excerpt.Count > 0 ? excerpt : Tail(),
        Suggestion = suggestion,
    };

    /// <summary>The test command with <paramref name="prefix"/> before it, quoted for <c>--test-cmd</c>.</summary>
    public string TestCommandWith(string prefix = "", string suffix = "") =>
        $"--test-cmd \"{(prefix + Input.Command + suffix).Replace("\"", "\\\"", StringComparison.Ordinal)}\"";

    /// <summary>A file or directory of the tree, when the tree is at hand.</summary>
    public bool TreeHas(string relativePath) =>
        Input.Tree is { } tree && (File.Exists(Path.Combine(tree, relativePath)) || Directory.Exists(Path.Combine(tree, relativePath)));

    /// <summary>A file of the tree as text, or null.</summary>
    public string? TreeFile(string relativePath)
    {
        if (Input.Tree is not { } tree)
        {
            return null;
        }

        var path = Path.Combine(tree, relativePath);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }

    private static string Shorten(string line) => line.Length <= MaxLineLength ? line : string.Concat(line.AsSpan(0, MaxLineLength - 1), "…");

    /// <summary>A <c>go test -json</c> event becomes the text it carries; any other line stays as it is.</summary>
    private static string Unwrap(string line)
    {
        if (!line.StartsWith("{\"", StringComparison.Ordinal) || !line.Contains("\"Output\"", StringComparison.Ordinal))
        {
            return line;
        }

        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.TryGetProperty("Output", out var output) && output.ValueKind == JsonValueKind.String
                ? (output.GetString() ?? "").TrimEnd('\n')
                : line;
        }
        catch (JsonException)
        {
            return line;
        }
    }
}
