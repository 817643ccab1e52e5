using System.Text;
using Sparring.Repos;
using Sparring.Sandboxes;

namespace Sparring.Testing.Internal;

/// <summary>
/// The SSR parser-script protocol: an executable reads the raw test log on stdin and prints
/// <c>{"test id": "passed" | "failed"}</c>. It runs in the same sandbox as the tests, never on the host.
/// </summary>
internal static class ParserScript
{
    public const string Prefix = "script:";
    public const string SandboxDirectory = "/sparring/parser";

    public static bool IsScript(string parser) => parser.StartsWith(Prefix, StringComparison.Ordinal);

    public static async Task<ParsedReport> RunAsync(string parser, Workspace workspace, ISandbox sandbox, string log, CancellationToken cancellationToken)
    {
        var hostPath = Path.GetFullPath(parser[Prefix.Length..]);
        if (!File.Exists(hostPath))
        {
            throw new FileNotFoundException($"The parser script '{hostPath}' does not exist.", hostPath);
        }

        var name = Path.GetFileName(hostPath);
        File.Copy(hostPath, Path.Combine(workspace.StateDirectory("parser"), name), overwrite: true);
        var inside = SandboxDirectory + "/" + name;
        string[] command = Path.GetExtension(name) switch
        {
            ".py" => ["python3", inside],
            ".sh" => ["/bin/bash", inside],
            ".js" => ["node", inside],
            _ => [inside],
        };
        var result = await sandbox.ExecAsync(
            new ExecRequest { Command = command, StandardInput = Encoding.UTF8.GetBytes(log), Timeout = TimeSpan.FromMinutes(2) },
            cancellationToken).ConfigureAwait(false);
        var parsed = TestReportParsers.Get("ssr-json").Parse(new ReportInput { Log = result.Stdout });
        var warnings = new List<string>(parsed.Warnings);
        if (result.ExitCode != 0)
        {
            warnings.Add($"The parser script exited {result.ExitCode}: {result.Stderr.Trim()}");
        }

        // The protocol has no end marker: a script that exited cleanly with a map is taken as complete.
        return parsed with { SawCompletion = result.ExitCode == 0 && parsed.Tests.Count > 0, Warnings = warnings };
    }
}
