using System.Diagnostics;
using System.Text.Json;
using Sparring.TestUtilities;

namespace Sparring.Cli.Tests;

public sealed class ServeCommandTests
{
    [Fact]
    public async Task Serve_StartedAsAProcess_AnswersHealthAndStopsCleanlyOnSigterm()
    {
        // Arrange
        using var dir = new TempDirectory();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "Sparring.Cli.dll"), "serve", "--port", "0", "--out", dir.Path })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["SPARRING_CACHE"] = TestCache.Root;
        using var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();

        // Act
        string? address = null;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (address is null && await process.StandardError.ReadLineAsync(timeout.Token) is { } line)
        {
            var at = line.IndexOf("listening on ", StringComparison.Ordinal);
            address = at < 0 ? null : line[(at + "listening on ".Length)..].Split(' ')[0];
        }

        Assert.NotNull(address);
        using var http = new HttpClient();
        var health = JsonDocument.Parse(await http.GetStringAsync(new Uri(new Uri(address), "v1/health"))).RootElement;
        using var term = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        var rest = await process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);

        // Assert
        Assert.StartsWith("http://127.0.0.1:", address, StringComparison.Ordinal);
        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.Equal(0, process.ExitCode);
        Assert.Contains("serve: stopped", rest, StringComparison.Ordinal);
    }
}
