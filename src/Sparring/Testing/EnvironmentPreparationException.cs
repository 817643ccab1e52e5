namespace Sparring.Testing;

/// <summary>A setup command failed; nothing was recorded as prepared, so the next attempt starts over.</summary>
/// <remarks>The message is one line naming the command, then the <see cref="Diagnosis"/> read from its output
/// (<c>why:</c>, its first error lines, <c>try:</c>); <see cref="PreparationStep.OutputTail"/> keeps the output's end.</remarks>
public sealed class EnvironmentPreparationException : Exception
{
    public EnvironmentPreparationException(PreparationStep step)
        : this(step, Internal.Diagnosis.LogDiagnoser.ForSetup(step, step?.OutputTail ?? ""))
    {
    }

    /// <summary>The failure of <paramref name="step"/>, diagnosed from the command's whole output (npm prints its error code first, far above the tail).</summary>
    public EnvironmentPreparationException(PreparationStep step, string output)
        : this(step, Internal.Diagnosis.LogDiagnoser.ForSetup(step, output))
    {
    }

    private EnvironmentPreparationException(PreparationStep step, RunDiagnosis diagnosis)
        : base($"Environment setup failed: '{step.Command}' {(step.TimedOut ? "timed out" : $"exited {step.ExitCode}")}.\n{string.Join('\n', diagnosis.Lines())}")
    {
        Step = step;
        Diagnosis = diagnosis;
    }

    public PreparationStep Step { get; }

    /// <summary>Why the command failed, as far as its output tells.</summary>
    public RunDiagnosis Diagnosis { get; }
}
