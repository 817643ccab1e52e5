namespace Sparring.TestUtilities;

/// <summary>
/// One Sparring cache for the whole test run (under artifacts/, ignored by git): prepared environments
/// of the samples are made once and reused by every test that probes them, as they would be for a user.
/// </summary>
public static class TestCache
{
    public static string Root { get; } = Path.Combine(Samples.RepositoryRoot, "artifacts", "test-cache");
}
