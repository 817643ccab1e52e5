namespace Sparring.Rewards;

/// <summary>
/// A port of Python's <c>difflib.SequenceMatcher</c> with no junk function (<c>isjunk=None</c>): the same matching
/// blocks, opcodes and ratio, element for element, including the "popular element" heuristic (<c>autojunk</c>: in a
/// second sequence of 200 or more elements, an element occurring more than 1% of the time (plus one) does not start a
/// match, though matches may still extend over it). SWE-RL's reward and SWE-Swiss's similarity score are defined by
/// this algorithm, so it is ported rather than approximated (<see cref="Difflib"/> has the string and line helpers).
/// </summary>
/// <typeparam name="T">The element type; compared with the given comparer (default equality).</typeparam>
public sealed class SequenceMatcher<T>
    where T : notnull
{
    private readonly T[] _a;
    private readonly T[] _b;
    private readonly IEqualityComparer<T> _comparer;
    private readonly Dictionary<T, int[]> _b2j;
    private readonly int[] _previousRow;
    private readonly int[] _currentRow;
    private readonly List<int> _previousTouched = [];
    private readonly List<int> _currentTouched = [];
    private List<(int A, int B, int Size)>? _matchingBlocks;

    /// <summary>Python's <c>SequenceMatcher(None, a, b, autojunk)</c>.</summary>
    public SequenceMatcher(IReadOnlyList<T> a, IReadOnlyList<T> b, bool autoJunk = true, IEqualityComparer<T>? comparer = null)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        _a = [.. a];
        _b = [.. b];
        _comparer = comparer ?? EqualityComparer<T>.Default;
        _previousRow = new int[_b.Length + 1];
        _currentRow = new int[_b.Length + 1];

        var positions = new Dictionary<T, List<int>>(_comparer);
        for (var j = 0; j < _b.Length; j++)
        {
            if (!positions.TryGetValue(_b[j], out var list))
            {
                positions[_b[j]] = list = [];
            }

            list.Add(j);
        }

        // Python: if autojunk and n >= 200, elements with more than n // 100 + 1 occurrences are dropped from b2j.
        var popularAbove = autoJunk && _b.Length >= 200 ? (_b.Length / 100) + 1 : int.MaxValue;
        _b2j = new Dictionary<T, int[]>(_comparer);
        foreach (var (element, list) in positions)
        {
            if (list.Count <= popularAbove)
            {
                _b2j[element] = [.. list];
            }
        }
    }

    /// <summary>
    /// The longest matching block in <c>a[aLow..aHigh)</c> and <c>b[bLow..bHigh)</c>: of the longest, the one starting
    /// earliest in a, and of those the one starting earliest in b (Python's <c>find_longest_match</c>).
    /// </summary>
    public (int A, int B, int Size) FindLongestMatch(int aLow, int aHigh, int bLow, int bHigh)
    {
        var (bestI, bestJ, bestSize) = (aLow, bLow, 0);

        // j2len[j] is the length of the match ending at a[i-1] and b[j], for the previous row only: two rows of length
        // |b| + 1 kept by the matcher (shifted by one so that j - 1 = -1 reads a zero), the written entries cleared
        // after each row, instead of Python's dictionary per row.
        var (previous, current) = (_previousRow, _currentRow);
        var (previousTouched, currentTouched) = (_previousTouched, _currentTouched);
        for (var i = aLow; i < aHigh; i++)
        {
            if (_b2j.TryGetValue(_a[i], out var js))
            {
                foreach (var j in js)
                {
                    if (j < bLow)
                    {
                        continue;
                    }

                    if (j >= bHigh)
                    {
                        break;
                    }

                    var k = previous[j] + 1;
                    current[j + 1] = k;
                    currentTouched.Add(j + 1);
                    if (k > bestSize)
                    {
                        (bestI, bestJ, bestSize) = (i - k + 1, j - k + 1, k);
                    }
                }
            }

            foreach (var index in previousTouched)
            {
                previous[index] = 0;
            }

            previousTouched.Clear();
            (previous, current) = (current, previous);
            (previousTouched, currentTouched) = (currentTouched, previousTouched);
        }

        // Leave both rows zero for the next call.
        foreach (var index in previousTouched)
        {
            previous[index] = 0;
        }

        previousTouched.Clear();

        // Extend by equal elements on both ends (no element is junk without a junk function; popular ones may be
        // extended over). Python then extends over junk elements, of which there are none here.
        while (bestI > aLow && bestJ > bLow && _comparer.Equals(_a[bestI - 1], _b[bestJ - 1]))
        {
            (bestI, bestJ, bestSize) = (bestI - 1, bestJ - 1, bestSize + 1);
        }

        while (bestI + bestSize < aHigh && bestJ + bestSize < bHigh && _comparer.Equals(_a[bestI + bestSize], _b[bestJ + bestSize]))
        {
            bestSize++;
        }

        return (bestI, bestJ, bestSize);
    }

    /// <summary>
    /// The matching blocks in order, adjacent ones joined, ending with the sentinel <c>(|a|, |b|, 0)</c> (Python's
    /// <c>get_matching_blocks</c>).
    /// </summary>
    public IReadOnlyList<(int A, int B, int Size)> GetMatchingBlocks()
    {
        if (_matchingBlocks is not null)
        {
            return _matchingBlocks;
        }

        var queue = new Stack<(int, int, int, int)>();
        queue.Push((0, _a.Length, 0, _b.Length));
        var blocks = new List<(int A, int B, int Size)>();
        while (queue.Count > 0)
        {
            var (aLow, aHigh, bLow, bHigh) = queue.Pop();
            var (i, j, k) = FindLongestMatch(aLow, aHigh, bLow, bHigh);
            if (k > 0)
            {
                blocks.Add((i, j, k));
                if (aLow < i && bLow < j)
                {
                    queue.Push((aLow, i, bLow, j));
                }

                if (i + k < aHigh && j + k < bHigh)
                {
                    queue.Push((i + k, aHigh, j + k, bHigh));
                }
            }
        }

        blocks.Sort();
        var joined = new List<(int A, int B, int Size)>();
        var (i1, j1, k1) = (0, 0, 0);
        foreach (var (i2, j2, k2) in blocks)
        {
            if (i1 + k1 == i2 && j1 + k1 == j2)
            {
                k1 += k2;
            }
            else
            {
                if (k1 > 0)
                {
                    joined.Add((i1, j1, k1));
                }

                (i1, j1, k1) = (i2, j2, k2);
            }
        }

        if (k1 > 0)
        {
            joined.Add((i1, j1, k1));
        }

        joined.Add((_a.Length, _b.Length, 0));
        return _matchingBlocks = joined;
    }

    /// <summary>How to turn a into b: <c>equal</c>, <c>replace</c>, <c>delete</c> and <c>insert</c> ranges (Python's <c>get_opcodes</c>).</summary>
    public IReadOnlyList<(string Tag, int I1, int I2, int J1, int J2)> GetOpcodes()
    {
        var (i, j) = (0, 0);
        var answer = new List<(string, int, int, int, int)>();
        foreach (var (ai, bj, size) in GetMatchingBlocks())
        {
            var tag = i < ai && j < bj ? "replace" : i < ai ? "delete" : j < bj ? "insert" : "";
            if (tag.Length > 0)
            {
                answer.Add((tag, i, ai, j, bj));
            }

            (i, j) = (ai + size, bj + size);
            if (size > 0)
            {
                answer.Add(("equal", ai, i, bj, j));
            }
        }

        return answer;
    }

    /// <summary>The opcodes grouped into hunks with up to <paramref name="context"/> equal elements around each change (Python's <c>get_grouped_opcodes</c>).</summary>
    public IReadOnlyList<IReadOnlyList<(string Tag, int I1, int I2, int J1, int J2)>> GetGroupedOpcodes(int context = 3)
    {
        var codes = GetOpcodes().ToList();
        if (codes.Count == 0)
        {
            codes.Add(("equal", 0, 1, 0, 1));
        }

        if (codes[0].Tag == "equal")
        {
            var (tag, i1, i2, j1, j2) = codes[0];
            codes[0] = (tag, Math.Max(i1, i2 - context), i2, Math.Max(j1, j2 - context), j2);
        }

        if (codes[^1].Tag == "equal")
        {
            var (tag, i1, i2, j1, j2) = codes[^1];
            codes[^1] = (tag, i1, Math.Min(i2, i1 + context), j1, Math.Min(j2, j1 + context));
        }

        var groups = new List<IReadOnlyList<(string, int, int, int, int)>>();
        var group = new List<(string, int, int, int, int)>();
        foreach (var code in codes)
        {
            var (tag, i1, i2, j1, j2) = code;
            if (tag == "equal" && i2 - i1 > context + context)
            {
                group.Add((tag, i1, Math.Min(i2, i1 + context), j1, Math.Min(j2, j1 + context)));
                groups.Add(group);
                group = [];
                (i1, j1) = (Math.Max(i1, i2 - context), Math.Max(j1, j2 - context));
            }

            group.Add((tag, i1, i2, j1, j2));
        }

        if (group.Count > 0 && !(group.Count == 1 && group[0].Item1 == "equal"))
        {
            groups.Add(group);
        }

        return groups;
    }

    /// <summary>2·M / (|a| + |b|) with M the matched elements; 1 when both are empty (Python's <c>ratio</c>).</summary>
    public double Ratio()
    {
        var matches = GetMatchingBlocks().Sum(b => b.Size);
        var length = _a.Length + _b.Length;
        return length > 0 ? 2.0 * matches / length : 1.0;
    }
}
