using Sparring.Testing;

namespace Sparring.Tests.Testing;

/// <summary>
/// Reads the captured runner outputs in Fixtures/. Each was produced by running the real runner on a small
/// throwaway project with passing, failing, skipped, parametrised and printing tests plus a broken module:
/// <c>python3 -m pytest -rA -v [--continue-on-collection-errors] --junitxml=…</c> (pytest 7.2),
/// <c>go test -json ./...</c> (Go 1.19, with a package that does not compile and one that panics),
/// <c>node --test --test-reporter=junit|tap</c> (Node 20), <c>mocha --reporter tap</c> (mocha 10),
/// <c>jest --json --outputFile=…</c> with the jest-junit reporter (jest 29), tape 5.10.2 (<c>tape 'test/*.js'</c>,
/// tape*.txt), Sparring's own node reporter on Node 20.20 (node.jsonl), and
/// <c>dotnet test --logger trx</c> on two xunit 2.9.3 projects. Two-file suites of the JavaScript runners, with /tmp paths
/// rewritten to /repo: vitest 4.1 (<c>--reporter=json</c>, vitest.json), AVA 7 (<c>--tap</c>, ava-tap.txt), node-tap 21
/// (<c>--reporter=tap --disable-coverage</c>, node-tap-runner.txt) and mocha 12 (<c>--reporter tap</c>, mocha-tap-two-files.txt).
/// </summary>
internal static class ReportFixtures
{
    public static string Text(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Testing", "Fixtures", name));

    public static ReportInput Log(string name) => new() { Log = Text(name) };

    public static ReportInput Files(params string[] names) => new()
    {
        Log = "",
        ReportFiles = names.ToDictionary(n => $"reports/{n}", Text),
    };

    public static ReportInput FileContents(string content) => new()
    {
        Log = "",
        ReportFiles = new Dictionary<string, string> { ["reports/report"] = content },
    };

    public static TestStatus StatusOf(ParsedReport report, string id) => report.Tests.Single(t => t.Id == id).Status;

    public static int CountOf(ParsedReport report, TestStatus status) => report.Tests.Count(t => t.Status == status);
}
