namespace Sparring.Testing.Detection;

/// <summary><c>dotnet test</c> with the TRX logger over the solution (or the test projects), restored and built during setup.</summary>
internal sealed class DotnetDetector : IRunnerDetector
{
    /// <summary>MSBuild properties added as <c>-p:NAME=VALUE</c> to restore, build and test, in name order.</summary>
    public IReadOnlyDictionary<string, string> BuildProperties { get; init; } = new Dictionary<string, string>();

    public TestPlan? TryDetect(string tree)
    {
        var warnings = new List<string>();
        var solutions = Directory.EnumerateFiles(tree)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(n => n.EndsWith(".sln", StringComparison.Ordinal) || n.EndsWith(".slnx", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        string target;
        if (solutions.Count > 0)
        {
            target = solutions[0];
            if (solutions.Count > 1)
            {
                warnings.Add($"Several solutions at the root ({string.Join(", ", solutions)}); using {target}. Use --test-cmd to choose another.");
            }
        }
        else
        {
            var testProjects = TreeScan.FindFiles(tree, n => n.EndsWith(".csproj", StringComparison.Ordinal) || n.EndsWith(".fsproj", StringComparison.Ordinal))
                .Where(p => IsTestProject(TreeScan.Read(tree, p)))
                .ToList();
            if (testProjects.Count == 0)
            {
                return null;
            }

            target = testProjects[0];
            if (testProjects.Count > 1)
            {
                warnings.Add($"No solution file and several test projects; using {target}. Use --test-cmd to run the others.");
            }
        }

        var quoted = TreeScan.Quote(target);
        const string Flags = "-nologo -nodeReuse:false -p:UseSharedCompilation=false";

        // No warning fails a build here: the mirror often lacks a pinned test package and resolves a newer one (NU1603,
        // and NU1605 through the SDK's own WarningsAsErrors), which a repository's TreatWarningsAsErrors makes fatal.
        var properties = "-p:TreatWarningsAsErrors=false -p:WarningsAsErrors=";
        var foreign = DotnetFrameworks.Foreign(DotnetFrameworks.Declared(tree));
        if (foreign.Count > 0)
        {
            var installed = DotnetFrameworks.Installed;
            properties += $" -p:TargetFramework={installed} -p:TargetFrameworks={installed}";
            warnings.Add($"Projects target {string.Join(", ", foreign)}; built and tested for {installed}, the installed runtime.");
        }
        // The user's properties come last: MSBuild takes the last value of a property given twice.
        properties += string.Concat(BuildProperties.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => " " + TreeScan.Quote($"-p:{p.Key}={p.Value}")));

        return new TestPlan
        {
            Runner = "dotnet",
            Reason = target,
            Command = new TestCommand
            {
                Command = $"dotnet test {quoted} --no-restore {Flags} {properties} --logger trx --results-directory {TestRunnerDetector.ResultsPath}",
                Parser = "trx",
            },
            Recipe = new EnvironmentRecipe
            {
                SetupCommands =
                [
                    // A feed of the repository's NuGet.Config that cannot be reached must not stop a restore the mirror can do.
                    $"dotnet restore {quoted} -nologo --ignore-failed-sources {properties}",
                    // A warm build makes each later run an incremental one; a failure here shows again in the run.
                    $"dotnet build {quoted} --no-restore {Flags} {properties} || true",
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
                },
            },
            Warnings = warnings,
        };
    }

    private static bool IsTestProject(string project) =>
        project.Contains("Microsoft.NET.Test.Sdk", StringComparison.OrdinalIgnoreCase)
        || project.Contains("<IsTestProject>true", StringComparison.OrdinalIgnoreCase)
        || project.Contains("MSTest.Sdk", StringComparison.OrdinalIgnoreCase);
}
