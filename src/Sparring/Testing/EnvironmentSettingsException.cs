namespace Sparring.Testing;

/// <summary>A settings file (<c>sparring.toml</c>) that cannot be used: bad TOML, an unknown key, a value of the wrong type.</summary>
/// <remarks>An <see cref="ArgumentException"/>: it is bad input, reported like a bad option (exit code 2).</remarks>
public sealed class EnvironmentSettingsException : ArgumentException
{
    public EnvironmentSettingsException(string path, int? line, string problem)
        : base($"{path}{(line is { } l ? $" line {l}" : "")}: {problem}")
    {
        Path = path;
        Line = line;
    }

    /// <summary>The settings file.</summary>
    public string Path { get; }

    /// <summary>The 1-based line of the problem, when known.</summary>
    public int? Line { get; }
}
