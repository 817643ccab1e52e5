namespace Sparring.Sandboxes;

/// <summary>Makes sandboxes of one backend (bubblewrap, Docker) over workspace directories.</summary>
public interface ISandboxProvider
{
    /// <summary>The backend's name, as <c>--sandbox</c> takes it.</summary>
    string Name { get; }

    /// <summary>Checks that the backend can run here; returns a problem to show the user, or null.</summary>
    Task<string?> CheckAvailableAsync(CancellationToken cancellationToken = default);

    /// <summary>Opens a sandbox over <paramref name="workspacePath"/>, which must exist.</summary>
    Task<ISandbox> CreateAsync(string workspacePath, SandboxOptions options, CancellationToken cancellationToken = default);
}
