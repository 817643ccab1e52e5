using System.Text.RegularExpressions;

namespace Sparring.Testing.Internal.Diagnosis;

internal static partial class LogDiagnoser
{
    private static RunDiagnosis? Dotnet(LogContext log)
    {
        var errors = log.ErrorLines(l => DotnetError().IsMatch(l));
        if (log.Find(DotnetRuntimeMissing()) is { } runtime)
        {
            var framework = log.Find(DotnetFramework());
            var name = framework?.Match.Groups["name"].Value ?? "Microsoft.NETCore.App";
            var version = framework?.Match.Groups["version"].Value;
            var major = version?.Split('.')[0];
            var package = (name.Contains("AspNetCore", StringComparison.Ordinal) ? "aspnetcore-runtime-" : "dotnet-runtime-") + (major ?? "X") + ".0";
            return log.Make(
                RunDiagnosisKinds.Toolchain,
                $"the tests need the .NET runtime {name} {version ?? "(another version)"}, which is not installed",
                $"install it ({package}), or run on the installed runtime: {log.TestCommandWith(prefix: "DOTNET_ROLL_FORWARD=Major ")}",
                log.Block(runtime.Index, l => l.StartsWith("Learn more", StringComparison.Ordinal)));
        }

        if (log.Find(DotnetSdkMissing()) is { } sdk)
        {
            var requested = log.Find(DotnetRequestedSdk())?.Match.Groups["version"].Value;
            return log.Make(
                RunDiagnosisKinds.Toolchain,
                $"global.json asks for the .NET SDK {requested ?? "(another version)"}, which is not installed",
                $"install the .NET SDK {requested ?? "global.json names"}, or let global.json roll forward (\"rollForward\": \"latestMajor\")",
                log.Block(sdk.Index, l => l.StartsWith("Learn about", StringComparison.Ordinal)));
        }

        if (log.Find(DotnetTargetTooNew()) is { } target)
        {
            var version = target.Match.Groups["version"].Value;
            return log.Make(RunDiagnosisKinds.Toolchain, $"the projects target .NET {version}, which the installed SDK does not support", $"install the .NET {version} SDK on this machine", errors);
        }

        if (log.Find(NuGetUnreachable()) is { } feed)
        {
            return log.Make(RunDiagnosisKinds.Unreachable, $"the NuGet feed {feed.Match.Groups["source"].Value.TrimEnd('.')} cannot be reached from here", "remove the feed from nuget.config, or serve its packages from a local folder feed the repository names", errors);
        }

        if (log.Find(NuGetNoPackage()) is { } none)
        {
            return log.Make(RunDiagnosisKinds.Dependencies, $"no configured NuGet feed has the package {none.Match.Groups["package"].Value}", "add the feed that has it to nuget.config, or fix the package's name", errors);
        }

        if (log.Find(NuGetNoVersion()) is { } noVersion)
        {
            return log.Make(RunDiagnosisKinds.Dependencies, $"no configured NuGet feed has {noVersion.Match.Groups["package"].Value} in the version asked for ({noVersion.Match.Groups["range"].Value})", "reference a published version of the package", errors);
        }

        if (log.Find(NuGetWarningAsError()) is { } warning)
        {
            var code = warning.Match.Groups["code"].Value;
            return log.Make(
                RunDiagnosisKinds.Dependencies,
                $"NuGet warning {code} is an error here (warnings are errors){(code == "NU1603" ? ": an approximate version of a package was resolved" : "")}",
                code == "NU1603" ? $"reference a version that exists, or add <WarningsNotAsErrors>NU1603</WarningsNotAsErrors> to the project" : $"fix what {code} names, or add <WarningsNotAsErrors>{code}</WarningsNotAsErrors> to the project",
                errors);
        }

        if (log.Find(NuGetError()) is { } nuget)
        {
            return log.Make(RunDiagnosisKinds.Dependencies, $"NuGet restore failed ({nuget.Match.Groups["code"].Value})", null, errors);
        }

        if (log.Find(CompilerError()) is { } compile)
        {
            return log.Make(RunDiagnosisKinds.CompileError, $"the code does not compile: {compile.Match.Groups["message"].Value.Trim()}", null, errors);
        }

        if (log.Find(DotnetNoTests()) is not null && log.Input.Counts.Total == 0)
        {
            return log.Make(RunDiagnosisKinds.NoTests, "dotnet test found no test in the assemblies it ran (no test adapter, or the wrong projects)", "reference a test adapter (xunit.runner.visualstudio, MSTest.TestAdapter, NUnit3TestAdapter) in the test project, or name it: --test-cmd \"dotnet test <project>\"", errors);
        }

        return null;
    }

    [GeneratedRegex(@"\berror [A-Z]+\d+:|You must install or update \.NET|A compatible \.NET SDK was not found|Framework: '|Requested SDK version|exited with error|No test is available")]
    private static partial Regex DotnetError();

    [GeneratedRegex(@"You must install or update \.NET to run this application|The framework '[^']+', version '[^']+' \(\w+\) was not found")]
    private static partial Regex DotnetRuntimeMissing();

    [GeneratedRegex(@"Framework: '(?<name>[^']+)', version '(?<version>[^']+)'|The framework '(?<name>[^']+)', version '(?<version>[^']+)'")]
    private static partial Regex DotnetFramework();

    [GeneratedRegex(@"A compatible \.NET SDK was not found|A compatible installed \.NET SDK for global\.json version")]
    private static partial Regex DotnetSdkMissing();

    [GeneratedRegex(@"Requested SDK version: (?<version>\S+)")]
    private static partial Regex DotnetRequestedSdk();

    [GeneratedRegex(@"NETSDK1045: The current \.NET SDK does not support targeting \.NET (?:Core )?(?<version>[\d.]+)")]
    private static partial Regex DotnetTargetTooNew();

    [GeneratedRegex(@"error NU1301: Unable to load the service index for source (?<source>\S+)")]
    private static partial Regex NuGetUnreachable();

    [GeneratedRegex(@"error NU1101: Unable to find package (?<package>\S+?)\. No packages exist")]
    private static partial Regex NuGetNoPackage();

    [GeneratedRegex(@"error NU1102: Unable to find package (?<package>\S+) with version \((?<range>[^)]+)\)")]
    private static partial Regex NuGetNoVersion();

    [GeneratedRegex(@"error (?<code>NU\d+): Warning As Error:")]
    private static partial Regex NuGetWarningAsError();

    [GeneratedRegex(@"error (?<code>NU\d+):")]
    private static partial Regex NuGetError();

    [GeneratedRegex(@"error (?:CS|FS|BC|MSB|NETSDK)\d+: (?<message>.+?)(?: \[[^\]]+\])?$")]
    private static partial Regex CompilerError();

    [GeneratedRegex(@"No test is available in|No test matches the given testcase filter")]
    private static partial Regex DotnetNoTests();
}
