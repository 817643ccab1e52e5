using System.Text.RegularExpressions;

namespace Sparring.Testing.Internal.Diagnosis;

internal static partial class LogDiagnoser
{
    private static RunDiagnosis? Go(LogContext log)
    {
        var errors = log.ErrorLines(l => GoError().IsMatch(l));
        if (log.Find(GoVersionRequired()) is { } required)
        {
            var wanted = required.Match.Groups["wanted"].Value;
            return log.Make(RunDiagnosisKinds.Toolchain, $"go.mod asks for Go {wanted}, newer than the installed Go{(required.Match.Groups["running"].Success ? " " + required.Match.Groups["running"].Value : "")}", $"install Go {wanted} or later on this machine (the sandbox sees the host's /usr/bin/go; GOTOOLCHAIN=local keeps Go from downloading one)", errors);
        }

        if (log.Find(GoUnreadableGoMod()) is not null)
        {
            return log.Make(RunDiagnosisKinds.Toolchain, "the installed Go cannot read go.mod (a newer Go wrote it: a three-part go version or a toolchain line)", "install a newer Go on this machine (the sandbox sees the host's /usr/bin/go)", errors);
        }

        if (log.Find(GoModuleUnreachable()) is { } unreachable)
        {
            return log.Make(RunDiagnosisKinds.Unreachable, $"Go modules cannot be downloaded from here ({unreachable.Match.Groups["module"].Value})", "vendor the modules (go mod vendor) and commit vendor/, so nothing needs downloading", errors);
        }

        if (log.Find(GoNoModuleProvides()) is { } notRequired)
        {
            var package = notRequired.Match.Groups["package"].Value;
            return log.Make(RunDiagnosisKinds.Dependencies, $"go.mod requires no module that provides {package}", $"go get {package} in the repository and commit go.mod and go.sum", errors);
        }

        if (log.Find(GoMissingGoSum()) is { } sum)
        {
            return log.Make(RunDiagnosisKinds.Dependencies, $"go.sum has no entry for {(sum.Match.Groups["package"].Success ? sum.Match.Groups["package"].Value : "a module the code needs")}", "go mod tidy in the repository and commit go.sum", errors);
        }

        if (log.Find(GoCannotFindModule()) is { } notCached)
        {
            var package = notCached.Match.Groups["package"].Success ? notCached.Match.Groups["package"].Value : "a package the code imports";
            return log.Make(RunDiagnosisKinds.Dependencies, $"no module in the module cache provides {package} (test runs are offline: GOPROXY=off)", "list it in go.mod and go.sum (go mod tidy) and commit them, so setup's 'go mod download' fetches it; or vendor it (go mod vendor)", errors);
        }

        if (log.Find(GoNoFiles()) is not null)
        {
            return log.Make(RunDiagnosisKinds.NoTests, "go test found no Go package to test there", $"name the packages that hold tests: {log.TestCommandWith().Replace("./...", "./<dir>/...", StringComparison.Ordinal)}", errors);
        }

        if (log.Find(GoBuildFailed()) is { } build)
        {
            var package = build.Match.Groups["package"].Value;
            var first = log.Lines.FirstOrDefault(l => GoCompilerMessage().IsMatch(l));
            return log.Make(RunDiagnosisKinds.CompileError, $"{(package.Length > 0 ? package : "a package")} does not compile{(first is null ? "" : ": " + first.Trim())}", null, errors);
        }

        return null;
    }

    [GeneratedRegex(@"^\S+\.go:\d+(?::\d+)?: |^# \S|^FAIL\s|^go: |^panic: |cannot find module|no required module|missing go\.sum|no Go files|matched no packages|note: module requires")]
    private static partial Regex GoError();

    [GeneratedRegex(@"go\.mod requires go >= (?<wanted>[\w.]+)(?: \(running go (?<running>[\w.]+))?|note: module requires Go (?<wanted>[\w.]+)")]
    private static partial Regex GoVersionRequired();

    [GeneratedRegex(@"invalid go version '[\w.]+': must match format|unknown directive: toolchain")]
    private static partial Regex GoUnreadableGoMod();

    [GeneratedRegex(@"(?<module>\S+@\S+): .*(?:dial tcp|no such host|connection refused|i/o timeout|network is unreachable|TLS handshake timeout|403 Forbidden)")]
    private static partial Regex GoModuleUnreachable();

    [GeneratedRegex(@"no required module provides package (?<package>[^\s;:]+)")]
    private static partial Regex GoNoModuleProvides();

    [GeneratedRegex(@"missing go\.sum entry(?: for module providing package (?<package>[^\s;:)]+))?")]
    private static partial Regex GoMissingGoSum();

    [GeneratedRegex(@"cannot find module providing package (?<package>[^\s;:]+)|module lookup disabled by GOPROXY=off")]
    private static partial Regex GoCannotFindModule();

    [GeneratedRegex(@"no Go files in |matched no packages|^no packages to test")]
    private static partial Regex GoNoFiles();

    [GeneratedRegex(@"^FAIL\s+(?<package>\S+) \[(?:build|setup) failed\]|^# (?<package>\S+)")]
    private static partial Regex GoBuildFailed();

    [GeneratedRegex(@"^\S+\.go:\d+(?::\d+)?: ")]
    private static partial Regex GoCompilerMessage();
}
