using Sparring.Store;

namespace Sparring.Tests.Store;

/// <summary>The lease suite over SQLite: the workers of one process share the run's one store.</summary>
public sealed class SqliteWorkLeasesTests : WorkLeasesConformanceTests
{
    private SqliteRunStore? _store;

    protected override async Task<IRunStore> OpenWorkerStoreAsync() => _store ??= await SqliteRunStore.OpenAsync(Run.Path);
}
