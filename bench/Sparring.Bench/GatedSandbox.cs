using Sparring.Sandboxes;

namespace Sparring.Bench;

/// <summary>
/// A sandbox whose commands wait for one of a few shared slots: a thousand episodes on two cores then hold their
/// state together without starting a thousand bwrap processes at once (the machine's memory, not the harness's).
/// </summary>
internal sealed class GatedSandbox(ISandbox inner, SemaphoreSlim gate) : ISandbox
{
    public string SandboxWorkspacePath => inner.SandboxWorkspacePath;

    public async Task<ExecResult> ExecAsync(ExecRequest request, CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await inner.ExecAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    public Task<SandboxPathKind> GetPathKindAsync(string relativePath, CancellationToken cancellationToken = default) => inner.GetPathKindAsync(relativePath, cancellationToken);

    public Task<byte[]> ReadFileAsync(string relativePath, CancellationToken cancellationToken = default) => inner.ReadFileAsync(relativePath, cancellationToken);

    public Task WriteFileAsync(string relativePath, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) => inner.WriteFileAsync(relativePath, content, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
