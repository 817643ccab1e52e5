namespace Sparring.Testing;

/// <summary>
/// A test run that work would be built on (the baseline of inject, selfplay and serve) shows no usable suite: it did
/// not run, no test passed, or too few of the tests the runner reports were parsed (<see cref="BaselineRequirements"/>).
/// </summary>
/// <remarks>The message is one line saying which rule failed, then the <see cref="Diagnosis"/> (<c>why:</c>, the log's
/// first error lines, <c>try:</c>). The CLI exits 3 with it; the rollout service fails the job with it.</remarks>
public sealed class SuiteDidNotRunException : Exception
{
    public SuiteDidNotRunException(string reason, RunDiagnosis diagnosis, TestRun? run = null)
        : base(reason + "\n" + string.Join('\n', (diagnosis ?? throw new ArgumentNullException(nameof(diagnosis))).Lines()))
    {
        Reason = reason;
        Diagnosis = diagnosis;
        Run = run;
    }

    /// <summary>The one-line reason, without the diagnosis.</summary>
    public string Reason { get; }

    public RunDiagnosis Diagnosis { get; }

    /// <summary>The run that was refused (its log is empty when it was read back from a cache).</summary>
    public TestRun? Run { get; }
}
