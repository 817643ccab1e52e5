using System.Globalization;
using System.Text.RegularExpressions;

namespace Sparring.Testing;

/// <summary>
/// What the user says about how a repository's tests run, laid over what detection found: from
/// <c>sparring.toml</c> (<see cref="EnvironmentSettingsFile"/>) and the command line. Every setting is optional;
/// one left unset keeps what detection decided. <see cref="TestRunnerDetector.Plan"/> applies them.
/// </summary>
/// <remarks>
/// Setup commands, environment variables and build properties change what setup does, so they change the
/// prepared environment's key (<see cref="EnvironmentRecipe"/>'s hash) and a changed value prepares again.
/// The test command, parser and timeout only change how runs go, not what setup produces.
/// </remarks>
public sealed partial record EnvironmentSettings
{
    /// <summary>No settings: the plan is what detection found.</summary>
    public static EnvironmentSettings None { get; } = new();

    /// <summary>A bash command line that runs the tests, replacing the detected one.</summary>
    public string? TestCommand { get; init; }

    /// <summary>The parser of the test command's output: a built-in name or <c>script:PATH</c>.</summary>
    public string? Parser { get; init; }

    /// <summary>Setup commands replacing the detected ones (run in order, with network, once per environment); null keeps them.</summary>
    public IReadOnlyList<string>? SetupCommands { get; init; }

    /// <summary>Environment variables for setup and test runs, over the detected ones.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>MSBuild properties, passed as <c>-p:NAME=VALUE</c> to the detected <c>dotnet restore</c>, <c>build</c> and <c>test</c>.</summary>
    public IReadOnlyDictionary<string, string> BuildProperties { get; init; } = new Dictionary<string, string>();

    /// <summary>Wall-clock limit of one test-suite run.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>These settings where set, else <paramref name="lower"/>'s; tables merge key by key (a key set here wins).</summary>
    public EnvironmentSettings Over(EnvironmentSettings lower)
    {
        ArgumentNullException.ThrowIfNull(lower);
        return new EnvironmentSettings
        {
            TestCommand = TestCommand ?? lower.TestCommand,
            Parser = Parser ?? lower.Parser,
            SetupCommands = SetupCommands ?? lower.SetupCommands,
            Environment = Merge(lower.Environment, Environment),
            BuildProperties = Merge(lower.BuildProperties, BuildProperties),
            Timeout = Timeout ?? lower.Timeout,
        };
    }

    /// <summary>Checks every setting; the message names the setting and what is wrong.</summary>
    /// <exception cref="ArgumentException">A setting is unusable.</exception>
    public EnvironmentSettings Validate()
    {
        var problem = (TestCommand is null ? null : CommandProblem("test command", TestCommand))
            ?? (Parser is null ? null : ParserProblem(Parser))
            ?? SetupCommands?.Select(c => CommandProblem("setup command", c)).FirstOrDefault(p => p is not null)
            ?? Environment.Select(p => VariableProblem(p.Key)).FirstOrDefault(p => p is not null)
            ?? BuildProperties.Select(p => PropertyProblem(p.Key)).FirstOrDefault(p => p is not null)
            ?? (Timeout is { } t && t <= TimeSpan.Zero ? string.Create(CultureInfo.InvariantCulture, $"the timeout must be positive, got {t.TotalSeconds} s") : null);
        return problem is null ? this : throw new ArgumentException(problem);
    }

    /// <summary>Why <paramref name="command"/> cannot be a command line, or null.</summary>
    internal static string? CommandProblem(string what, string command) =>
        string.IsNullOrWhiteSpace(command) ? $"the {what} is empty" : null;

    /// <summary>Why <paramref name="parser"/> names no parser, or null.</summary>
    internal static string? ParserProblem(string parser)
    {
        if (parser.StartsWith("script:", StringComparison.Ordinal))
        {
            var path = parser["script:".Length..];
            return File.Exists(path) ? null : $"the parser script '{path}' does not exist";
        }

        return TestReportParsers.TryGet(parser, out _)
            ? null
            : $"unknown parser '{parser}'; known: {string.Join(", ", TestReportParsers.Names)}, or script:PATH for an SSR parser script";
    }

    /// <summary>Why <paramref name="name"/> cannot be an environment variable's name, or null.</summary>
    public static string? VariableProblem(string name) =>
        VariableName().IsMatch(name) ? null : $"'{name}' is no environment variable name (letters, digits and _, not starting with a digit)";

    /// <summary>Why <paramref name="name"/> cannot be an MSBuild property's name, or null.</summary>
    public static string? PropertyProblem(string name) =>
        PropertyName().IsMatch(name) ? null : $"'{name}' is no MSBuild property name (letters, digits, _ and -, starting with a letter or _)";

    private static Dictionary<string, string> Merge(IReadOnlyDictionary<string, string> lower, IReadOnlyDictionary<string, string> upper)
    {
        var merged = new Dictionary<string, string>(lower, StringComparer.Ordinal);
        foreach (var (key, value) in upper)
        {
            merged[key] = value;
        }

        return merged;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariableName();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_-]*$")]
    private static partial Regex PropertyName();
}
