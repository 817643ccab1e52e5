using System.Text.Json;
using System.Text.RegularExpressions;

namespace Sparring.Testing.Internal.Diagnosis;

internal static partial class LogDiagnoser
{
    private static readonly string[] DependencySections = ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"];

    private static RunDiagnosis? Node(LogContext log)
    {
        var errors = log.ErrorLines(l => NodeError().IsMatch(l));
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
        var notInRegistry = log.Find(NpmNotInRegistry());
        return code switch
        {
            "E404" => log.Make(RunDiagnosisKinds.Dependencies, notInRegistry is { } missing ? $"'{missing.Match.Groups["package"].Value}' is not in the npm registry" : "a dependency is not in the npm registry", "fix its name or version in package.json (a private registry needs its .npmrc)", errors),
            "ETARGET" => log.Make(RunDiagnosisKinds.Dependencies, "no published version matches a dependency's range", "ask for a published version in package.json and refresh package-lock.json (npm install)", errors),
            "EUSAGE" when log.Find(NpmOutOfSync()) is not null => log.Make(RunDiagnosisKinds.Dependencies, "package.json and package-lock.json are out of sync, so 'npm ci' refuses to install", "run npm install in the repository and commit package-lock.json", errors),
            "ERESOLVE" => log.Make(RunDiagnosisKinds.Dependencies, "npm cannot resolve the peer dependencies", "commit an .npmrc with legacy-peer-deps=true and a package-lock.json made with it", errors),
            "EBADENGINE" => log.Make(RunDiagnosisKinds.Toolchain, "package.json's engines ask for another Node or npm version", "install the Node version the engines field names on this machine", errors),
            "ENOTCACHED" or "EAI_AGAIN" or "ENOTFOUND" or "ECONNREFUSED" or "ETIMEDOUT" or "ECONNRESET" or "ENETUNREACH" or "UNABLE_TO_GET_ISSUER_CERT_LOCALLY" or "SELF_SIGNED_CERT_IN_CHAIN" or "E403" =>
                log.Make(RunDiagnosisKinds.Unreachable, $"the npm registry could not be reached ({code})", "check the registry .npmrc names: only the public npm registry is reachable from this machine", errors),
            "ELIFECYCLE" or "1" or "2" or "127" => log.Make(RunDiagnosisKinds.Dependencies, "a package's install script failed", log.Lines.Any(l => l.Contains("gyp", StringComparison.Ordinal)) ? "native modules build with node-gyp, which needs apt-get install python3 make g++" : null, errors),
            _ => log.Make(RunDiagnosisKinds.Dependencies, $"npm failed ({code})", null, errors),
        };
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

    [GeneratedRegex(@"npm (?:ERR!|error) code (?<code>\S+)")]
    private static partial Regex NpmCode();

    [GeneratedRegex(@"'(?<package>[^']+)' is not in (?:the npm|this) registry")]
    private static partial Regex NpmNotInRegistry();

    [GeneratedRegex(@"can only install packages when your package\.json and package-lock\.json")]
    private static partial Regex NpmOutOfSync();

    [GeneratedRegex(@"node: bad option: (?<what>\S+)|No such built-in module: (?<what>\S+)")]
    private static partial Regex NodeBadOption();

    [GeneratedRegex(@"Cannot find (?:module|package) '(?<module>[^']+)'")]
    private static partial Regex NodeCannotFindModule();

    [GeneratedRegex(@"Cannot use import statement outside a module")]
    private static partial Regex ImportOutsideModule();
}
