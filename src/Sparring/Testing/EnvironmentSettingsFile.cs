using System.Globalization;
using System.Text;
using Tomlyn;
using Tomlyn.Model;
using Tomlyn.Parsing;
using Tomlyn.Serialization;

namespace Sparring.Testing;

/// <summary>
/// <c>sparring.toml</c>: a repository's <see cref="EnvironmentSettings"/>, said once. Read from the root of the
/// repository's working tree (so it works committed or not), or from a path given with <c>--config</c>.
/// </summary>
/// <remarks>
/// Strict: an unknown key, a value of the wrong type, a bad name or parser is an <see cref="EnvironmentSettingsException"/>
/// naming the key and its line. The file is read on the host from the user's checkout, never from a workspace, so
/// nothing an agent writes changes how its work is run or graded.
/// </remarks>
public static class EnvironmentSettingsFile
{
    /// <summary>The file's name at a repository's root.</summary>
    public const string FileName = "sparring.toml";

    private const string TestCommandKey = "test-command";
    private const string ParserKey = "parser";
    private const string SetupKey = "setup-commands";
    private const string TimeoutKey = "timeout";
    private const string EnvKey = "env";
    private const string PropertiesKey = "build-properties";

    /// <summary>The keys a settings file may hold.</summary>
    public static IReadOnlyList<string> Keys { get; } = [TestCommandKey, ParserKey, SetupKey, TimeoutKey, EnvKey, PropertiesKey];

    /// <summary>
    /// The settings for the repository whose working tree is at <paramref name="repositoryRoot"/>: those of
    /// <paramref name="configPath"/> when given, else of its <c>sparring.toml</c>, else none.
    /// </summary>
    /// <returns>The settings and the file they came from (null when none was read).</returns>
    /// <exception cref="FileNotFoundException"><paramref name="configPath"/> does not exist.</exception>
    /// <exception cref="EnvironmentSettingsException">The file cannot be used.</exception>
    public static async Task<(EnvironmentSettings Settings, string? Path)> ResolveAsync(string repositoryRoot, string? configPath, CancellationToken cancellationToken = default)
    {
        var path = configPath is not null ? Path.GetFullPath(configPath) : Path.Combine(repositoryRoot, FileName);
        if (!File.Exists(path))
        {
            return configPath is null
                ? (EnvironmentSettings.None, null)
                : throw new FileNotFoundException($"The settings file '{configPath}' does not exist.", configPath);
        }

        return (await LoadAsync(path, cancellationToken).ConfigureAwait(false), path);
    }

    /// <summary>The settings in the file at <paramref name="path"/>.</summary>
    /// <exception cref="EnvironmentSettingsException">The file cannot be used.</exception>
    public static async Task<EnvironmentSettings> LoadAsync(string path, CancellationToken cancellationToken = default) =>
        Parse(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false), Path.GetFullPath(path));

    /// <summary>The settings in <paramref name="text"/>, read from <paramref name="path"/> (named in errors; a relative
    /// <c>script:</c> parser is taken relative to its folder).</summary>
    /// <exception cref="EnvironmentSettingsException">The text cannot be used.</exception>
    public static EnvironmentSettings Parse(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(path);
        TomlTable root;
        var metadata = new TomlMetadataStore();
        try
        {
            // Strict first: the lenient reader lets a key be defined twice, the last one silently winning.
            SyntaxParser.ParseStrict(text, path);
            root = TomlSerializer.Deserialize<TomlTable>(text, new TomlSerializerOptions { SourceName = path, MetadataStore = metadata })
                ?? new TomlTable();
        }
        catch (TomlException ex)
        {
            var message = ex.Diagnostics is { Count: > 0 } diagnostics ? diagnostics[0].Message : ex.Message;
            throw new EnvironmentSettingsException(path, ex.Line, "not valid TOML: " + message);
        }

        return new Reader(path, metadata).Read(root);
    }

    /// <summary>
    /// <paramref name="settings"/> as a settings file that <see cref="Parse"/> reads back to the same settings;
    /// <paramref name="comments"/> head it as <c>#</c> lines.
    /// </summary>
    public static string Format(EnvironmentSettings settings, IEnumerable<string> comments)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(comments);
        var text = new StringBuilder();
        text.Append("# Sparring settings: how this repository's tests run (docs/environments.md).\n");
        text.Append("# Every key is optional; one left out keeps what detection finds. Command-line options override them.\n");
        foreach (var comment in comments)
        {
            text.Append("# ").Append(comment.ReplaceLineEndings(" ")).Append('\n');
        }

        text.Append('\n');
        if (settings.TestCommand is { } command)
        {
            text.Append(TestCommandKey).Append(" = ").Append(Quote(command)).Append('\n');
        }

        if (settings.Parser is { } parser)
        {
            text.Append(ParserKey).Append(" = ").Append(Quote(parser)).Append('\n');
        }

        if (settings.SetupCommands is { } setup)
        {
            text.Append("# Run in order, with network, once per commit and setup; they replace the detected ones.\n");
            text.Append(SetupKey).Append(" = [");
            foreach (var step in setup)
            {
                text.Append("\n  ").Append(Quote(step)).Append(',');
            }

            text.Append(setup.Count == 0 ? "]\n" : "\n]\n");
        }

        if (settings.Timeout is { } timeout)
        {
            text.Append("# Seconds one test-suite run may take.\n");
            text.Append(TimeoutKey).Append(" = ").Append(((long)Math.Ceiling(timeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        text.Append("\n# Environment variables for setup and test runs.\n[").Append(EnvKey).Append("]\n");
        AppendTable(text, settings.Environment);
        text.Append("\n# MSBuild properties, passed as -p:NAME=VALUE to the detected dotnet restore, build and test.\n[").Append(PropertiesKey).Append("]\n");
        AppendTable(text, settings.BuildProperties);
        return text.ToString();
    }

    private static void AppendTable(StringBuilder text, IReadOnlyDictionary<string, string> table)
    {
        foreach (var (key, value) in table.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append(key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-') && key.Length > 0 ? key : Quote(key))
                .Append(" = ").Append(Quote(value)).Append('\n');
        }
    }

    /// <summary>A TOML basic string.</summary>
    private static string Quote(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
                _ => c.ToString(),
            });
        }

        return text.Append('"').ToString();
    }

    /// <summary>Reads the model, naming the key and line of the first problem.</summary>
    private sealed class Reader(string path, TomlMetadataStore metadata)
    {
        public EnvironmentSettings Read(TomlTable root)
        {
            foreach (var key in root.Keys.Where(k => !Keys.Contains(k, StringComparer.Ordinal)))
            {
                var near = key.Length < 3 ? null : Keys.FirstOrDefault(k => k.StartsWith(key[..3], StringComparison.OrdinalIgnoreCase));
                throw Problem(root, key, $"unknown key '{key}'{(near is null ? "" : $" (did you mean '{near}'?)")}; known: test-command, parser, setup-commands, timeout, [env], [build-properties]");
            }

            var settings = new EnvironmentSettings
            {
                TestCommand = String(root, TestCommandKey, "the test command"),
                Parser = Parser(root),
                SetupCommands = Setup(root),
                Timeout = Timeout(root),
                Environment = Table(root, EnvKey, EnvironmentSettings.VariableProblem),
                BuildProperties = Table(root, PropertiesKey, EnvironmentSettings.PropertyProblem),
            };
            return settings;
        }

        private string? String(TomlTable table, string key, string what)
        {
            if (!table.TryGetValue(key, out var value))
            {
                return null;
            }

            var text = value as string ?? throw Problem(table, key, $"'{key}' must be a string, got {TypeOf(value)}");
            return EnvironmentSettings.CommandProblem(what, text) is { } problem ? throw Problem(table, key, $"'{key}': {problem}") : text;
        }

        private string? Parser(TomlTable table)
        {
            if (!table.TryGetValue(ParserKey, out var value))
            {
                return null;
            }

            var parser = value as string ?? throw Problem(table, ParserKey, $"'{ParserKey}' must be a string, got {TypeOf(value)}");
            if (parser.StartsWith("script:", StringComparison.Ordinal) && parser.Length > "script:".Length)
            {
                parser = "script:" + System.IO.Path.GetFullPath(parser["script:".Length..], System.IO.Path.GetDirectoryName(path) ?? ".");
            }

            return EnvironmentSettings.ParserProblem(parser) is { } problem ? throw Problem(table, ParserKey, $"'{ParserKey}': {problem}") : parser;
        }

        private List<string>? Setup(TomlTable table)
        {
            if (!table.TryGetValue(SetupKey, out var value))
            {
                return null;
            }

            var items = value as TomlArray ?? throw Problem(table, SetupKey, $"'{SetupKey}' must be an array of strings, got {TypeOf(value)}");
            var commands = new List<string>();
            foreach (var item in items)
            {
                var command = item as string ?? throw Problem(table, SetupKey, $"'{SetupKey}' must be an array of strings; item {commands.Count + 1} is {TypeOf(item)}");
                if (EnvironmentSettings.CommandProblem("setup command", command) is not null)
                {
                    throw Problem(table, SetupKey, $"'{SetupKey}': item {commands.Count + 1} is empty");
                }

                commands.Add(command);
            }

            return commands;
        }

        private TimeSpan? Timeout(TomlTable table) => !table.TryGetValue(TimeoutKey, out var value) ? null
            : value is long seconds and > 0 ? TimeSpan.FromSeconds(seconds)
            : throw Problem(table, TimeoutKey, $"'{TimeoutKey}' must be a positive whole number of seconds, got {(value is long n ? n.ToString(CultureInfo.InvariantCulture) : TypeOf(value))}");

        private Dictionary<string, string> Table(TomlTable root, string key, Func<string, string?> nameProblem)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            if (!root.TryGetValue(key, out var value))
            {
                return values;
            }

            var table = value as TomlTable ?? throw Problem(root, key, $"'{key}' must be a table ([{key}] with NAME = \"value\" lines), got {TypeOf(value)}");
            foreach (var (name, item) in table)
            {
                if (nameProblem(name) is { } problem)
                {
                    throw Problem(table, name, $"[{key}] {problem}");
                }

                values[name] = item as string ?? throw Problem(table, name, $"[{key}] {name} must be a string, got {TypeOf(item)} (quote it: {name} = \"{item}\")");
            }

            return values;
        }

        private EnvironmentSettingsException Problem(TomlTable table, string key, string message)
        {
            int? line = metadata.TryGetProperties(table, out var properties) && properties is not null
                && properties.TryGetProperty(key, out var property) && property is not null
                ? property.Span.Start.Line + 1
                : null;
            return new EnvironmentSettingsException(path, line, message);
        }

        private static string TypeOf(object? value) => value switch
        {
            string => "a string",
            long => "an integer",
            double => "a float",
            bool => "a boolean",
            TomlArray => "an array",
            TomlTable => "a table",
            TomlTableArray => "an array of tables",
            null => "nothing",
            _ => "a date",
        };
    }
}
