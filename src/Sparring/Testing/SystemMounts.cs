using Sparring.Sandboxes;

namespace Sparring.Testing;

/// <summary>Host toolchain folders outside /usr that test runs may need, shown read-only.</summary>
internal static class SystemMounts
{
    public static IEnumerable<SandboxMount> ReadOnlyExtras()
    {
        // /opt holds SDKs and offline package folders on many machines (here: /opt/nuget/packages).
        if (Directory.Exists("/opt"))
        {
            yield return new SandboxMount("/opt", "/opt", ReadOnly: true);
        }
    }
}
