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
    public static string Installed => $"net{InstalledMajorVersion}.0";

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
    /// Literal target frameworks of one project: its own file and the Directory.Build files MSBuild imports into it
    /// (the nearest above it of each name), leaving out values set only on Windows.
    /// </summary>
    public static List<string> DeclaredFor(string tree, string project) =>
        WithDirectoryBuildFiles(tree, project)
            .SelectMany(f => TargetFrameworks().Matches(TreeScan.Read(tree, f)).Where(m => !WindowsOnly().IsMatch(m.Value)).Select(m => m.Groups["value"].Value))
            .SelectMany(v => v.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Where(v => !v.Contains("$(", StringComparison.Ordinal))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();

    /// <summary>The project file, then the nearest Directory.Build.props and Directory.Build.targets above it, tree-relative.</summary>
    public static List<string> WithDirectoryBuildFiles(string tree, string project)
    {
        var files = new List<string> { project };
        foreach (var name in (string[])["Directory.Build.props", "Directory.Build.targets"])
        {
            for (var dir = Path.GetDirectoryName(project); dir is not null; dir = dir.Length == 0 ? null : Path.GetDirectoryName(dir))
            {
                var candidate = Path.Combine(dir, name);
                if (TreeScan.Exists(tree, candidate))
                {
                    files.Add(candidate);
                    break;
                }
            }
        }

        return files;
    }

    /// <summary>
    /// Frameworks that the installed runtime cannot run as they are: any but the installed one and .NET Standard
    /// (a library's contract, never a test host).
    /// </summary>
    public static List<string> Foreign(IEnumerable<string> declared) =>
        declared.Where(f => !f.Equals(Installed, StringComparison.OrdinalIgnoreCase) && !f.StartsWith("netstandard", StringComparison.OrdinalIgnoreCase)).ToList();

    /// <summary>
    /// The framework a project that declares <paramref name="declared"/> is built for here: the newest it declares
    /// among .NET versions at most two majors older than the installed runtime (still supported, so the installed SDK's
    /// reference packs for them are published, and DOTNET_ROLL_FORWARD runs the result on the installed runtime);
    /// else the installed one. Building for what the project declares keeps its code compiling as it does in CI:
    /// an API new in the installed .NET can make an older call ambiguous.
    /// </summary>
    public static string BuildTarget(IEnumerable<string> declared) =>
        declared.Select(f => (Framework: f, Major: ModernMajor(f)))
            .Where(f => f.Major is { } major && major <= InstalledMajorVersion && major >= InstalledMajorVersion - 2)
            .OrderByDescending(f => f.Major)
            .Select(f => f.Framework.ToLowerInvariant())
            .FirstOrDefault() ?? Installed;

    /// <summary>N of <c>netN.0</c> (N ≥ 5), with no platform suffix; null for anything else.</summary>
    private static int? ModernMajor(string framework) =>
        ModernFramework().Match(framework) is { Success: true } m && int.TryParse(m.Groups["major"].Value, out var major) && major >= 5 ? major : null;

    private static int InstalledMajorVersion { get; } = InstalledMajor();

    /// <summary>Versions of the .NET SDKs installed beside the dotnet on PATH (what the sandbox runs, since it sees the host's /usr).</summary>
    public static IReadOnlyList<string> InstalledSdks { get; } = DotnetRoot() is { } root && Directory.Exists(Path.Combine(root, "sdk"))
        ? Directory.EnumerateDirectories(Path.Combine(root, "sdk")).Select(Path.GetFileName).OfType<string>().Where(n => char.IsAsciiDigit(n[0])).Order(StringComparer.Ordinal).ToList()
        : [];

    private static int InstalledMajor()
    {
        var shared = DotnetRoot() is { } root ? Path.Combine(root, "shared", "Microsoft.NETCore.App") : "";
        var majors = Directory.Exists(shared)
            ? Directory.EnumerateDirectories(shared)
                .Select(d => Version.TryParse(Path.GetFileName(d).Split('-')[0], out var v) ? v.Major : 0)
                .Where(m => m > 0)
                .ToList()
            : [];
        return majors.Count > 0 ? majors.Max() : Environment.Version.Major;
    }

    /// <summary>The folder of the first dotnet on PATH that has runtimes beside it.</summary>
    private static string? DotnetRoot()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var dotnet = new FileInfo(Path.Combine(dir, "dotnet"));
            if (!dotnet.Exists)
            {
                continue;
            }

            var real = dotnet.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? dotnet.FullName;
            var root = Path.GetDirectoryName(real) ?? "";
            if (Directory.Exists(Path.Combine(root, "shared", "Microsoft.NETCore.App")))
            {
                return root;
            }
        }

        return null;
    }

    [GeneratedRegex(@"^net(?<major>[0-9]+)\.0$", RegexOptions.IgnoreCase)]
    private static partial Regex ModernFramework();

    [GeneratedRegex(@"<TargetFrameworks?\b[^>]*>(?<value>[^<]*)</TargetFrameworks?>", RegexOptions.IgnoreCase)]
    private static partial Regex TargetFrameworks();

    /// <summary>An element whose condition holds only on Windows: <c>'$(OS)' == 'Windows_NT'</c> or <c>IsOSPlatform('Windows')</c>.</summary>
    [GeneratedRegex(@"Condition\s*=\s*""[^""]*(==\s*'Windows_NT'|'Windows_NT'\s*==|IsOSPlatform\(\s*'windows'\s*\))[^""]*""", RegexOptions.IgnoreCase)]
    private static partial Regex WindowsOnly();
}
