using System.Text.Json.Serialization;

namespace Sparring.Testing;

/// <summary>
/// Why a test suite did not run, or ran no test, as far as its log tells: the cause in one line, the first error
/// lines the runner printed, and one concrete thing to try (the option or package that would fix it).
/// </summary>
/// <remarks>Read from the log by patterns per runner family (Python, Go, JavaScript, .NET) and a generic fallback;
/// see docs/zero-config.md. A log no pattern knows still gets a cause (the exit code, the evidence) and its first
/// error lines. The suggestion is a best guess, never applied by Sparring itself.</remarks>
public sealed record RunDiagnosis
{
    /// <summary>At most this many excerpt lines.</summary>
    public const int MaxExcerptLines = 8;

    /// <summary>The class of cause, one of <see cref="RunDiagnosisKinds"/> (a stable name for machines).</summary>
    [JsonPropertyName("kind")]
    public required string Kind { get; init; }

    /// <summary>The cause in one line, e.g. "the Python module 'yaml' is not installed".</summary>
    [JsonPropertyName("cause")]
    public required string Cause { get; init; }

    /// <summary>The first error lines of the log as the runner printed them (at most <see cref="MaxExcerptLines"/>, each shortened to 200 characters).</summary>
    [JsonPropertyName("excerpt")]
    public required IReadOnlyList<string> Excerpt { get; init; }

    /// <summary>One concrete thing to try, or null when no pattern knows one.</summary>
    [JsonPropertyName("suggestion")]
    public string? Suggestion { get; init; }

    /// <summary>The diagnosis as the CLI prints it: <c>why: …</c>, the excerpt indented under it, <c>try: …</c>.</summary>
    public IReadOnlyList<string> Lines()
    {
        var lines = new List<string> { "why: " + Cause };
        lines.AddRange(Excerpt.Select(line => "     " + line));
        if (Suggestion is { } suggestion)
        {
            lines.Add("try: " + suggestion);
        }

        return lines;
    }
}
