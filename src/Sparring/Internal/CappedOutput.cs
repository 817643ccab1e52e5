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
    private readonly byte[] _head;
    private int _headCount;
    private readonly byte[] _tail;
    private int _tailStart;
    private int _tailCount;

    public CappedOutput(int limitBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limitBytes);
        _headLimit = limitBytes - (limitBytes / 2);
        _tailLimit = limitBytes / 2;
        _tail = new byte[_tailLimit];
        _head = new byte[_headLimit];
    }

    public long TotalBytes { get; private set; }

    public bool Truncated => TotalBytes > _headLimit + _tailLimit;

    public void Append(ReadOnlySpan<byte> data)
    {
        TotalBytes += data.Length;
        var toHead = Math.Min(data.Length, _headLimit - _headCount);
        if (toHead > 0)
        {
            data[..toHead].CopyTo(_head.AsSpan(_headCount));
            _headCount += toHead;
            data = data[toHead..];
        }

        if (_tailLimit == 0)
        {
            return;
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
