namespace Sparring.Sandboxes;

/// <summary>What <see cref="BubblewrapSandboxProvider.RemoveAbandoned"/> removed: counts of each kind of leftover.</summary>
public sealed record AbandonedResources(int ControlDirectories, int Cgroups, int WorkspaceMounts);
