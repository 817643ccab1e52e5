namespace Sparring.Testing;

/// <summary>A setup command failed; nothing was recorded as prepared, so the next attempt starts over.</summary>
public sealed class EnvironmentPreparationException : Exception
{
    public EnvironmentPreparationException(PreparationStep step)
        : base($"Environment setup failed: '{step.Command}' {(step.TimedOut ? "timed out" : $"exited {step.ExitCode}")}.\n{step.OutputTail}")
    {
        Step = step;
    }

    public PreparationStep Step { get; }
}
