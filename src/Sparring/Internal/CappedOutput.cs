using System.Text;

namespace Sparring.Internal;

/// <summary>
/// Collects a byte stream up to a cap, keeping the head and the tail: test runners print their
/// summary last, so the tail matters as much as the head when a suite floods its output.
/// </summary>
internal sealed class CappedOutput
{
    private readonly int _headLimit;
    private readonly int _tailLimit;
    // Buffers grow on demand: most commands print little, and a 2 MiB cap must not cost 2 MiB per command.
    private byte[] _head = [];
    private int _headCount;
    private byte[] _tail = [];
    private int _tailStart;
    private int _tailCount;

    public CappedOutput(int limitBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limitBytes);
        _headLimit = limitBytes - (limitBytes / 2);
        _tailLimit = limitBytes / 2;

    }

    public long TotalBytes { get; private set; }

    public bool Truncated => TotalBytes > _headLimit + _tailLimit;

    public void Append(ReadOnlySpan<byte> data)
    {
        TotalBytes += data.Length;
        var toHead = Math.Min(data.Length, _headLimit - _headCount);
        if (toHead > 0)
        {
            if (_headCount + toHead > _head.Length)
            {
                Array.Resize(ref _head, Math.Min(_headLimit, Math.Max(_headCount + toHead, Math.Max(4096, _head.Length * 2))));
            }

            data[..toHead].CopyTo(_head.AsSpan(_headCount));
            _headCount += toHead;
            data = data[toHead..];
        }

        if (_tailLimit == 0 || data.IsEmpty)
        {
            return;
        }

        if (_tail.Length == 0)
        {
            _tail = new byte[_tailLimit];
        }

        if (data.Length >= _tailLimit)
        {
            data[^_tailLimit..].CopyTo(_tail);
            _tailStart = 0;
            _tailCount = _tailLimit;
            return;
        }

        foreach (var b in data)
        {
            var index = (_tailStart + _tailCount) % _tailLimit;
            _tail[index] = b;
            if (_tailCount < _tailLimit)
            {
                _tailCount++;
            }
            else
            {
                _tailStart = (_tailStart + 1) % _tailLimit;
            }
        }
    }

    /// <summary>The kept text; when bytes were dropped, a marker line says how many.</summary>
    public string ToText()
    {
        var head = Encoding.UTF8.GetString(_head, 0, _headCount);
        if (_tailCount == 0)
        {
            return head;
        }

        var tailBytes = new byte[_tailCount];
        for (var i = 0; i < _tailCount; i++)
        {
            tailBytes[i] = _tail[(_tailStart + i) % _tailLimit];
        }

        var tail = Encoding.UTF8.GetString(tailBytes);
        if (!Truncated)
        {
            return head + tail;
        }

        var dropped = TotalBytes - _headCount - _tailCount;
        return $"{head}\n[... sparring: {dropped} bytes of output omitted ...]\n{tail}";
    }
}
