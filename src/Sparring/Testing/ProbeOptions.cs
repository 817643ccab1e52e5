namespace Sparring.Testing;

/// <summary>What <see cref="Prober"/> should run.</summary>
public sealed record ProbeOptions
{
    /// <summary>The commit to probe (a revision git understands). HEAD by default.</summary>
    public string Revision { get; init; } = "HEAD";

    /// <summary>Settings laid over detection (test command, parser, setup, environment, build properties, timeout).</summary>
    public EnvironmentSettings Settings { get; init; } = EnvironmentSettings.None;

    public ProbeOptions Validate()
    {
        Settings.Validate();
        return this;
    }
}
