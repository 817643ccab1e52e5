using System.Diagnostics;
using System.Text;
using Sparring.TestUtilities;

namespace Sparring.Tests.Runs;

/// <summary>Debian's <c>chromium</c>, run headless to load a page and print the DOM after its scripts ran.</summary>
/// <remarks>Missing chromium fails the test with the package to install (<c>.ci/run</c> installs it); a browser
/// test that skips itself would let a broken chart script through unnoticed.</remarks>
internal static class HeadlessChromium
{
    public const string Package = "chromium";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>The chromium executable on PATH.</summary>
    public static string Locate()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, "chromium");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Fail($"chromium is not on PATH: install Debian's `{Package}` package (apt-get install -y {Package}); .ci/run installs it as root.");
        return string.Empty;
    }

    /// <summary>The serialized DOM of <paramref name="htmlPath"/> once loaded and its scripts have run.</summary>
    public static async Task<string> DumpDomAsync(string htmlPath)
    {
        var executable = Locate();
        using var profile = new TempDirectory("sparring-chromium-");
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var argument in Arguments(profile.Path, htmlPath))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"chromium did not finish within {Timeout}: {await stderr}");
        }

        var dom = await stdout;
        var errors = await stderr;
        Assert.True(process.ExitCode == 0, $"chromium exited {process.ExitCode}: {errors}");
        Assert.True(dom.Contains("</html>", StringComparison.Ordinal), $"chromium printed no DOM: {errors}");
        return dom;
    }

    /// <summary>
    /// <c>--no-sandbox</c> because tests run as root; a fresh profile so parallel runs do not share a lock;
    /// <c>--virtual-time-budget</c> so the dump waits for the page to settle.
    /// </summary>
    public static IReadOnlyList<string> Arguments(string profileDirectory, string htmlPath) =>
    [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--user-data-dir=" + profileDirectory,
        "--virtual-time-budget=5000",
        "--dump-dom",
        new Uri(htmlPath).AbsoluteUri,
    ];
}
