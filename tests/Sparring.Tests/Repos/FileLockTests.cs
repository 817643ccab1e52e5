using Sparring.Repos;
using Sparring.TestUtilities;

namespace Sparring.Tests.Repos;

public class FileLockTests
{
    [Fact]
    public async Task AcquireAsync_WhileHeld_WaitsUntilReleased()
    {
        // Arrange
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, ".lock");
        var first = await FileLock.AcquireAsync(path);

        // Act
        var second = FileLock.AcquireAsync(path);
        await Task.Delay(300);
        var waitedWhileHeld = !second.IsCompleted;
        await first.DisposeAsync();
        await using var acquired = await second.WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.True(waitedWhileHeld);
        Assert.NotNull(acquired);
        Assert.True(File.Exists(path));
    }

    [Fact]
    public async Task AcquireAsync_WhileHeldAndCancelled_ThrowsOperationCanceled()
    {
        // Arrange
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, ".lock");
        await using var held = await FileLock.AcquireAsync(path);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        // Act
        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => FileLock.AcquireAsync(path, cts.Token));

        // Assert
        Assert.Equal(cts.Token, ex.CancellationToken);
        Assert.True(File.Exists(path));
    }

    [Fact]
    public async Task AcquireAsync_MissingDirectory_ThrowsInsteadOfWaitingForever()
    {
        // Arrange
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "missing", ".lock");

        // Act
        var ex = await Assert.ThrowsAsync<DirectoryNotFoundException>(() => FileLock.AcquireAsync(path).WaitAsync(TimeSpan.FromSeconds(10)));

        // Assert
        Assert.Contains("missing", ex.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "missing")));
    }
}
