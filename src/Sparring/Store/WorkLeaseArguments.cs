namespace Sparring.Store;

/// <summary>The argument checks of <see cref="IWorkLeases"/>, the same for every store.</summary>
internal static class WorkLeaseArguments
{
    public static void Enqueue(string unitKey, string kind, string payload)
    {
        ArgumentException.ThrowIfNullOrEmpty(unitKey);
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(payload);
    }

    public static void Lease(string workerId, TimeSpan leaseDuration)
    {
        ArgumentException.ThrowIfNullOrEmpty(workerId);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(leaseDuration, TimeSpan.Zero);
    }

    public static void Renew(string unitKey, string workerId, TimeSpan leaseDuration)
    {
        ArgumentException.ThrowIfNullOrEmpty(unitKey);
        Lease(workerId, leaseDuration);
    }

    /// <param name="unitKey">The unit.</param>
    /// <param name="workerId">Its holder.</param>
    /// <param name="commit">The unit's writes.</param>
    /// <param name="nested">True when called inside another completion on the same flow, which is refused.</param>
    public static void Complete(string unitKey, string workerId, Func<CancellationToken, Task> commit, bool nested)
    {
        ArgumentException.ThrowIfNullOrEmpty(unitKey);
        ArgumentException.ThrowIfNullOrEmpty(workerId);
        ArgumentNullException.ThrowIfNull(commit);
        if (nested)
        {
            throw new InvalidOperationException("a unit is completed inside another unit's completion; complete them one after the other");
        }
    }
}
