using System.Globalization;
using System.Text;

namespace Sparring.Testing.Detection;

/// <summary>
/// <c>dotnet test</c> with the TRX logger on each test project the repository's CI tests (every test project when
/// it does not name them; else the solution), restored and built during setup.
/// Test projects, not the solution: a solution often holds samples, benchmarks and websites whose packages a
/// restricted feed lacks, and one project that cannot restore must not stop the tests of the others.
/// </summary>
internal sealed class DotnetDetector : IRunnerDetector
{
    private const string Flags = "-nologo -nodeReuse:false -p:UseSharedCompilation=false";

    /// <summary>Test projects run in turn; a repository with more is told to say which with --test-cmd.</summary>
    internal const int MaxTestProjects = 12;

    /// <summary>MSBuild properties added as <c>-p:NAME=VALUE</c> to restore, build and test, in name order.</summary>
    public IReadOnlyDictionary<string, string> BuildProperties { get; init; } = new Dictionary<string, string>();

    public TestPlan? TryDetect(string tree)
    {
        var warnings = new List<string>();
        var projects = TreeScan.FindFiles(tree, IsProjectFile);
        var testProjects = projects.Where(p => IsTestProject(tree, p)).ToList();
        if (testProjects.Count == 0 && TreeScan.FindFiles(tree, n => n.EndsWith(".props", StringComparison.Ordinal) || n.EndsWith(".targets", StringComparison.Ordinal))
                .Any(f => HasTestMarker(TreeScan.Read(tree, f))))
        {
            // The test packages come through an import the project chooses by a property (eng/$(ProjectType).targets):
            // the projects named or placed like test projects are taken.
            testProjects = projects.Where(LooksLikeTestProject).ToList();
        }

        // The projects the repository's CI tests, when it names them, rather than every test project of the tree.
        var named = DotnetTestInvocationReader.Find(tree, projects);
        if (named is var (chosen, _))
        {
            testProjects = chosen;
        }

        List<string> targets;
        string reason;
        if (testProjects.Count > 0)
        {
            targets = testProjects.Take(MaxTestProjects).ToList();
            reason = (targets.Count == 1 ? targets[0] : $"{targets.Count} test projects") + (named is var (_, source) ? $", as {source} runs them" : "");
            if (testProjects.Count > MaxTestProjects)
            {
                warnings.Add($"{testProjects.Count} test projects; running the first {MaxTestProjects}. Use --test-cmd to choose.");
            }
        }
        else
        {
            var solutions = Directory.EnumerateFiles(tree)
                .Select(Path.GetFileName)
                .OfType<string>()
                .Where(n => n.EndsWith(".sln", StringComparison.Ordinal) || n.EndsWith(".slnx", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
                .ToList();
            if (solutions.Count == 0)
            {
                return null;
            }

            targets = [solutions[0]];
            reason = solutions[0];
            if (solutions.Count > 1)
            {
                warnings.Add($"No test project found by its packages and several solutions at the root ({string.Join(", ", solutions)}); using {solutions[0]}. Use --test-cmd to choose another.");
            }
        }

        // The dotnet host picks the SDK by the global.json above its working directory: when no installed SDK meets the
        // pin, commands run from /tmp on the repository's absolute paths and the newest installed SDK builds.
        var pin = GlobalJsonPin.Unsatisfied(tree, DotnetFrameworks.InstalledSdks);
        var outside = pin is not null;
        if (pin is var (version, policy))
        {
            warnings.Add($"global.json asks for the .NET SDK {version} (rollForward {policy}), which is not installed; the installed SDK ({string.Join(", ", DotnetFrameworks.InstalledSdks)}) builds it, run from outside the repository's global.json.");
        }

        // global.json can switch dotnet test to Microsoft.Testing.Platform, whose command line differs from VSTest's.
        var platform = GlobalJsonPin.UsesTestingPlatform(tree);
        var runs = targets.Select((target, i) => new ProjectRun(
            target, Properties(tree, target, testProjects.Count > 0, warnings), i + 1, outside,
            platform ? TestingPlatformReport(tree, target) : null) { Assets = AssetsOf(tree, target) }).ToList();
        string Outside(string command) => outside ? $"cd /tmp && {{ {command}; }}" : command;
        return new TestPlan
        {
            Runner = "dotnet",
            Reason = reason,
            Command = new TestCommand { Command = outside && runs.Count > 1 ? "cd /tmp || exit 1\n" + TestCommandFor(runs) : Outside(TestCommandFor(runs)), Parser = "trx" },
            Recipe = new EnvironmentRecipe
            {
                SetupCommands =
                [
                    Outside(RestoreCommandFor(runs)),
                    // A warm build makes each later run an incremental one; a failure here shows again in the run.
                    Outside(string.Join(" ; ", runs.Select(r => $"dotnet build {r.Quoted} --no-restore {Flags} {r.Properties}")) + " || true"),
                ],
                Caches = [new CacheMount("nuget", "/sparring/nuget", CacheScope.SharedReadOnly)],
                Environment = new Dictionary<string, string>
                {
                    ["NUGET_PACKAGES"] = "/sparring/nuget",
                    ["DOTNET_CLI_HOME"] = "/tmp/home",
                    ["DOTNET_NOLOGO"] = "1",
                    ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
                    ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
                    ["DOTNET_CLI_WORKLOAD_UPDATE_NOTIFY_DISABLE"] = "1",
                    ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
                    ["MSBUILDDISABLENODEREUSE"] = "1",
                    ["NUGET_CERT_REVOCATION_MODE"] = "offline",
                    // A test host or tool built for an older runtime starts on the installed one.
                    ["DOTNET_ROLL_FORWARD"] = "Major",
                    // Every run starts four short-lived processes (the CLI with MSBuild, csc, vstest.console, the test
                    // host), which end before profile-guided rejitting pays for its instrumentation: about a tenth less CPU a run.
                    ["DOTNET_TieredPGO"] = "0",
                },
            },
            Warnings = warnings,
        };
    }

    /// <summary>One dotnet test invocation; <c>PlatformReport</c> is the option that writes TRX under Microsoft.Testing.Platform, null under VSTest.</summary>
    private sealed record ProjectRun(string Target, string Properties, int Number, bool Outside, string? PlatformReport)
    {
        public string Quoted => Absolute(Target);

        /// <summary>Where restore leaves its assets (tree-relative; null when a custom ArtifactsPath hides it): a project that has none did not restore.</summary>
        public string? Assets { get; init; }

        public string? AssetsFile => Assets is null ? null : Absolute(Assets);

        /// <summary>Run from /tmp, a path is the repository's (<c>$OLDPWD</c> after the one <c>cd</c>).</summary>
        private string Absolute(string path) => Outside ? "\"$OLDPWD\"/" + TreeScan.Quote(path) : TreeScan.Quote(path);
    }

    /// <summary>
    /// Where restore writes a project's assets: beside it in <c>obj/</c>, or, when a Directory.Build.props turns on
    /// <c>UseArtifactsOutput</c>, in <c>artifacts/obj/&lt;project&gt;/</c> beside that file; null when it also sets
    /// <c>ArtifactsPath</c>.
    /// </summary>
    private static string? AssetsOf(string tree, string target)
    {
        var props = DotnetFrameworks.WithDirectoryBuildFiles(tree, target).Skip(1)
            .FirstOrDefault(f => f.EndsWith("Directory.Build.props", StringComparison.Ordinal) && TreeScan.Read(tree, f).Contains("<UseArtifactsOutput>true", StringComparison.OrdinalIgnoreCase));
        if (props is null)
        {
            return Path.Combine(Path.GetDirectoryName(target) ?? "", "obj", "project.assets.json");
        }

        return TreeScan.Read(tree, props).Contains("<ArtifactsPath>", StringComparison.OrdinalIgnoreCase)
            ? null
            : Path.Combine(Path.GetDirectoryName(props) ?? "", "artifacts", "obj", Path.GetFileNameWithoutExtension(target), "project.assets.json");
    }

    private static string TestCommandFor(List<ProjectRun> runs)
    {
        // Microsoft.Testing.Platform hands options it does not know (-nologo, -nodeReuse, --logger) to the test
        // application, which then runs nothing; it names the project with --project and writes TRX by an extension.
        string Test(ProjectRun r, string logger) => r.PlatformReport is { } report
            ? $"dotnet test {(r.Target.EndsWith("proj", StringComparison.Ordinal) ? "--project" : "--solution")} {r.Quoted} --no-restore -p:UseSharedCompilation=false {r.Properties} {report} --results-directory {TestRunnerDetector.ResultsPath}"
            : $"dotnet test {r.Quoted} --no-restore {Flags} {r.Properties} --logger {logger} --results-directory {TestRunnerDetector.ResultsPath}";
        if (runs.Count == 1)
        {
            return Test(runs[0], "trx");
        }

        // Each project in turn, its own report file; one whose restore failed in setup is named and left out, so the
        // others' results stand; the exit status is the last failing project's.
        var script = new StringBuilder("rc=0\n");
        foreach (var run in runs)
        {
            script.Append(CultureInfo.InvariantCulture,
                $"if {(run.AssetsFile is { } assets ? $"[ -f {assets} ]" : "true")}; then {Test(run, TreeScan.Quote($"trx;LogFileName=sparring-{run.Number}.trx"))} || rc=$?; else echo \"sparring: {run.Target.Replace("\"", "", StringComparison.Ordinal)} did not restore; its tests were not run\" >&2; rc=1; fi\n");
        }

        return script.Append("exit $rc").ToString();
    }

    private static string RestoreCommandFor(List<ProjectRun> runs)
    {
        // A feed of the repository's NuGet.Config that cannot be reached must not stop a restore the mirror can do.
        string Restore(ProjectRun r) => $"dotnet restore {r.Quoted} -nologo --ignore-failed-sources {r.Properties}";
        if (runs.Count == 1)
        {
            return Restore(runs[0]);
        }

        // Setup fails only when no test project restores.
        return "restored=0; " + string.Join(" ; ", runs.Select(r => $"{Restore(r)} && restored=1")) + " ; [ $restored = 1 ]";
    }

    private string Properties(string tree, string target, bool isProject, List<string> warnings)
    {
        // No warning fails a build here: the mirror often lacks a pinned test package and resolves a newer one (NU1603,
        // and NU1605 through the SDK's own WarningsAsErrors), which a repository's TreatWarningsAsErrors makes fatal.
        // Package validation compares a package with a published baseline, which restore fetches: a packaging
        // check that decides no test, and the baseline is often missing from a restricted feed.
        var properties = "-p:TreatWarningsAsErrors=false -p:WarningsAsErrors= -p:EnablePackageValidation=false";
        var declared = isProject ? DotnetFrameworks.DeclaredFor(tree, target) : DotnetFrameworks.Declared(tree);
        var foreign = DotnetFrameworks.Foreign(declared);
        var framework = DotnetFrameworks.BuildTarget(declared);
        if (foreign.Count > 0 && !(declared.Count == 1 && declared[0].Equals(framework, StringComparison.OrdinalIgnoreCase)))
        {
            var installed = DotnetFrameworks.Installed;
            properties += $" -p:TargetFramework={framework} -p:TargetFrameworks={framework}";
            warnings.Add(framework == installed
                ? $"{target} targets {string.Join(", ", declared)}; built and tested for {installed}, the installed runtime."
                : $"{target} targets {string.Join(", ", declared)}; built for {framework} and run on the installed runtime ({installed}) by rolling forward.");
        }

        // The user's properties come last: MSBuild takes the last value of a property given twice.
        return properties + string.Concat(BuildProperties.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => " " + TreeScan.Quote($"-p:{p.Key}={p.Value}")));
    }

    /// <summary>
    /// xunit v3 writes TRX itself (<c>--report-xunit-trx</c>); TUnit, MSTest and NUnit use the platform's TRX
    /// extension (<c>--report-trx</c>), which xunit v3 does not load.
    /// </summary>
    private static string TestingPlatformReport(string tree, string target) =>
        DotnetFrameworks.WithDirectoryBuildFiles(tree, target).Any(f => TreeScan.Read(tree, f).Contains("xunit.v3", StringComparison.OrdinalIgnoreCase))
            ? "--report-xunit-trx"
            : "--report-trx";

    private static bool IsProjectFile(string name) =>
        name.EndsWith(".csproj", StringComparison.Ordinal) || name.EndsWith(".fsproj", StringComparison.Ordinal) || name.EndsWith(".vbproj", StringComparison.Ordinal);

    /// <summary>
    /// A test project by its own packages or properties, or, when it is named or placed like one, by those a
    /// Directory.Build file above it gives it (a root file often adds test packages under a condition).
    /// </summary>
    private static bool IsTestProject(string tree, string project) =>
        HasTestMarker(TreeScan.Read(tree, project))
        || (LooksLikeTestProject(project) && DotnetFrameworks.WithDirectoryBuildFiles(tree, project).Skip(1).Any(f => HasTestMarker(TreeScan.Read(tree, f))));

    private static bool LooksLikeTestProject(string project) =>
        Path.GetFileName(project).Contains("Test", StringComparison.OrdinalIgnoreCase)
        || project.Replace('\\', '/').Split('/').SkipLast(1).Any(s => s.Equals("test", StringComparison.OrdinalIgnoreCase) || s.Equals("tests", StringComparison.OrdinalIgnoreCase));

    private static bool HasTestMarker(string content) =>
        content.Contains("Microsoft.NET.Test.Sdk", StringComparison.OrdinalIgnoreCase)
        || content.Contains("<IsTestProject>true", StringComparison.OrdinalIgnoreCase)
        || content.Contains("MSTest.Sdk", StringComparison.OrdinalIgnoreCase)
        || content.Contains("Include=\"TUnit\"", StringComparison.OrdinalIgnoreCase)
        || content.Contains("Include=\"xunit.v3\"", StringComparison.OrdinalIgnoreCase)
        || content.Contains("Include=\"xunit.v3.mtp-", StringComparison.OrdinalIgnoreCase);
}
