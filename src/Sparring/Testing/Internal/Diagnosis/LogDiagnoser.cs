using System.Globalization;
using System.Text.RegularExpressions;

namespace Sparring.Testing.Internal.Diagnosis;

/// <summary>
/// Reads why a suite ran no test (or a setup command failed) from its output: one set of patterns per runner family
/// (Python, Go, JavaScript, .NET), tried with the run's own family first, then a generic fallback that always answers.
/// </summary>
/// <remarks>Patterns name classes of causes (a missing module, an unreachable feed, a toolchain too old), never a
/// particular repository. Pure apart from reading the tree (package.json, whether a module is the repository's own).</remarks>
internal static partial class LogDiagnoser
{
    public static RunDiagnosis Diagnose(DiagnosisInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var log = new LogContext(input);
        if (input.TimedOut)
        {
            return TimedOut(log);
        }

        foreach (var family in Families(input))
        {
            if (family(log) is { } diagnosis)
            {
                return diagnosis;
            }
        }

        return Generic(log);
    }

    /// <summary>Why a setup command failed, from its <paramref name="output"/>.</summary>
    public static RunDiagnosis ForSetup(PreparationStep step, string output)
    {
        ArgumentNullException.ThrowIfNull(step);
        return Diagnose(new DiagnosisInput
        {
            Runner = "setup",
            Command = step.Command,
            Log = output,
            ExitCode = step.ExitCode,
            TimedOut = step.TimedOut,
            Counts = new TestCounts(0, 0, 0, 0, 0),
            Setup = true,
        });
    }

    /// <summary>The run's own family first: a pattern of another family still applies (a custom command running pytest).</summary>
    private static List<Func<LogContext, RunDiagnosis?>> Families(DiagnosisInput input)
    {
        List<Func<LogContext, RunDiagnosis?>> all = [Python, Go, Node, Dotnet];
        var text = input.Runner + " " + input.Command;
        var own = input.Runner switch
        {
            "pytest" => 0,
            "go" => 1,
            "node" or "mocha" or "jest" or "tape" => 2,
            "dotnet" => 3,
            // dotnet before node: dotnet's flags say -nodeReuse.
            _ when text.Contains("dotnet ", StringComparison.Ordinal) => 3,
            _ when text.Contains("npm ", StringComparison.Ordinal) || text.Contains("node", StringComparison.Ordinal) => 2,
            _ when text.Contains("go ", StringComparison.Ordinal) => 1,
            _ => 0,
        };
        var first = all[own];
        all.RemoveAt(own);
        all.Insert(0, first);
        return all;
    }

    private static RunDiagnosis TimedOut(LogContext log)
    {
        var input = log.Input;
        if (input.Setup)
        {
            return log.Make(RunDiagnosisKinds.Timeout, $"the setup command '{input.Command}' timed out", null, log.Tail());
        }

        var limit = input.Timeout is { } timeout ? string.Create(CultureInfo.InvariantCulture, $" after {timeout.TotalSeconds:0} s") : "";
        var suggestion = input.Timeout is { } t
            ? string.Create(CultureInfo.InvariantCulture, $"more time (--timeout {Math.Max(60, (int)t.TotalSeconds * 2)}), or fewer tests ({log.TestCommandWith(suffix: " <test paths>")})")
            : null;
        return log.Make(RunDiagnosisKinds.Timeout, $"the run timed out{limit}; the last lines show where it was", suggestion, log.Tail());
    }

    /// <summary>What no family knows: a missing program, the memory limit, what the counts say, the first error lines.</summary>
    private static RunDiagnosis Generic(LogContext log)
    {
        var input = log.Input;
        var errors = log.ErrorLines(l => GenericError().IsMatch(l));
        if (log.Find(CommandNotFound()) is { } missing)
        {
            var program = Path.GetFileName(missing.Match.Groups["program"].Value);
            return log.Make(RunDiagnosisKinds.CommandNotFound, $"the command runs '{program}', which is not installed here", InstallHint(program), log.Block(missing.Index));
        }

        if (input.MemoryLimitHit)
        {
            return log.Make(RunDiagnosisKinds.Memory, "the run reached the sandbox's memory limit", null, errors);
        }

        if (input.Setup)
        {
            return log.Make(RunDiagnosisKinds.Unknown, $"the setup command '{input.Command}' exited {input.ExitCode}", null, errors);
        }

        var c = input.Counts;
        if (c.Total > 0 && c.Passed == 0 && c.Failed + c.Error > 0)
        {
            var what = c.Failed == 0 ? $"every result ({c.Error}) is an error: no test got to run" : $"no test passed: {c.Failed} failed, {c.Error} errored";
            return log.Make(RunDiagnosisKinds.AllFailed, what, null, errors);
        }

        if (c.Total > 0 && c.Passed == 0)
        {
            return log.Make(RunDiagnosisKinds.NoTests, $"no test passed: {c.Skipped} skipped{(c.Other > 0 ? $", {c.Other} other" : "")}", null, errors);
        }

        if (c.Total > 0)
        {
            return log.Make(RunDiagnosisKinds.Unknown, "the output stopped before the runner's summary (a crash, or the output was cut)", null, log.Tail());
        }

        if (log.Lines.All(l => l.Trim().Length == 0))
        {
            return log.Make(RunDiagnosisKinds.Unknown, $"the command printed nothing and exited {input.ExitCode}", null, []);
        }

        return input.ExitCode == 0
            ? log.Make(RunDiagnosisKinds.Unparsed, "the command exited 0 but its output holds no result the parser knows", "name the parser that reads its output: --parser <name> (docs/testing.md lists them)", errors)
            : log.Make(RunDiagnosisKinds.Unknown, $"the runner exited {input.ExitCode} and no test result was found", null, errors);
    }

    /// <summary>The Debian package (or the source) of a program a command needs.</summary>
    private static string InstallHint(string program) => program switch
    {
        "python3" or "python" => "apt-get install python3 (the sandbox runs the host's /usr)",
        "pytest" or "py.test" => "apt-get install python3-pytest, and run it as 'python3 -m pytest'",
        "go" or "gofmt" => "apt-get install golang-go",
        "node" or "nodejs" => "apt-get install nodejs",
        "npm" or "npx" => "apt-get install npm",
        "jest" or "mocha" or "tape" or "tsc" or "ts-node" or "vitest" => $"declare {program} in package.json's devDependencies (setup installs them with npm)",
        "dotnet" => "install the .NET SDK (it is not a Debian package: Microsoft's packages or dotnet-install)",
        "make" or "gcc" or "g++" or "cmake" or "git" => $"apt-get install {program}",
        "cc" => "apt-get install gcc",
        _ => $"install {program} on this machine (apt-cache search {program} finds its Debian package); the sandbox sees the host's /usr",
    };

    [GeneratedRegex(@"^(?:.*?: )?(?:line \d+: |\d+: )?(?<program>[\w./+-]+): (?:command )?not found$|^(?:\S*(?:bash|sh)): (?:line \d+: |\d+: )(?<program>[\w./+-]+): No such file or directory$")]
    private static partial Regex CommandNotFound();

    [GeneratedRegex(@"\b(?:error|ERROR|Error|fatal|FATAL|FAIL|FAILED|panic|Traceback|Exception|Unhandled|cannot|Cannot|not found|No such file)\b")]
    private static partial Regex GenericError();
}
