using Sparring.Sandboxes;

namespace Sparring.Testing.Internal;

/// <summary>Decides whether a run can be believed: evidence that the suite ran, and where exit code and results disagree.</summary>
internal static class RunVerdict
{
    /// <summary>The run with its verdict; <paramref name="tree"/> (what the run saw) and <paramref name="planCommand"/> (the command
    /// suggestions build on: the plan's, which an artifact's script runs) feed the diagnosis of a run where nothing passed.</summary>
    public static TestRun Build(string runner, TestCommand command, ExecResult exec, string log, ParsedReport parsed, List<string> warnings, string? tree = null, string? planCommand = null)
    {
        var counts = TestCounts.Of(parsed.Tests);
        var disagreements = new List<string>();
        var broken = counts.Failed + counts.Error;
        if (exec.TimedOut)
        {
            disagreements.Add($"The run timed out after {command.Timeout.TotalSeconds:0} s; results are partial.");
        }
        else if (exec.ExitCode == 0 && broken > 0)
        {
            disagreements.Add($"The runner exited 0 but {broken} test(s) failed or errored.");
        }
        else if (exec.ExitCode != 0 && broken == 0 && counts.Total > 0)
        {
            disagreements.Add($"The runner exited {exec.ExitCode} but no parsed test failed (a build error, a crash, or a check outside the tests).");
        }

        if (counts.Total == 0)
        {
            disagreements.Add(exec.ExitCode == 0
                ? "The runner exited 0 but no test result was found: nothing shows the suite ran."
                : $"The runner exited {exec.ExitCode} and no test result was found.");
        }

        if (exec.MemoryLimitHit)
        {
            warnings.Add("The memory limit was reached during the run.");
        }

        var suiteRan = counts.Total > 0 && parsed.SawCompletion && !exec.TimedOut;
        var evidence = (counts.Total, parsed.SawCompletion) switch
        {
            (0, _) => "no test results were parsed",
            (_, false) => $"{counts.Total} results parsed, but the output never reached the runner's summary (crash or truncation)",
            _ => $"{counts.Total} results parsed and the runner's summary reached",
        };
        if (exec.OutputTruncated)
        {
            warnings.Add("Output exceeded the cap; its middle was dropped.");
        }

        // Read only when nothing passed: a run with passing tests is usable as it is, failures included.
        var diagnosis = suiteRan && counts.Passed > 0 ? null : Diagnosis.LogDiagnoser.Diagnose(new Diagnosis.DiagnosisInput
        {
            Runner = runner,
            Command = planCommand ?? command.Command,
            Log = log,
            ExitCode = exec.ExitCode,
            TimedOut = exec.TimedOut,
            Timeout = command.Timeout,
            MemoryLimitHit = exec.MemoryLimitHit,
            Counts = counts,
            SawCompletion = parsed.SawCompletion,
            Tree = tree,
        });
        return new TestRun
        {
            Runner = runner,
            Command = command.Command,
            Parser = command.Parser,
            ExitCode = exec.ExitCode,
            TimedOut = exec.TimedOut,
            OutputTruncated = exec.OutputTruncated,
            MemoryLimitHit = exec.MemoryLimitHit,
            DiskFull = exec.DiskFull,
            Duration = exec.Duration,
            Tests = parsed.Tests,
            SuiteRan = suiteRan,
            Evidence = evidence,
            Disagreements = disagreements,
            ReportedTotal = parsed.ReportedTotal,
            Diagnosis = diagnosis,
            Warnings = warnings,
            Log = log,
        };
    }
}
