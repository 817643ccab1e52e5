namespace Sparring.Runs;

/// <summary>
/// A unit of a shared run failed every time it was leased (<see cref="WorkerOptions.MaxLeases"/>): the worker stops with
/// its last error instead of retrying for ever. The unit stays in the run, not done, for a later worker to retry.
/// </summary>
public sealed class UnitFailedException : Exception
{
    public UnitFailedException()
    {
    }

    public UnitFailedException(string message)
        : base(message)
    {
    }

    public UnitFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The unit's key (<c>inject/1</c>, <c>solve/BUG/N</c>, <c>reward/BUG</c>), when known.</summary>
    public string? UnitKey { get; init; }
}
