using System.Text.Json;

namespace Sparring.Agents;

/// <summary>
/// Reads and writes trajectory JSON. A whole write goes to a temporary file renamed over the old one; during an
/// episode the steps go to a journal beside it instead (<see cref="TrajectoryJournal"/>), which
/// <see cref="LoadAsync"/> reads when the episode never finished its file.
/// </summary>
public static class TrajectoryFiles
{
    /// <summary>The journal of the episode whose trajectory is <paramref name="path"/>: <c>trajectory.json</c> → <c>trajectory.journal.jsonl</c>.</summary>
    public static string JournalPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, Path.GetFileNameWithoutExtension(path) + ".journal.jsonl");
    }

    /// <summary>Whether <see cref="LoadAsync"/> has something to read: the trajectory file or its journal.</summary>
    public static bool Exists(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return File.Exists(path) || File.Exists(JournalPath(path));
    }

    /// <summary>Writes the whole trajectory, then removes its journal (the file now holds every step).</summary>
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

        // After the rename: killed in between, both exist and the file (complete) is the one read.
        File.Delete(JournalPath(path));
    }

    /// <summary>The trajectory at <paramref name="path"/>, or, when an episode was killed before writing it, as rebuilt from its journal.</summary>
    /// <exception cref="FileNotFoundException">Neither the file nor its journal exists.</exception>
    /// <exception cref="InvalidDataException">The file is not a trajectory, or the journal is damaged (a complete line that is not JSON of a step).</exception>
    public static async Task<Trajectory> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path) && JournalPath(path) is var journal && File.Exists(journal))
        {
            return await TrajectoryJournal.ReadAsync(journal, cancellationToken).ConfigureAwait(false);
        }

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
