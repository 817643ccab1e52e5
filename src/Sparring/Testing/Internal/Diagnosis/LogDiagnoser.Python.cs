using System.Text.RegularExpressions;

namespace Sparring.Testing.Internal.Diagnosis;

internal static partial class LogDiagnoser
{
    /// <summary>pytest options a plug-in adds, and the plug-in's Debian package.</summary>
    private static readonly (string Option, string Package)[] PytestPluginOptions =
    [
        ("--cov", "python3-pytest-cov"),
        ("--no-cov", "python3-pytest-cov"),
        ("-n", "python3-pytest-xdist"),
        ("--numprocesses", "python3-pytest-xdist"),
        ("--dist", "python3-pytest-xdist"),
        ("--timeout", "python3-pytest-timeout"),
        ("--asyncio-mode", "python3-pytest-asyncio"),
        ("--benchmark", "python3-pytest-benchmark"),
        ("--reruns", "python3-pytest-rerunfailures"),
        ("--mypy", "python3-pytest-mypy"),
        ("--flake8", "python3-pytest-flake8"),
        ("--html", "python3-pytest-html"),
        ("--hypothesis", "python3-hypothesis"),
        ("--randomly", "python3-pytest-randomly"),
        ("--django", "python3-pytest-django"),
        ("--ds", "python3-pytest-django"),
    ];

    private static readonly char[] PluginSeparators = [',', ' '];

    /// <summary>Folders a Python project keeps its own packages in, the root first.</summary>
    private static readonly string[] PythonRoots = [".", "src", "lib", "python"];

    /// <summary>Folders pytest is pointed at when it collected nothing.</summary>
    private static readonly string[] TestDirectories = ["tests", "test", "testing"];

    /// <summary>pytest fixtures a plug-in provides, and the plug-in's Debian package.</summary>
    private static readonly Dictionary<string, string> PytestPluginFixtures = new(StringComparer.Ordinal)
    {
        ["mocker"] = "python3-pytest-mock",
        ["benchmark"] = "python3-pytest-benchmark",
        ["event_loop"] = "python3-pytest-asyncio",
        ["httpserver"] = "python3-pytest-httpserver",
        ["aiohttp_client"] = "python3-pytest-aiohttp",
        ["freezer"] = "python3-pytest-freezegun",
        ["requests_mock"] = "python3-requests-mock",
        ["snapshot"] = "python3-syrupy",
    };

    /// <summary>Import names whose Debian package is not python3-&lt;name&gt;.</summary>
    private static readonly Dictionary<string, string> DebianPythonPackages = new(StringComparer.Ordinal)
    {
        ["cv2"] = "python3-opencv",
        ["sklearn"] = "python3-sklearn",
        ["skimage"] = "python3-skimage",
        ["OpenSSL"] = "python3-openssl",
        ["magic"] = "python3-magic",
        ["serial"] = "python3-serial",
        ["jwt"] = "python3-jwt",
        ["_pytest"] = "python3-pytest",
        ["pkg_resources"] = "python3-pkg-resources",
    };

    private static RunDiagnosis? Python(LogContext log)
    {
        var errors = log.ErrorLines(l => PythonError().IsMatch(l));
        if (log.Find(NoModuleNamed()) is { } missing)
        {
            return MissingPythonModule(log, missing.Match.Groups["module"].Value, errors);
        }

        if (log.Find(CannotImportName()) is { } name)
        {
            var module = name.Match.Groups["module"].Value;
            var top = module.Split('.')[0];
            var local = LocalPythonRoot(log, top) is not null;
            return log.Make(
                RunDiagnosisKinds.ImportError,
                $"'{module}' has no '{name.Match.Groups["name"].Value}'{(local ? "" : ": the installed version differs from the one the code was written for")}",
                local ? null : $"compare the installed {DebianPythonPackage(top)} (apt-cache policy {DebianPythonPackage(top)}) with the version the repository asks for",
                errors);
        }

        if (log.Find(UnrecognizedArguments()) is { } arguments)
        {
            var given = arguments.Match.Groups["arguments"].Value;
            var plugin = PytestPluginOptions.FirstOrDefault(p => given.Split(' ').Any(a => a == p.Option || a.StartsWith(p.Option + "=", StringComparison.Ordinal) || (p.Option.StartsWith("--", StringComparison.Ordinal) && a.StartsWith(p.Option + "-", StringComparison.Ordinal))));
            return log.Make(
                RunDiagnosisKinds.MissingPlugin,
                $"pytest does not know {given}: the configuration (addopts) needs a plug-in that is not installed",
                plugin.Package is { } package ? $"apt-get install {package}" : "install the pytest plug-in that adds the option (apt-cache search python3-pytest-), or drop the option from addopts",
                errors);
        }

        if (log.Find(MissingRequiredPlugins()) is { } required)
        {
            var names = required.Match.Groups["plugins"].Value;
            var first = names.Split(PluginSeparators, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? names;
            return log.Make(RunDiagnosisKinds.MissingPlugin, $"the pytest configuration requires the plug-in(s) {names}", $"apt-get install python3-{DebianName(first)}", errors);
        }

        if (log.Find(FixtureNotFound()) is { } fixture && PytestPluginFixtures.TryGetValue(fixture.Match.Groups["fixture"].Value, out var fixturePackage))
        {
            return log.Make(RunDiagnosisKinds.MissingPlugin, $"the tests use the fixture '{fixture.Match.Groups["fixture"].Value}', which a pytest plug-in that is not installed provides", $"apt-get install {fixturePackage}", errors);
        }

        if (log.Find(AsyncNotSupported()) is not null)
        {
            return log.Make(RunDiagnosisKinds.MissingPlugin, "the tests are async and no pytest plug-in runs them", "apt-get install python3-pytest-asyncio", errors);
        }

        if (log.Find(CollectingError()) is { } collecting)
        {
            var count = log.Lines.Count(l => CollectingError().IsMatch(l));
            var first = log.Lines.FirstOrDefault(l => l.StartsWith("E   ", StringComparison.Ordinal))?[4..].Trim();
            return log.Make(
                RunDiagnosisKinds.ImportError,
                $"pytest could not import {count} test module(s), starting with {collecting.Match.Groups["file"].Value}{(first is null ? "" : ": " + first)}",
                null,
                errors);
        }

        if (log.Find(NoTestsRan()) is not null && log.Input.Counts.Total == 0)
        {
            var directory = TestDirectories.FirstOrDefault(log.TreeHas);
            return log.Make(
                RunDiagnosisKinds.NoTests,
                "pytest collected no tests (its configuration's testpaths or python_files may point elsewhere)",
                $"name the tests: {log.TestCommandWith(suffix: " " + (directory ?? "<test paths>"))}",
                errors);
        }

        return null;
    }

    private static RunDiagnosis MissingPythonModule(LogContext log, string module, List<string> errors)
    {
        var top = module.Split('.')[0];
        if (top is "pytest" or "_pytest")
        {
            return log.Make(RunDiagnosisKinds.Toolchain, "pytest is not installed for /usr/bin/python3", "apt-get install python3-pytest", errors);
        }

        if (LocalPythonRoot(log, top) is { } root)
        {
            return log.Make(
                RunDiagnosisKinds.ImportPath,
                $"the tests import '{module}', the repository's own ({(root == "." ? top : root + "/" + top)}), but it is not on the import path (not installed: Sparring does not pip-install)",
                $"put it on the path: {log.TestCommandWith(prefix: $"PYTHONPATH={root} ")}",
                errors);
        }

        return log.Make(
            RunDiagnosisKinds.MissingModule,
            $"the Python module '{module}' is not installed",
            $"apt-get install {DebianPythonPackage(top)} (tests run with the system Python, /usr/bin/python3; Sparring does not pip-install)",
            errors);
    }

    /// <summary>The folder (relative to the tree) holding the repository's own top-level module or package, or null.</summary>
    private static string? LocalPythonRoot(LogContext log, string top)
    {
        foreach (var root in PythonRoots)
        {
            var prefix = root == "." ? "" : root + "/";
            if (log.TreeHas(prefix + top + "/__init__.py") || log.TreeHas(prefix + top + ".py") || (root != "." && log.TreeHas(prefix + top)))
            {
                return root;
            }
        }

        return null;
    }

    private static string DebianPythonPackage(string top) =>
        DebianPythonPackages.TryGetValue(top, out var package) ? package : "python3-" + DebianName(top);

    private static string DebianName(string name) => name.ToLowerInvariant().Replace('_', '-');

    [GeneratedRegex(@"^E\s{3}|ERROR collecting|^\s*(?:\w+\.)*\w*(?:Error|Exception|Warning): |^ERROR[: ]|error: |Interrupted: |while importing test module|fixture '\w+' not found")]
    private static partial Regex PythonError();

    [GeneratedRegex(@"No module named '(?<module>[\w.]+)'")]
    private static partial Regex NoModuleNamed();

    [GeneratedRegex(@"ImportError: cannot import name '(?<name>\w+)' from '(?<module>[\w.]+)'")]
    private static partial Regex CannotImportName();

    [GeneratedRegex(@"error: unrecognized arguments: (?<arguments>.+)$")]
    private static partial Regex UnrecognizedArguments();

    [GeneratedRegex(@"Missing required plugins: (?<plugins>.+)$")]
    private static partial Regex MissingRequiredPlugins();

    [GeneratedRegex(@"fixture '(?<fixture>\w+)' not found")]
    private static partial Regex FixtureNotFound();

    [GeneratedRegex(@"async def functions are not natively supported")]
    private static partial Regex AsyncNotSupported();

    [GeneratedRegex(@"ERROR collecting (?<file>\S+)")]
    private static partial Regex CollectingError();

    [GeneratedRegex(@"^=+ no tests ran|collected 0 items")]
    private static partial Regex NoTestsRan();
}
