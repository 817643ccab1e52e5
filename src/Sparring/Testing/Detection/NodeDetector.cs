using System.Text.Json;
using Sparring.Testing.Internal;

namespace Sparring.Testing.Detection;

/// <summary>
/// JavaScript: jest, vitest, mocha, AVA, node-tap or tape when package.json declares them (run from the prepared node_modules),
/// otherwise node's built-in runner with Sparring's JSON-lines reporter. Arguments (test paths, options) come
/// from the command the <c>test</c> script ends up running, through <c>npm run</c> indirections and wrappers.
/// </summary>
internal sealed class NodeDetector : IRunnerDetector
{
    public TestPlan? TryDetect(string tree)
    {
        if (!TreeScan.Exists(tree, "package.json"))
        {
            return null;
        }

        JsonElement package;
        try
        {
            using var document = JsonDocument.Parse(TreeScan.Read(tree, "package.json"));
            package = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"package.json is not valid JSON: {ex.Message}", ex);
        }

        var dependencies = DependencyNames(package);
        var scripts = Scripts(package);
        var warnings = new List<string>();
        var setup = new List<string>();
        var retries = new List<SetupRetry>();
        var caches = new List<CacheMount> { new("npm", "/sparring/npm", CacheScope.SetupOnly) };
        if (dependencies.Count > 0)
        {
            if (TreeScan.Exists(tree, "package-lock.json") || TreeScan.Exists(tree, "npm-shrinkwrap.json"))
            {
                setup.Add(NpmCi);
            }
            else if (TreeScan.Exists(tree, "pnpm-lock.yaml"))
            {
                // The lock file is pnpm's: npm would resolve afresh, and pnpm's tree differs (it installs peers). The installed
                // pnpm is used whatever version packageManager pins (fetching that one needs its registry signature).
                setup.Add(PnpmInstall);
                caches.Add(new CacheMount("pnpm", PnpmStore, CacheScope.SetupOnly));
            }
            else
            {
                setup.Add(NpmInstall);
                warnings.Add("No package-lock.json: dependencies are resolved fresh with 'npm install', so they may differ from the developer's.");
            }

            // What a developer does when npm 7+ refuses a tree whose peer dependencies conflict.
            retries.AddRange(new[] { NpmCi, NpmInstall }.Select(c => new SetupRetry(
                c, "ERESOLVE", c + " --legacy-peer-deps", "npm could not resolve peer dependencies (ERESOLVE): retried once with --legacy-peer-deps")));
        }

        var recipe = new EnvironmentRecipe
        {
            SetupCommands = setup,
            SetupRetries = retries.Where(r => setup.Contains(r.Command)).ToList(),
            SharedDirectories = dependencies.Count > 0 ? ["node_modules"] : [],
            ScratchDirectories = dependencies.Count > 0 ? ["node_modules/.cache"] : [],
            Caches = caches,
            Environment = new Dictionary<string, string>
            {
                ["npm_config_cache"] = "/sparring/npm",
                ["npm_config_update_notifier"] = "false",
                ["NODE_OPTIONS"] = "--no-warnings",
            },
        };

        // The runner the test script runs, when it runs one; else the first declared.
        var named = Runners.FirstOrDefault(r => NpmScripts.FindInvocation(scripts, r.Invokes) is not null);
        var chosen = named ?? Runners.FirstOrDefault(r => r.Name != "node" && dependencies.Contains(r.Name)) ?? Runners[^1];
        var (runner, command, parser) = chosen.Name switch
        {
            "jest" => Jest(),
            "vitest" => Vitest(scripts),
            "mocha" => Mocha(scripts),
            "ava" => Ava(scripts),
            "tap" => NodeTap(scripts, DependencyVersion(package, "tap")),
            "tape" => Tape(scripts, warnings),
            _ => NodeTest(scripts),
        };

        if (runner == "vitest" && dependencies.Count > 0)
        {
            // vitest --typecheck has tsc write its build info beside vitest's own files, which are read-only in the
            // sandbox: a link made while they are writable sends it to /tmp.
            setup.Add(VitestBuildInfoLink);
        }

        // npm runs the pretest script before the test script: a build the tests import (babel, tsc) is part of every
        // run, so a change to the source reaches the tests. Linters and formatters are left out: they do not decide a test.
        if (PretestBuild(scripts) is { } build)
        {
            // As npm runs it (node_modules/.bin first), in a subshell so none of it reaches the tests; npm's cache is
            // only mounted for setup, and lifecycle scripts (prepare: git hook installers) need the repository's .git.
            // The tests run even when the build reports errors: tsc still emits on a type error, and the tests decide.
            command = $"(export PATH=\"$PWD/node_modules/.bin:$PATH\" npm_config_cache=/tmp/.npm npm_config_ignore_scripts=true; {build}); {command}";
            warnings.Add($"The pretest script builds before the tests run: '{build}' runs before every test run.");
        }

        return new TestPlan
        {
            Runner = runner,
            Reason = named is not null ? $"the test script runs {runner}"
                : runner == "node" ? "package.json without jest, vitest, mocha, ava, tap or tape" : $"package.json declares {runner}",
            Command = new TestCommand { Command = command, Parser = parser },
            Recipe = recipe,
            Warnings = warnings,
        };
    }

    /// <summary>The runners in the order they are preferred when package.json declares several and the test script names none.</summary>
    private static readonly RunnerName[] Runners =
    [
        new("jest", (w, i) => NpmScripts.Names(w[i], "jest") ? 1 : 0),
        new("vitest", (w, i) => NpmScripts.Names(w[i], "vitest") ? 1 : 0),
        new("mocha", (w, i) => NpmScripts.Names(w[i], "mocha") || NpmScripts.Names(w[i], "_mocha") ? 1 : 0),
        new("ava", (w, i) => NpmScripts.Names(w[i], "ava") ? 1 : 0),
        new("tap", (w, i) => NpmScripts.Names(w[i], "tap") ? 1 : 0),
        new("tape", (w, i) => NpmScripts.Names(w[i], "tape") ? 1 : 0),
        new("node", NodeTestAt),
    ];

    private sealed record RunnerName(string Name, Func<IReadOnlyList<string>, int, int> Invokes);

    private const string VitestBuildInfoLink =
        "d=\"$(readlink -f node_modules/vitest)/dist\"; if [ -d \"$d\" ]; then ln -sfn /tmp/sparring-vitest.tsbuildinfo \"$d/tsconfig.tmp.tsbuildinfo\"; fi";

    private static readonly string[] LintPrograms = ["eslint", "prettier", "biome", "standard", "xo", "tslint", "stylelint", "markdownlint", "lint-staged", "dtslint", "tsd", "publint", "attw"];

    /// <summary>The commands of the pretest script that are not linting or formatting, joined by <c>&amp;&amp;</c>; null when none is left.</summary>
    internal static string? PretestBuild(IReadOnlyDictionary<string, string> scripts)
    {
        if (!scripts.TryGetValue("pretest", out var pretest))
        {
            return null;
        }

        var kept = NpmScripts.Commands(pretest)
            .Where(words => !words.Any(w => LintPrograms.Any(p => NpmScripts.Names(w, p)))
                && !words.Any(w => NpmScripts.Unquote(w) is var name && scripts.ContainsKey(name) && IsLintScript(name))
                && !words.Select(NpmScripts.Unquote).Any(w => w is "install" or "ci" or "i" or "audit"))
            .Select(words => string.Join(' ', words))
            .ToList();
        return kept.Count == 0 ? null : string.Join(" && ", kept);
    }

    private static bool IsLintScript(string name) =>
        name.Contains("lint", StringComparison.OrdinalIgnoreCase) || name.Contains("format", StringComparison.OrdinalIgnoreCase)
        || name.Contains("prettier", StringComparison.OrdinalIgnoreCase) || name.StartsWith("check", StringComparison.OrdinalIgnoreCase);

    private const string NpmCi = "npm ci --no-audit --no-fund";
    private const string NpmInstall = "npm install --no-audit --no-fund";
    private const string PnpmStore = "/sparring/pnpm";
    private const string PnpmInstall = $"pnpm install --frozen-lockfile --store-dir {PnpmStore} --config.manage-package-manager-versions=false";

    private static (string, string, string) Jest() =>
        ("jest", $"node_modules/.bin/jest --ci --colors=false --json --outputFile={TestRunnerDetector.ResultsPath}/jest.json", "jest-json");

    private static (string, string, string) Mocha(IReadOnlyDictionary<string, string> scripts)
    {
        var args = NpmScripts.FindInvocation(scripts, (words, i) => NpmScripts.Names(words[i], "mocha") || NpmScripts.Names(words[i], "_mocha") ? 1 : 0) ?? [];
        // Sparring's reporter names each test's file: mocha's TAP reporter does not, so equal titles in two files merged.
        return ("mocha", Join("node_modules/.bin/mocha", Without(args, ["--reporter", "-R", "--reporter-option", "--reporter-options", "-O"]), "--reporter " + MochaReporter.SandboxPath), "node-jsonl");
    }

    /// <summary>vitest's JSON report is jest's format; coverage is off (a threshold would fail a suite whose tests pass).</summary>
    private static (string, string, string) Vitest(IReadOnlyDictionary<string, string> scripts)
    {
        var args = NpmScripts.FindInvocation(scripts, (words, i) => NpmScripts.Names(words[i], "vitest") ? 1 : 0) ?? [];
        var kept = WithoutFlags(args.SkipWhile(a => a is "run" or "watch" or "dev"), ["--watch", "-w", "--coverage", "--ui", "--silent"]);
        return ("vitest", Join(
            "node_modules/.bin/vitest run",
            Without(kept, ["--reporter", "--outputFile"]),
            $"--reporter=default --reporter=json --outputFile={TestRunnerDetector.ResultsPath}/vitest.json --coverage.enabled=false"), "jest-json");
    }

    private static (string, string, string) Ava(IReadOnlyDictionary<string, string> scripts)
    {
        var args = NpmScripts.FindInvocation(scripts, (words, i) => NpmScripts.Names(words[i], "ava") ? 1 : 0) ?? [];
        return ("ava", Join("node_modules/.bin/ava", string.Join(' ', WithoutFlags(args, ["--tap", "-t", "--verbose", "-v", "--watch", "-w"])), "--tap"), "tap");
    }

    /// <summary>node-tap with its raw TAP reporter and no coverage (<c>--disable-coverage</c> since tap 18, <c>--no-coverage</c> before).</summary>
    private static (string, string, string) NodeTap(IReadOnlyDictionary<string, string> scripts, int? major)
    {
        var args = NpmScripts.FindInvocation(scripts, (words, i) => NpmScripts.Names(words[i], "tap") ? 1 : 0) ?? [];
        var kept = WithoutFlags(args, ["--disable-coverage", "--no-coverage", "--no-cov", "--coverage", "--cov", "--check-coverage", "--100", "--watch", "-w"]);
        var coverage = major is < 18 ? "--no-coverage" : "--disable-coverage";
        return ("tap", Join("node_modules/.bin/tap", Without(kept, ["--reporter", "-R", "--coverage-report"]), "--reporter=tap", coverage), "tap");
    }

    private static (string, string, string) Tape(IReadOnlyDictionary<string, string> scripts, List<string> warnings)
    {
        var args = NpmScripts.FindInvocation(scripts, (words, i) => NpmScripts.Names(words[i], "tape") ? 1 : 0);
        if (args is null || !args.Any(a => !a.StartsWith('-')))
        {
            warnings.Add("No script runs tape with test files; running 'test/**/*.js'.");
            args = [.. args ?? [], "'test/**/*.js'"];
        }

        return ("tape", Join("node_modules/.bin/tape", string.Join(' ', args)), "tape");
    }

    private static (string, string, string) NodeTest(IReadOnlyDictionary<string, string> scripts)
    {
        var args = NpmScripts.FindInvocation(scripts, NodeTestAt) ?? [];
        var command = Join(
            "node --test --test-reporter=spec --test-reporter-destination=stdout",
            $"--test-reporter={NodeReporter.SandboxPath} --test-reporter-destination={TestRunnerDetector.ResultsPath}/{NodeReporter.ReportFile}",
            Without(args.Where(a => a != "--test"), ["--test-reporter", "--test-reporter-destination"]));
        return ("node", command, "node-jsonl");
    }

    /// <summary><c>node</c> followed (among its options) by <c>--test</c>: the program is just <c>node</c>; <c>--test</c> is dropped from the arguments.</summary>
    private static int NodeTestAt(IReadOnlyList<string> words, int i)
    {
        if (!NpmScripts.Names(words[i], "node"))
        {
            return 0;
        }

        for (var j = i + 1; j < words.Count && words[j].StartsWith('-'); j++)
        {
            if (words[j] == "--test")
            {
                return 1;
            }
        }

        return 0;
    }

    private static string Join(params string[] parts) => string.Join(' ', parts.Where(p => p.Length > 0));

    /// <summary>The arguments minus switches that take no value (<c>--watch</c>, <c>--coverage</c>, <c>--coverage.enabled=true</c>).</summary>
    private static List<string> WithoutFlags(IEnumerable<string> args, string[] flags) =>
        args.Where(a => !flags.Any(f => a == f || a.StartsWith(f + "=", StringComparison.Ordinal) || a.StartsWith(f + ".", StringComparison.Ordinal))).ToList();

    /// <summary>The major version of a declared dependency's range (<c>^16.3.0</c> → 16), or null.</summary>
    private static int? DependencyVersion(JsonElement package, string name)
    {
        foreach (var section in new[] { "devDependencies", "dependencies", "optionalDependencies" })
        {
            if (package.TryGetProperty(section, out var deps) && deps.ValueKind == JsonValueKind.Object
                && deps.TryGetProperty(name, out var range) && range.ValueKind == JsonValueKind.String)
            {
                var digits = new string((range.GetString() ?? "").SkipWhile(c => !char.IsAsciiDigit(c)).TakeWhile(char.IsAsciiDigit).ToArray());
                return int.TryParse(digits, System.Globalization.CultureInfo.InvariantCulture, out var major) ? major : null;
            }
        }

        return null;
    }

    /// <summary>The arguments minus the options we set ourselves (<c>--opt=value</c>, <c>--opt value</c>).</summary>
    private static string Without(IEnumerable<string> args, string[] options)
    {
        var words = args.ToList();
        var kept = new List<string>();
        for (var i = 0; i < words.Count; i++)
        {
            var option = options.FirstOrDefault(o => words[i] == o || words[i].StartsWith(o + "=", StringComparison.Ordinal));
            if (option is null)
            {
                kept.Add(words[i]);
                continue;
            }

            if (words[i] == option && i + 1 < words.Count && !words[i + 1].StartsWith('-'))
            {
                i++;
            }
        }

        return string.Join(' ', kept);
    }

    private static Dictionary<string, string> Scripts(JsonElement package)
    {
        var scripts = new Dictionary<string, string>(StringComparer.Ordinal);
        if (package.TryGetProperty("scripts", out var section) && section.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in section.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String))
            {
                scripts[property.Name] = property.Value.GetString() ?? "";
            }
        }

        return scripts;
    }

    private static HashSet<string> DependencyNames(JsonElement package)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var section in new[] { "dependencies", "devDependencies", "optionalDependencies" })
        {
            if (package.TryGetProperty(section, out var deps) && deps.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in deps.EnumerateObject())
                {
                    names.Add(property.Name);
                }
            }
        }

        return names;
    }
}
