using System.Diagnostics;

namespace Sparring.Cli.Tests;

/// <summary>The CLI as a process of its own (for tests that kill it).</summary>
internal static class CliProcess
{
    /// <summary>The CLI as its own process, with its own temp folder and cache.</summary>
    public static Process Start(string temp, string cache, params string[] arguments) => StartCapturing(temp, cache, arguments).Process;

    /// <summary>The CLI as its own process, as <see cref="Start"/>, with what it prints kept.</summary>
    public static (Process Process, Task<string> Stdout, Task<string> Stderr) StartCapturing(string temp, string cache, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Sparring.Cli.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["TMPDIR"] = temp;
        start.Environment["SPARRING_CACHE"] = cache;
        var process = Process.Start(start)!;
        return (process, process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
    }
}
