namespace Sparring.Cli.Commands;

/// <summary>The sandbox backend a command runs on, with the Docker engines and image when it is Docker.</summary>
/// <param name="Backend"><c>bwrap</c> or <c>docker</c>.</param>
/// <param name="DockerHosts">The engines (Docker only).</param>
/// <param name="DockerImage">The image, or null for Sparring's base image.</param>
internal sealed record SandboxChoice(string Backend, IReadOnlyList<Uri> DockerHosts, string? DockerImage)
{
    /// <summary>The run the containers belong to (their <c>sparring.run</c> label), when the verb makes one.</summary>
    public string? RunLabel { get; init; }

    /// <summary>The default: bubblewrap.</summary>
    public static SandboxChoice Bubblewrap { get; } = new("bwrap", [], null);
}
