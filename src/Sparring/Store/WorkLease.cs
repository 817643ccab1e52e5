namespace Sparring.Store;

/// <summary>
/// A unit of work leased to one worker by <see cref="IWorkLeases.TryLeaseAsync"/>.
/// </summary>
/// <param name="UnitKey">The unit's key, unique in its run.</param>
/// <param name="Kind">What kind of work the unit is (the dispatcher's stage name, for instance).</param>
/// <param name="Payload">What the worker needs to do the unit, as given to <see cref="IWorkLeases.EnqueueAsync"/>.</param>
/// <param name="WorkerId">The worker that holds the lease.</param>
/// <param name="ExpiresAt">When the lease ends unless renewed, by the store's clock.</param>
/// <param name="Leases">How many times the unit has been leased, this lease included: more than 1 means an earlier holder let it expire.</param>
public sealed record WorkLease(string UnitKey, string Kind, string Payload, string WorkerId, DateTimeOffset ExpiresAt, int Leases);
