namespace Sparring;

/// <summary>A program could not be started (missing from PATH, not executable).</summary>
public sealed class ProcessStartException : Exception
{
    public ProcessStartException(string fileName, Exception inner)
        : base($"Could not start '{fileName}': {inner.Message}. Is it installed and on PATH?", inner)
    {
        FileName = fileName;
    }

    public string FileName { get; }
}
