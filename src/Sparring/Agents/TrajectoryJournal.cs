using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Sparring.Agents.Internal;

namespace Sparring.Agents;

/// <summary>
/// Persists a running episode step by step at a cost that does not grow with the episode: each step appends one
/// line to a JSON Lines journal beside the trajectory (<see cref="TrajectoryFiles.JournalPath"/>) with only the
/// messages added since the step before; when the episode has ended (<see cref="Trajectory.Exit"/> set) the whole
/// <c>trajectory.json</c> is written once and the journal removed. Pass <see cref="AppendAsync"/> as
/// <see cref="AgentLoop.OnStep"/>.
/// </summary>
/// <remarks>
/// Each line is written whole and flushed before the step returns, so a killed process leaves every completed step
/// readable: <see cref="TrajectoryFiles.LoadAsync"/> rebuilds the trajectory from the journal when the final file is
/// missing, ignoring a last line cut short by the kill. Messages are only ever appended to a trajectory; a journal
/// that sees the list shrink throws. One episode per instance, not thread-safe.
/// </remarks>
public sealed class TrajectoryJournal
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    // Messages already in the journal; -1 before the first line (which carries the whole trajectory so far).
    private int _written = -1;

    /// <param name="path">The trajectory file (<c>…/trajectory.json</c>); the journal goes beside it.</param>
    public TrajectoryJournal(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        Path = System.IO.Path.GetFullPath(path);
        JournalPath = TrajectoryFiles.JournalPath(Path);
    }

    /// <summary>The trajectory file written when the episode ends.</summary>
    public string Path { get; }

    /// <summary>The journal written during the episode.</summary>
    public string JournalPath { get; }

    /// <summary>Records the step just taken: one journal line, or the whole trajectory file once the episode has ended.</summary>
    /// <exception cref="InvalidOperationException">Messages were removed since the last call.</exception>
    public async Task AppendAsync(Trajectory trajectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        if (trajectory.Messages.Count < _written)
        {
            throw new InvalidOperationException($"the trajectory lost messages since the last step ({trajectory.Messages.Count} < {_written}); a journal only appends");
        }

        if (_written < 0)
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);

            // A final file from an earlier run of this attempt would otherwise be read instead of this journal.
            File.Delete(Path);

            // The first line is written aside and renamed into place, so a journal never exists without it: a reader
            // that finds one always has a trajectory to rebuild, and only a later line can be cut short.
            var temporary = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(JournalPath)!, "." + System.IO.Path.GetFileName(JournalPath) + ".tmp");
            await WriteLineAsync(temporary, FileMode.Create, trajectory, JournalJsonContext.Default.Trajectory, cancellationToken).ConfigureAwait(false);
            File.Move(temporary, JournalPath, overwrite: true);
        }
        else
        {
            var step = new JournalStep
            {
                Messages = trajectory.Messages[_written..],
                Turns = trajectory.Turns,
                PromptTokens = trajectory.PromptTokens,
                CompletionTokens = trajectory.CompletionTokens,
                FormatErrors = trajectory.FormatErrors,
                DurationMs = trajectory.DurationMs,
                Exit = trajectory.Exit,
                ExitDetail = trajectory.ExitDetail,
                Submission = trajectory.Submission,
                Outcome = trajectory.Outcome,
            };
            await WriteLineAsync(JournalPath, FileMode.Append, step, JournalJsonContext.Default.JournalStep, cancellationToken).ConfigureAwait(false);
        }

        _written = trajectory.Messages.Count;
        if (trajectory.Exit is not null)
        {
            // Once per episode: the file every reader knows, in the format it always had; it removes the journal.
            await TrajectoryFiles.SaveAsync(trajectory, Path, cancellationToken).ConfigureAwait(false);
            _written = -1;
        }
    }

    /// <summary>The trajectory as of the last complete line of <paramref name="journalPath"/>.</summary>
    /// <exception cref="InvalidDataException">The journal has no complete first line, or a complete line is not JSON of a step.</exception>
    internal static async Task<Trajectory> ReadAsync(string journalPath, CancellationToken cancellationToken)
    {
        var bytes = await File.ReadAllBytesAsync(journalPath, cancellationToken).ConfigureAwait(false);
        Trajectory? trajectory = null;
        var start = 0;
        var number = 0;
        while (start < bytes.Length)
        {
            var end = Array.IndexOf(bytes, (byte)'\n', start);
            if (end < 0)
            {
                // Written without its newline: the process was killed mid-line, and the step before it is the last.
                break;
            }

            number++;
            var line = bytes.AsSpan(start, end - start);
            start = end + 1;
            try
            {
                if (trajectory is null)
                {
                    trajectory = JsonSerializer.Deserialize(line, JournalJsonContext.Default.Trajectory)
                        ?? throw new InvalidDataException($"{journalPath}: line 1 is not a trajectory");
                    continue;
                }

                var step = JsonSerializer.Deserialize(line, JournalJsonContext.Default.JournalStep)
                    ?? throw new InvalidDataException($"{journalPath}: line {number} is not a step");
                trajectory.Messages.AddRange(step.Messages);
                trajectory.Turns = step.Turns;
                trajectory.PromptTokens = step.PromptTokens;
                trajectory.CompletionTokens = step.CompletionTokens;
                trajectory.FormatErrors = step.FormatErrors;
                trajectory.DurationMs = step.DurationMs;
                trajectory.Exit = step.Exit;
                trajectory.ExitDetail = step.ExitDetail;
                trajectory.Submission = step.Submission;
                trajectory.Outcome = step.Outcome;
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"{journalPath}: line {number} is not a journal line: {ex.Message}", ex);
            }
        }

        return trajectory ?? throw new InvalidDataException($"{journalPath}: no complete first line (the journal is damaged: it is put in place with its first line)");
    }

    private static async Task WriteLineAsync<T>(string path, FileMode mode, T value, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        // Serialised first and written in one call, so a kill leaves at most one partial line, always the last.
        var buffer = new ArrayBufferWriter<byte>();
        await using (var writer = new Utf8JsonWriter(buffer))
        {
            JsonSerializer.Serialize(writer, value, type);
        }

        buffer.Write(NewLine);
        await using var stream = new FileStream(path, mode, FileAccess.Write, FileShare.Read, bufferSize: 0, useAsync: true);
        await stream.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }
}
