using System.Buffers;
using System.Collections.Concurrent;
using Sparring.Internal;

namespace Sparring.Testing;

/// <summary>Which host programs a plan needs (the sandbox sees the host's /usr), and which are missing.</summary>
public static class Toolchains
{
    /// <summary>Checks that passed in this process: a program found stays found, so no check runs twice (a missing one is asked again, e.g. after installing).</summary>
    private static readonly ConcurrentDictionary<string, bool> Found = new(StringComparer.Ordinal);

    private static readonly SearchValues<char> ShellSyntax = SearchValues.Create("$`\\'\"*?[~;|&<>");

    /// <summary>Needed for every run: the sandbox and git.</summary>
    public static IReadOnlyList<ToolRequirement> Base { get; } =
    [
        new("bwrap", "command -v bwrap", "bubblewrap"),
        new("git", "command -v git", "git"),
    ];

    public static IReadOnlyList<ToolRequirement> For(TestPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var needs = new List<ToolRequirement>(Base);
        var text = plan.Command.Command + "\n" + string.Join('\n', plan.Recipe.SetupCommands);
        if (text.Contains("pytest", StringComparison.Ordinal))
        {
            needs.Add(new("pytest for /usr/bin/python3", "/usr/bin/python3 -c 'import pytest'", "python3-pytest") { FoundIfAnyExists = PytestPackageFiles() });
        }
        else if (text.Contains("python3", StringComparison.Ordinal))
        {
            needs.Add(new("/usr/bin/python3", "test -x /usr/bin/python3", "python3"));
        }

        if (text.Contains("go test", StringComparison.Ordinal) || text.Contains("go mod", StringComparison.Ordinal))
        {
            needs.Add(new("go", "test -x /usr/bin/go", "golang-go"));
        }

        if (text.Contains("node", StringComparison.Ordinal))
        {
            needs.Add(new("node", "test -x /usr/bin/node", "nodejs"));
        }

        if (text.Contains("npm ", StringComparison.Ordinal))
        {
            needs.Add(new("npm", "command -v npm", "npm"));
        }

        if (text.Contains("pnpm ", StringComparison.Ordinal))
        {
            // Not packaged by Debian; npm installs it from the registry setup uses anyway.
            needs.Add(new("pnpm", "command -v pnpm", null, "pnpm@10"));
            needs.Add(new("npm", "command -v npm", "npm"));
        }

        if (text.Contains("dotnet ", StringComparison.Ordinal))
        {
            needs.Add(new("dotnet", "command -v dotnet", null));
        }

        return needs;
    }

    /// <summary>The requirements whose check fails on this host. The checks run at once.</summary>
    public static async Task<IReadOnlyList<ToolRequirement>> MissingAsync(IEnumerable<ToolRequirement> requirements, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requirements);
        var list = requirements.ToList();
        var passes = await Task.WhenAll(list.Select(r => PassesAsync(r, cancellationToken))).ConfigureAwait(false);
        return list.Where((_, i) => !passes[i]).ToList();
    }

    /// <summary>
    /// A program found without a shell is found: <c>command -v NAME</c> and <c>test -x PATH</c> are looked up here (each
    /// check used to start bash, and a probe makes several). Only the shell's answer makes a program missing.
    /// </summary>
    private static async Task<bool> PassesAsync(ToolRequirement requirement, CancellationToken cancellationToken)
    {
        if (requirement.FoundIfAnyExists.Any(File.Exists))
        {
            return true;
        }

        if (Found.ContainsKey(requirement.CheckCommand) || FoundWithoutShell(requirement.CheckCommand))
        {
            Found.TryAdd(requirement.CheckCommand, true);
            return true;
        }

        var outcome = await ProcessRunner.RunAsync(
            new ProcessSpec { FileName = "/bin/bash", Arguments = ["-c", requirement.CheckCommand + " >/dev/null 2>&1"], Timeout = TimeSpan.FromSeconds(30) },
            TimeProvider.System, null, cancellationToken).ConfigureAwait(false);
        if (outcome.ExitCode != 0)
        {
            return false;
        }

        Found.TryAdd(requirement.CheckCommand, true);
        return true;
    }

    private static bool FoundWithoutShell(string check)
    {
        var words = check.Split(' ');
        if (words.Length != 3 || words[2].Length == 0 || words[2].AsSpan().IndexOfAny(ShellSyntax) >= 0)
        {
            return false;
        }

        return (words[0], words[1]) switch
        {
            ("test", "-x") => words[2].StartsWith('/') && IsExecutableFile(words[2]),
            ("command", "-v") => !words[2].Contains('/', StringComparison.Ordinal)
                && (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => d.Length > 0 && IsExecutableFile(Path.Combine(d, words[2]))),
            _ => false,
        };
    }

    private static bool IsExecutableFile(string path) =>
        File.Exists(path) && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;

    /// <summary>Where Debian's python3-pytest, or a pip install for the system Python, puts pytest's package.</summary>
    private static List<string> PytestPackageFiles()
    {
        var files = new List<string> { "/usr/lib/python3/dist-packages/pytest/__init__.py" };
        if (Directory.Exists("/usr/local/lib"))
        {
            files.AddRange(Directory.EnumerateDirectories("/usr/local/lib", "python3*").Select(d => Path.Combine(d, "dist-packages", "pytest", "__init__.py")));
        }

        return files;
    }

    /// <summary>Installs the Debian packages of <paramref name="missing"/> with apt-get, then its npm packages (root only); returns the output on failure.</summary>
    public static async Task<string?> InstallAsync(IReadOnlyList<ToolRequirement> missing, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(missing);
        var packages = missing.Select(m => m.DebianPackage).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var npmPackages = missing.Where(m => m.DebianPackage is null).Select(m => m.NpmPackage).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (packages.Count == 0 && npmPackages.Count == 0)
        {
            return null;
        }

        var steps = new List<string>();
        if (packages.Count > 0)
        {
            steps.Add("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq " + string.Join(' ', packages));
        }

        if (npmPackages.Count > 0)
        {
            steps.Add("npm install -g --no-audit --no-fund " + string.Join(' ', npmPackages));
        }

        var line = string.Join(" && ", steps);
        var outcome = await ProcessRunner.RunAsync(
            new ProcessSpec { FileName = "/bin/bash", Arguments = ["-c", line + " 2>&1"], Timeout = TimeSpan.FromMinutes(15) },
            TimeProvider.System, null, cancellationToken).ConfigureAwait(false);
        return outcome.ExitCode == 0 ? null : outcome.Stdout;
    }

    /// <summary>The command a user should run to install what is missing.</summary>
    public static string InstallCommand(IEnumerable<ToolRequirement> missing)
    {
        var list = missing.ToList();
        var apt = list.Select(m => m.DebianPackage).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var npm = list.Where(m => m.DebianPackage is null).Select(m => m.NpmPackage).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var commands = new List<string>();
        if (apt.Count > 0)
        {
            commands.Add("sudo apt-get install -y " + string.Join(' ', apt));
        }

        if (npm.Count > 0)
        {
            commands.Add("sudo npm install -g " + string.Join(' ', npm));
        }

        return string.Join(" && ", commands);
    }
}
