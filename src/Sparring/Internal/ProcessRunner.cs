using Sparring;
using System.ComponentModel;
using System.Diagnostics;

namespace Sparring.Internal;

/// <summary>
/// Runs a host process to completion with a timeout and capped output capture.
/// The kill strategy is pluggable: the sandbox kills its whole cgroup, plain callers the process tree.
/// </summary>
internal static class ProcessRunner
{
    public static async Task<ProcessOutcome> RunAsync(
        ProcessSpec spec,
        TimeProvider time,
        Func<Process, Task>? kill,
        CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(spec.FileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = spec.WorkingDirectory ?? "",
        };
        foreach (var argument in spec.Arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        if (spec.Environment is not null)
        {
            psi.Environment.Clear();
            foreach (var (key, value) in spec.Environment)
            {
                psi.Environment[key] = value;
            }
        }

        foreach (var (key, value) in spec.ExtraEnvironment)
        {
            psi.Environment[key] = value;
        }

        kill ??= static p =>
        {
            try
            {
                p.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already exited.
            }

            return Task.CompletedTask;
        };

        using var process = new Process { StartInfo = psi };
        var started = time.GetTimestamp();
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new ProcessStartException(spec.FileName, ex);
        }

        var stdout = new CappedOutput(spec.OutputLimitBytes);
        var stderr = new CappedOutput(spec.OutputLimitBytes);
        var readOut = DrainAsync(process.StandardOutput.BaseStream, stdout);
        var readErr = DrainAsync(process.StandardError.BaseStream, stderr);
        var writeIn = FeedAsync(process.StandardInput.BaseStream, spec.StandardInput);

        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (spec.Timeout is { } timeout)
        {
            timeoutCts.CancelAfter(timeout);
        }

        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(timeoutCts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            timedOut = !cancellationToken.IsCancellationRequested;
            await kill(process).ConfigureAwait(false);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        // Grandchildren may hold the pipes open after the main process exits; the kill strategy ends them.
        var drained = Task.WhenAll(readOut, readErr);
        if (await Task.WhenAny(drained, Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None)).ConfigureAwait(false) != drained)
        {
            await kill(process).ConfigureAwait(false);
        }

        await drained.ConfigureAwait(false);
        await writeIn.ConfigureAwait(false);
        var duration = time.GetElapsedTime(started);
        cancellationToken.ThrowIfCancellationRequested();

        return new ProcessOutcome
        {
            ExitCode = timedOut ? 124 : process.ExitCode,
            Stdout = stdout.ToText(),
            Stderr = stderr.ToText(),
            StdoutTruncated = stdout.Truncated,
            StderrTruncated = stderr.Truncated,
            TimedOut = timedOut,
            Duration = duration,
        };
    }

    /// <summary>Reads <paramref name="stream"/> to its end into <paramref name="sink"/>; a broken stream ends it too.</summary>
    public static async Task DrainAsync(Stream stream, CappedOutput sink, int bufferBytes = 64 * 1024)
    {
        var buffer = new byte[bufferBytes];
        while (true)
        {
            int read;
            try
            {
                read = await stream.ReadAsync(buffer, CancellationToken.None).ConfigureAwait(false);
            }
            catch (IOException)
            {
                return;
            }

            if (read == 0)
            {
                return;
            }

            sink.Append(buffer.AsSpan(0, read));
        }
    }

    private static async Task FeedAsync(Stream stdin, byte[]? data)
    {
        try
        {
            if (data is { Length: > 0 })
            {
                await stdin.WriteAsync(data, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (IOException)
        {
            // The child closed its stdin early; what it did not read is its business.
        }
        finally
        {
            try
            {
                stdin.Dispose();
            }
            catch (IOException)
            {
            }
        }
    }
}
