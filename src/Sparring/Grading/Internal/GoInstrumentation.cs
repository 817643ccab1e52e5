using Sparring.Artifacts;
using Sparring.Sandboxes;
using Sparring.Testing;

namespace Sparring.Grading.Internal;

/// <summary>
/// For Go: every test binary runs through Sparring's <c>-exec</c> wrapper, which asks the binary for a block
/// profile. The testing package writes it only after the tests ran, so a binary that exits 0 without writing it
/// (an <c>os.Exit(0)</c> in <c>init</c>, after printing forged PASS lines) is recorded as unfinished.
/// </summary>
internal static class GoInstrumentation
{
    public const string SandboxDirectory = "/sparring/grader";
    public const string UnfinishedName = "sparring-grader-go-unfinished.txt";

    private const string Wrapper = """
        #!/bin/bash
        profile="/tmp/sparring-grader-$$.prof"
        "$@" -test.blockprofile="$profile"
        code=$?
        if [ "$code" -eq 0 ] && [ ! -e "$profile" ]; then
          echo "$1" >> /sparring/results/sparring-grader-go-unfinished.txt
        fi
        rm -f "$profile"
        exit "$code"
        """;

    public static bool Applies(PreparedEnvironment environment, BugArtifact artifact) =>
        environment.Plan.Runner == "go" || artifact.TestScript.Contains("go test", StringComparison.Ordinal);

    public static PreparedEnvironment Instrument(PreparedEnvironment environment)
    {
        var recipe = environment.Plan.Recipe;
        var variables = new Dictionary<string, string>(recipe.RunEnvironment, StringComparer.Ordinal);
        var flags = recipe.RunEnvironment.GetValueOrDefault("GOFLAGS") ?? recipe.Environment.GetValueOrDefault("GOFLAGS");
        variables["GOFLAGS"] = (string.IsNullOrEmpty(flags) ? "" : flags + " ") + "-exec=" + SandboxDirectory + "/go-exec.sh";
        return environment with { Plan = environment.Plan with { Recipe = recipe with { RunEnvironment = variables } } };
    }

    public static async Task<SandboxMount> WriteWrapperAsync(string directory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, "go-exec.sh");
        await File.WriteAllTextAsync(path, Wrapper + "\n", cancellationToken).ConfigureAwait(false);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return new SandboxMount(directory, SandboxDirectory, ReadOnly: true);
    }

    /// <summary>Test binaries that exited 0 without finishing their tests, or an empty list.</summary>
    public static IReadOnlyList<string> Unfinished(string resultsDirectory)
    {
        var path = Path.Combine(resultsDirectory, UnfinishedName);
        return File.Exists(path) ? File.ReadAllLines(path).Where(l => l.Length > 0).Select(Path.GetFileName).OfType<string>().ToList() : [];
    }
}
