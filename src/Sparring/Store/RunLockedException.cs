namespace Sparring.Store;

/// <summary>Another process is writing to the run directory.</summary>
public sealed class RunLockedException : Exception
{
    public RunLockedException()
    {
    }

    public RunLockedException(string message)
        : base(message)
    {
    }

    public RunLockedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
