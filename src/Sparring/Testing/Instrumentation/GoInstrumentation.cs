using Sparring.Sandboxes;

namespace Sparring.Testing.Instrumentation;

/// <summary>
/// For Go: every test binary runs through Sparring's <c>-exec</c> wrapper, which asks the binary for a block
/// profile. The testing package writes it only after the tests ran, so a binary that exits 0 without writing it
/// (an <c>os.Exit(0)</c> in <c>init</c>, after printing forged PASS lines) is recorded as unfinished.
/// </summary>
public static class GoInstrumentation
{
    /// <summary>Where the wrapper's directory is mounted in the sandbox.</summary>
    public const string SandboxDirectory = "/sparring/grader";

    /// <summary>The file in the run's results directory that lists the unfinished test binaries.</summary>
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

    /// <summary>Whether a test script looks like it runs <c>go test</c>.</summary>
    /// <param name="environment">The environment the script runs in; its detected runner counts.</param>
    /// <param name="testScript">The script that runs the tests.</param>
    public static bool Applies(PreparedEnvironment environment, string testScript) =>
        RunnerInstrumentation.Applies(environment, testScript, "go", "go test");

    /// <summary>The environment with the wrapper switched on (<c>GOFLAGS</c> on top of the recipe's run environment).</summary>
    public static PreparedEnvironment Instrument(PreparedEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var flags = RunnerInstrumentation.Variable(environment, "GOFLAGS");
        var exec = "-exec=" + SandboxDirectory + "/go-exec.sh";
        return RunnerInstrumentation.With(environment, ("GOFLAGS", string.IsNullOrEmpty(flags) ? exec : flags + " " + exec));
    }

    /// <summary>Writes the wrapper into <paramref name="directory"/> and returns the read-only mount that exposes it.</summary>
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
