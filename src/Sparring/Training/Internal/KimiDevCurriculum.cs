using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Sparring.Training.Internal;

/// <summary>
/// Easy tasks (solved at least once) always; hard tasks (never solved, including unattempted) admitted
/// <c>C · ⌊step / K⌋</c> at a time in a fixed seeded order; from step L, <c>ReplayCount</c> solved tasks drawn
/// from the state's Random are listed a second time.
/// </summary>
internal sealed class KimiDevCurriculum(KimiDevCurriculumOptions options) : ICurriculum
{
    public string Name => "kimi-dev";

    public IReadOnlyList<string> Select(CurriculumState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.Validate();
        var easy = state.Tasks.Where(t => t.Value.Solves > 0).Select(t => t.Key).Order(StringComparer.Ordinal).ToList();

        // Admission rank depends only on (seed, id): a chunk admitted at step K is still in at 2K, and a hard task
        // that gets solved moves to the easy list, making room for the next one in rank.
        var admitted = (long)options.HardChunkSize * (state.Step / options.ChunkInterval);
        var hard = state.Tasks
            .Where(t => t.Value.Solves == 0)
            .Select(t => t.Key)
            .OrderBy(Rank)
            .ThenBy(id => id, StringComparer.Ordinal)
            .Take((int)Math.Min(admitted, int.MaxValue));

        var selected = new List<string>(easy);
        selected.AddRange(hard);
        if (state.Step >= options.ReplayFromStep)
        {
            selected.AddRange(Sample(easy, options.ReplayCount, state.Random));
        }

        return selected;
    }

    /// <summary>A partial Fisher–Yates shuffle: <paramref name="count"/> distinct items (all when fewer), in draw order.</summary>
    private static List<string> Sample(List<string> items, int count, Random random)
    {
        var pool = items.ToArray();
        var take = Math.Min(count, pool.Length);
        for (var i = 0; i < take; i++)
        {
            var j = random.Next(i, pool.Length);
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }

        return [.. pool.Take(take)];
    }

    private ulong Rank(string taskId)
    {
        // string.GetHashCode is randomized per process; a cryptographic hash is stable across runs and machines.
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{options.Seed}\n{taskId}")));
        return BinaryPrimitives.ReadUInt64BigEndian(bytes);
    }
}
