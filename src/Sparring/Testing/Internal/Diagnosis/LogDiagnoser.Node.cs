using System.Text.Json;
using System.Text.RegularExpressions;

namespace Sparring.Testing.Internal.Diagnosis;

internal static partial class LogDiagnoser
{
    private static readonly string[] DependencySections = ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"];

    private static RunDiagnosis? Node(LogContext log)
    {
        var errors = log.ErrorLines(l => NodeError().IsMatch(l));
        if (log.Find(PnpmCode()) is { } pnpm)
        {
            return PnpmFailure(log, pnpm.Match.Groups["code"].Value);
        }

        if (log.Find(NpmCode()) is { } npm)
        {
            return NpmFailure(log, npm.Match.Groups["code"].Value, errors);
        }

        if (log.Find(NodeBadOption()) is { } option)
        {
            return log.Make(RunDiagnosisKinds.Toolchain, $"the installed Node does not know {option.Match.Groups["what"].Value}: it is older than the tests need", "install a newer Node on this machine (apt-get install nodejs, or a newer build; the sandbox sees the host's /usr/bin/node)", errors);
        }

        if (log.Find(NodeCannotFindModule()) is { } missing)
        {
            var module = missing.Match.Groups["module"].Value;
            if (module.StartsWith('.') || module.StartsWith('/'))
            {
                return log.Make(RunDiagnosisKinds.ImportError, $"a test requires '{module}', which does not exist", null, errors);
            }

            var package = module.StartsWith('@') ? string.Join('/', module.Split('/').Take(2)) : module.Split('/')[0];
            return DeclaredNodePackages(log) is { } declared && declared.Contains(package)
                ? log.Make(RunDiagnosisKinds.Dependencies, $"the package '{package}' is declared in package.json but not installed", "commit a package-lock.json that lists it, so setup's 'npm ci' installs it (probe shows the setup commands)", errors)
                : log.Make(RunDiagnosisKinds.MissingModule, $"the package '{package}' is not installed: package.json does not declare it", $"add {package} to package.json's devDependencies and commit package-lock.json (setup installs what they list)", errors);
        }

        if (log.Find(ImportOutsideModule()) is not null)
        {
            return log.Make(RunDiagnosisKinds.ImportError, "a test uses ES module syntax in a file Node loads as CommonJS", "set \"type\": \"module\" in package.json, or name the files .mjs", errors);
        }

        return null;
    }

    private static RunDiagnosis NpmFailure(LogContext log, string code, List<string> errors)
    {
        // npm's boilerplate (where its debug log is, how else a package can be installed) says nothing about the cause.
        errors = errors.Where(l => !NpmBoilerplate().IsMatch(l)).ToList();
        return code switch
        {
            "E404" => log.Make(RunDiagnosisKinds.Dependencies, "a dependency is not in the npm registry" + NotInRegistry(log), "fix its name or version in package.json (a private registry needs its .npmrc)", errors),
            "ETARGET" => log.Make(RunDiagnosisKinds.Dependencies, "no published version matches a dependency's range" + (log.Find(NpmNoMatchingVersion()) is { } target ? ": " + target.Match.Groups["spec"].Value : ""), "ask for a published version in package.json and refresh package-lock.json (npm install)", errors),
            "EUSAGE" when log.Find(NpmOutOfSync()) is not null => log.Make(RunDiagnosisKinds.Dependencies, "package.json and package-lock.json are out of sync, so 'npm ci' refuses to install", "run npm install in the repository and commit package-lock.json", errors),
            "ERESOLVE" => log.Make(RunDiagnosisKinds.Dependencies, "npm cannot resolve the peer dependencies" + PeerConflict(log), "commit an .npmrc with legacy-peer-deps=true and a package-lock.json made with it", errors),
            "EBADENGINE" => log.Make(RunDiagnosisKinds.Toolchain, "package.json's engines ask for another Node or npm version", "install the Node version the engines field names on this machine", errors),
            "ENOTCACHED" or "EAI_AGAIN" or "ENOTFOUND" or "ECONNREFUSED" or "ETIMEDOUT" or "ECONNRESET" or "ENETUNREACH" or "UNABLE_TO_GET_ISSUER_CERT_LOCALLY" or "SELF_SIGNED_CERT_IN_CHAIN" or "E403" =>
                log.Make(RunDiagnosisKinds.Unreachable, $"the npm registry could not be reached ({code})", "check the registry .npmrc names: only the public npm registry is reachable from this machine", errors),
            "ELIFECYCLE" or "1" or "2" or "127" => log.Make(RunDiagnosisKinds.Dependencies, "a package's install script failed" + FailedScript(log), log.Lines.Any(l => l.Contains("gyp", StringComparison.Ordinal)) ? "native modules build with node-gyp, which needs apt-get install python3 make g++" : null, errors),
            _ => log.Make(RunDiagnosisKinds.Dependencies, $"npm failed ({code})", null, errors),
        };
    }

    /// <summary>pnpm prints one <c>ERR_PNPM_CODE  message</c> line, then sentences about it.</summary>
    private static RunDiagnosis PnpmFailure(LogContext log, string code)
    {
        var errors = log.ErrorLines(l => l.Contains("ERR_PNPM_", StringComparison.Ordinal) || l.Contains("is not in the npm registry", StringComparison.Ordinal));
        if (code is "FETCH_404" or "NO_MATCHING_VERSION" && log.Find(PnpmFetch404()) is { } fetch)
        {
            var package = Uri.UnescapeDataString(fetch.Match.Groups["package"].Value);
            var version = fetch.Match.Groups["version"].Success ? "@" + fetch.Match.Groups["version"].Value : "";
            return log.Make(RunDiagnosisKinds.Dependencies, $"a dependency is not in the npm registry: {package}{version}", "fix its name or version in package.json and pnpm-lock.yaml (a private registry needs its .npmrc)", errors);
        }

        return code switch
        {
            "OUTDATED_LOCKFILE" => log.Make(RunDiagnosisKinds.Dependencies, "package.json and pnpm-lock.yaml are out of sync, so 'pnpm install --frozen-lockfile' refuses to install", "run pnpm install in the repository and commit pnpm-lock.yaml", errors),
            "META_FETCH_FAIL" or "FETCH_FAIL" => log.Make(RunDiagnosisKinds.Unreachable, $"the npm registry could not be reached (ERR_PNPM_{code})", "check the registry .npmrc names: only the public npm registry is reachable from this machine", errors),
            _ => log.Make(RunDiagnosisKinds.Dependencies, $"pnpm failed (ERR_PNPM_{code})", null, errors),
        };
    }

    /// <summary>": name@range" from npm 10's "The requested resource 'name@range' could not be found", older npm's "'name@range' is not in the npm registry", or the GET line.</summary>
    private static string NotInRegistry(LogContext log) =>
        log.Find(NpmNotInRegistry()) is { } missing ? ": " + missing.Match.Groups["package"].Value
        : log.Find(Npm404Get()) is { } get ? ": " + Uri.UnescapeDataString(get.Match.Groups["package"].Value)
        : "";

    /// <summary>": rollup@"&gt;=0.60.0 &lt;3" from rollup-plugin-babel@4.4.0 (found rollup@0.47.6)".</summary>
    private static string PeerConflict(LogContext log)
    {
        if (log.Find(NpmPeerWanted()) is not { } peer)
        {
            return "";
        }

        var found = log.Find(NpmPeerFound()) is { } f ? $" (found {f.Match.Groups["found"].Value})" : "";
        return $": {peer.Match.Groups["peer"].Value.Trim()}{found}";
    }

    /// <summary>": 'lefthook install' of the repository's own package" or ": 'node-gyp rebuild' of node_modules/x".</summary>
    private static string FailedScript(LogContext log)
    {
        if (log.Find(NpmFailedCommand()) is not { } command)
        {
            return "";
        }

        var path = log.Find(NpmFailedPath()) is { } p ? p.Match.Groups["path"].Value.Trim() : null;
        var whose = path is null ? "" : path is "/repo" or "." ? " (the repository's own package, e.g. its prepare script)" : $" (in {path.Replace("/repo/", "", StringComparison.Ordinal)})";
        return $": '{command.Match.Groups["command"].Value.Trim()}'{whose}";
    }

    /// <summary>The packages package.json declares, or null when the tree or the file is not at hand.</summary>
    private static HashSet<string>? DeclaredNodePackages(LogContext log)
    {
        if (log.TreeFile("package.json") is not { } text)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var section in DependencySections)
            {
                if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(section, out var deps) && deps.ValueKind == JsonValueKind.Object)
                {
                    names.UnionWith(deps.EnumerateObject().Select(p => p.Name));
                }
            }

            return names;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"^\s*(?:\w*Error|Error)(?: \[\w+\])?: |npm (?:ERR!|error) \S|^\s*✖ |^not ok |node: bad option|code: '\w+'|^# fail")]
    private static partial Regex NodeError();

    [GeneratedRegex(@"ERR_PNPM_(?<code>[A-Z0-9_]+)")]
    private static partial Regex PnpmCode();

    // GET https://registry.npmjs.org/nope-id (metadata) or …/actions-up/-/actions-up-1.17.0.tgz (a locked tarball).
    [GeneratedRegex(@"ERR_PNPM_\w+\s+GET \S+?/(?<package>(?:@[^/\s]+(?:/|%2[fF]))?[^/\s:]+)(?:/-/[^/\s]+?-(?<version>\d[^/\s]*?)\.tgz)?:")]
    private static partial Regex PnpmFetch404();

    [GeneratedRegex(@"npm (?:ERR!|error) code (?<code>\S+)")]
    private static partial Regex NpmCode();

    [GeneratedRegex(@"'(?<package>[^']+)' (?:is not in (?:the npm|this) registry|could not be found)")]
    private static partial Regex NpmNotInRegistry();

    [GeneratedRegex(@"404 Not Found - GET \S+/(?<package>[^/\s]+)\s*$")]
    private static partial Regex Npm404Get();

    [GeneratedRegex(@"No matching version found for (?<spec>\S+?)\.?\s*$")]
    private static partial Regex NpmNoMatchingVersion();

    [GeneratedRegex(@"npm (?:ERR!|error) peer (?<peer>.+ from \S+)")]
    private static partial Regex NpmPeerWanted();

    [GeneratedRegex(@"npm (?:ERR!|error) Found: (?<found>\S+)")]
    private static partial Regex NpmPeerFound();

    [GeneratedRegex(@"npm (?:ERR!|error) command sh -c (?<command>.+)$")]
    private static partial Regex NpmFailedCommand();

    [GeneratedRegex(@"npm (?:ERR!|error) path (?<path>.+)$")]
    private static partial Regex NpmFailedPath();

    [GeneratedRegex(@"npm (?:ERR!|error)(?:\s*$| A complete log of this run| 404 Note that you can also install| 404 tarball, folder| 404\s*$| For a full report see:| \S+-report\.txt\s*$)")]
    private static partial Regex NpmBoilerplate();

    [GeneratedRegex(@"can only install packages when your package\.json and package-lock\.json")]
    private static partial Regex NpmOutOfSync();

    [GeneratedRegex(@"node: bad option: (?<what>\S+)|No such built-in module: (?<what>\S+)")]
    private static partial Regex NodeBadOption();

    [GeneratedRegex(@"Cannot find (?:module|package) '(?<module>[^']+)'")]
    private static partial Regex NodeCannotFindModule();

    [GeneratedRegex(@"Cannot use import statement outside a module")]
    private static partial Regex ImportOutsideModule();
}
