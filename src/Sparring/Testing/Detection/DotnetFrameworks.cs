using System.Text.RegularExpressions;

namespace Sparring.Testing.Detection;

/// <summary>
/// The target frameworks a .NET repository's projects name, and the one framework this machine runs: a test host
/// built for another (net6.0, net48, several at once) cannot start here, so such repositories are built for the
/// installed one.
/// </summary>
internal static partial class DotnetFrameworks
{
    /// <summary>The framework moniker of the newest installed .NET runtime (<c>net10.0</c>).</summary>
    public static string Installed { get; } = $"net{InstalledMajor()}.0";

    /// <summary>Literal target frameworks in the tree's project and Directory.Build files, in order of first appearance.</summary>
    public static List<string> Declared(string tree)
    {
        var files = TreeScan.FindFiles(tree, n => n.EndsWith("proj", StringComparison.Ordinal) || n is "Directory.Build.props" or "Directory.Build.targets");
        return files
            .SelectMany(f => TargetFrameworks().Matches(TreeScan.Read(tree, f)).Select(m => m.Groups["value"].Value))
            .SelectMany(v => v.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Where(v => !v.Contains("$(", StringComparison.Ordinal))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    /// <summary>
    /// Frameworks that the installed runtime cannot run as they are: any but the installed one and .NET Standard
    /// (a library's contract, never a test host).
    /// </summary>
    public static List<string> Foreign(IEnumerable<string> declared) =>
        declared.Where(f => !f.Equals(Installed, StringComparison.OrdinalIgnoreCase) && !f.StartsWith("netstandard", StringComparison.OrdinalIgnoreCase)).ToList();

    private static int InstalledMajor()
    {
        // The runtimes beside the dotnet on PATH (what the sandbox runs, since it sees the host's /usr); else our own.
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var dotnet = new FileInfo(Path.Combine(dir, "dotnet"));
            if (!dotnet.Exists)
            {
                continue;
            }

            var real = dotnet.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? dotnet.FullName;
            var shared = Path.Combine(Path.GetDirectoryName(real) ?? "", "shared", "Microsoft.NETCore.App");
            if (!Directory.Exists(shared))
            {
                continue;
            }

            var majors = Directory.EnumerateDirectories(shared)
                .Select(d => Version.TryParse(Path.GetFileName(d).Split('-')[0], out var v) ? v.Major : 0)
                .Where(m => m > 0)
                .ToList();
            if (majors.Count > 0)
            {
                return majors.Max();
            }
        }

        return Environment.Version.Major;
    }

    [GeneratedRegex(@"<TargetFrameworks?\b[^>]*>(?<value>[^<]*)</TargetFrameworks?>", RegexOptions.IgnoreCase)]
    private static partial Regex TargetFrameworks();
}
