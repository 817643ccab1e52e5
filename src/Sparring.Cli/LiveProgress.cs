namespace Sparring.Cli;

/// <summary>
/// Progress of a long verb: event lines, plus a status line that is redrawn in place twice a second on a terminal,
/// or printed as a plain line every <see cref="PlainInterval"/> otherwise (logs, CI, pipes).
/// </summary>
internal sealed class LiveProgress : IAsyncDisposable
{
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(30);
    private readonly CliConsole _console;
    private readonly string _prefix;
    private readonly Func<string> _status;
    private readonly Lock _gate = new();
    private readonly Timer _timer;
    private bool _drawn;

    public LiveProgress(CliConsole console, string prefix, Func<string> status)
    {
        _console = console;
        _prefix = prefix;
        _status = status;
        var interval = console.ErrorIsTerminal ? TimeSpan.FromMilliseconds(500) : PlainInterval;
        _timer = new Timer(_ => Tick(), null, interval, interval);
    }

    /// <summary>Prints one event line (above the status line on a terminal).</summary>
    public void Line(string text)
    {
        lock (_gate)
        {
            if (_console.ErrorIsTerminal)
            {
                _console.Error.Write("\r\u001b[2K");
                _console.Error.WriteLine(_prefix + text);
                Draw();
            }
            else
            {
                _console.Error.WriteLine(_prefix + text);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _timer.DisposeAsync().ConfigureAwait(false);
        lock (_gate)
        {
            if (_drawn)
            {
                _console.Error.Write("\r\u001b[2K");
            }
        }
    }

    private void Tick()
    {
        lock (_gate)
        {
            if (_console.ErrorIsTerminal)
            {
                Draw();
            }
            else
            {
                _console.Error.WriteLine(_prefix + "status: " + _status());
            }
        }
    }

    private void Draw()
    {
        var line = _status();
        var width = Console.IsErrorRedirected ? 160 : Math.Max(40, Console.WindowWidth - 1);
        _console.Error.Write("\r\u001b[2K" + (line.Length > width ? line[..width] : line));
        _drawn = true;
    }
}
