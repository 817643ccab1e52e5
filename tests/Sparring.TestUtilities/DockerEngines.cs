using Sparring.Sandboxes;

namespace Sparring.TestUtilities;

/// <summary>
/// The Docker engine the tests use (<c>DOCKER_HOST</c>, else the local socket; <c>.ci/run</c> starts it) and the base
/// image they run, built once per machine by Sparring itself: a Debian root with Python, pytest and git (no Go, to
/// keep the first build short).
/// </summary>
public static class DockerEngines
{
    /// <summary>The packages of the tests' image: the conformance suite's commands and the Python sample's runner.</summary>
    public static IReadOnlyList<string> TestPackages { get; } = ["ca-certificates", "git", "python3", "python3-pytest", "python3-venv"];

    /// <summary>The recipe of the tests' image (no host toolchains: they would add minutes to its first build).</summary>
    public static DockerImageRecipe Recipe { get; } = DockerImageRecipe.ForThisMachine(TestPackages, hostToolchains: false);

    private static readonly Lazy<Task<string>> Image = new(async () =>
    {
        await DockerImages.EnsureAsync([DockerSandboxSettings.DefaultHost], Recipe).ConfigureAwait(false);
        return Recipe.Reference;
    });

    /// <summary>The tests' image on the default engine, built on first use.</summary>
    public static Task<string> ImageAsync() => Image.Value;

    /// <summary>Settings for the default engine and the tests' image.</summary>
    public static async Task<DockerSandboxSettings> SettingsAsync(string? run = null) =>
        new() { Image = await ImageAsync().ConfigureAwait(false), RunLabel = run };
}
