using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Sparring.Evaluation;

/// <summary>
/// An evaluation's append-only record (<c>results.jsonl</c> of graded tries, <c>selection.jsonl</c> of selections):
/// each line is written and flushed to disk before the next piece of work starts, so a killed evaluation resumes from it
/// and does nothing twice. A line cut by a kill is dropped on open.
/// </summary>
public sealed class JsonlJournal<T> : IDisposable
    where T : class
{
    private readonly FileStream _stream;
    private readonly JsonTypeInfo<T> _type;
    private readonly Lock _lock = new();
    private readonly List<T> _entries;

    private JsonlJournal(FileStream stream, JsonTypeInfo<T> type, List<T> entries)
    {
        _stream = stream;
        _type = type;
        _entries = entries;
    }

    /// <summary>Every entry recorded, in order.</summary>
    public IReadOnlyList<T> Entries
    {
        get
        {
            lock (_lock)
            {
                return [.. _entries];
            }
        }
    }

    /// <summary>Opens (or creates) the journal at <paramref name="path"/>, dropping a last line a kill cut short.</summary>
    /// <exception cref="InvalidDataException">A complete line is not a journal entry (the file is not Sparring's).</exception>
    internal static JsonlJournal<T> Open(string path, JsonTypeInfo<T> type, string what)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(path);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            var complete = bytes.AsSpan().LastIndexOf((byte)'\n') + 1;
            var entries = new List<T>();
            var number = 0;
            foreach (var line in Encoding.UTF8.GetString(bytes, 0, complete).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                number++;
                try
                {
                    entries.Add(JsonSerializer.Deserialize(line, type) ?? throw new JsonException("null"));
                }
                catch (JsonException ex)
                {
                    throw new InvalidDataException($"{path} line {number} is not {what}: {ex.Message}", ex);
                }
            }

            stream.SetLength(complete);
            stream.Seek(complete, SeekOrigin.Begin);
            return new JsonlJournal<T>(stream, type, entries);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Appends <paramref name="entry"/> and flushes it to disk.</summary>
    public void Append(T entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var line = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(entry, _type) + "\n");
        lock (_lock)
        {
            _stream.Write(line);
            _stream.Flush(flushToDisk: true);
            _entries.Add(entry);
        }
    }

    public void Dispose() => _stream.Dispose();
}
