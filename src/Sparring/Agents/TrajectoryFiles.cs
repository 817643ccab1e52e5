using System.Text.Json;

namespace Sparring.Agents;

/// <summary>Reads and writes trajectory JSON. Writes go to a temporary file renamed over the old one, so a crash leaves the last complete step.</summary>
public static class TrajectoryFiles
{
    public static async Task SaveAsync(Trajectory trajectory, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        ArgumentNullException.ThrowIfNull(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, "." + Path.GetFileName(path) + ".tmp");
        await using (var stream = File.Create(temporary))
        {
            await JsonSerializer.SerializeAsync(stream, trajectory, AgentsJsonContext.Default.Trajectory, cancellationToken).ConfigureAwait(false);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <exception cref="InvalidDataException">The file is not a trajectory.</exception>
    public static async Task<Trajectory> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        await using var stream = File.OpenRead(path);
        try
        {
            return await JsonSerializer.DeserializeAsync(stream, AgentsJsonContext.Default.Trajectory, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidDataException($"{path}: empty trajectory");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: not a trajectory: {ex.Message}", ex);
        }
    }
}
