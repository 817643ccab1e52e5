using System.Collections.Concurrent;

namespace Sparring.Tests.Llm;

/// <summary>A clock whose timers fire at once but remember the delay they were asked for, so backoff is asserted without waiting.</summary>
internal sealed class InstantTimeProvider : TimeProvider
{
    private readonly ConcurrentQueue<TimeSpan> _delays = new();

    /// <summary>Every timer's due time, in creation order.</summary>
    public IReadOnlyList<TimeSpan> Delays => [.. _delays];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        _delays.Enqueue(dueTime);
        return System.CreateTimer(callback, state, TimeSpan.FromMilliseconds(1), Timeout.InfiniteTimeSpan);
    }
}
