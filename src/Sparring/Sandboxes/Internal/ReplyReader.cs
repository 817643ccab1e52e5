using System.Text;

namespace Sparring.Sandboxes.Internal;

/// <summary>
/// Reads the command server's answer lines, each at most <see cref="MaxLineBytes"/>: a command that writes into the
/// server's stdout (it can, through <c>/proc</c>) cannot make the host buffer without end.
/// </summary>
internal sealed class ReplyReader
{
    public const int MaxLineBytes = 256;

    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[MaxLineBytes];
    private int _count;

    public ReplyReader(Stream stream) => _stream = stream;

    /// <summary>The next line without its newline; null at the end of the stream or for a line too long.</summary>
    /// <remarks>A cancelled read leaves the reader unusable (the stream's read may still be pending).</remarks>
    public async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', 0, _count);
            if (newline >= 0)
            {
                var line = Encoding.UTF8.GetString(_buffer, 0, newline);
                _count -= newline + 1;
                Array.Copy(_buffer, newline + 1, _buffer, 0, _count);
                return line;
            }

            if (_count == _buffer.Length)
            {
                return null;
            }

            // WaitAsync: a pipe's read may not watch the token, and a stopped server would hold it forever.
            var read = await _stream.ReadAsync(_buffer.AsMemory(_count), cancellationToken).AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            _count += read;
        }
    }
}
