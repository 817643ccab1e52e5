namespace Sparring.Store;

/// <summary>What <c>store.json</c> holds: the store's kind, its connection (no password) and the run's id in it.</summary>
/// <param name="Kind"><c>postgresql</c>.</param>
/// <param name="Connection">Npgsql keywords, without the password.</param>
/// <param name="Run">The run's id in the database.</param>
public sealed record StoreLocation(string Kind, string Connection, string Run);
