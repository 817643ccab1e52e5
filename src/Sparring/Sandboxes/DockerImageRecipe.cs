using System.Security.Cryptography;
using System.Text;

namespace Sparring.Sandboxes;

/// <summary>
/// What a Sparring base image holds: a Debian root made by <c>debootstrap</c> (minbase) of one suite from one mirror,
/// with the packages named. Its tag is a hash of all three, so an image is reused exactly when it would be rebuilt the same.
/// </summary>
public sealed record DockerImageRecipe
{
    /// <summary>The repository name of every base image.</summary>
    public const string Repository = "sparring-base";

    /// <summary>Python with pytest and venv, Go, git and certificates: what the Python and Go runners need.</summary>
    public static IReadOnlyList<string> DefaultPackages { get; } = ["ca-certificates", "git", "golang-go", "procps", "python3", "python3-pytest", "python3-venv"];

    /// <summary>The commands global Node packages link into <c>/usr/bin</c>.</summary>
    private static readonly string[] NodeCommands = ["npm", "npx", "pnpm", "corepack", "yarn"];

    /// <summary>The Debian suite, e.g. <c>bookworm</c>.</summary>
    public required string Suite { get; init; }

    /// <summary>The Debian mirror debootstrap fetches from.</summary>
    public required string Mirror { get; init; }

    /// <summary>Packages added to the minimal root.</summary>
    public required IReadOnlyList<string> Packages { get; init; }

    /// <summary>
    /// Host files and folders copied into the image at the same paths (symbolic links as links): toolchains that are not
    /// Debian's here (Node and its global packages, the .NET SDK), so that the image runs what environments were
    /// prepared with.
    /// </summary>
    public IReadOnlyList<string> HostPaths { get; init; } = [];

    /// <summary><c>sparring-base:SUITE-HASH</c>; the hash covers the suite, the mirror, the packages and what the host paths hold.</summary>
    public string Reference
    {
        get
        {
            var text = string.Join('\n', [Suite, Mirror, .. Packages.Order(StringComparer.Ordinal), .. HostPaths.Order(StringComparer.Ordinal).Select(Describe)]);
            return $"{Repository}:{Suite}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12]}";
        }
    }

    /// <summary>
    /// The host's own suite and mirror (so the image's Python and Go are the host's versions, and environments prepared
    /// on either side agree), with <paramref name="packages"/> (default <see cref="DefaultPackages"/>).
    /// </summary>
    /// <param name="packages">The Debian packages (default <see cref="DefaultPackages"/>).</param>
    /// <param name="hostToolchains">
    /// Copy the host's Node (with its global packages) and .NET SDK into the image, with the ICU and OpenSSL libraries .NET
    /// loads, when the host has them.
    /// </param>
    public static DockerImageRecipe ForThisMachine(IReadOnlyList<string>? packages = null, bool hostToolchains = true)
    {
        var hostPaths = hostToolchains ? HostToolchainPaths() : [];
        var libraries = hostPaths.Any(p => p.EndsWith("/dotnet", StringComparison.Ordinal)) ? InstalledPackages(["libicu", "libssl"]) : [];
        return new DockerImageRecipe
        {
            Suite = HostSuite() ?? "bookworm",
            Mirror = HostMirror() ?? "http://deb.debian.org/debian",
            Packages = [.. (packages ?? DefaultPackages).Concat(libraries).Distinct(StringComparer.Ordinal)],
            HostPaths = hostPaths,
        };
    }

    /// <summary>Node (the binary, its global packages and their links) and the .NET SDK's folder with its link, where the host has them.</summary>
    private static List<string> HostToolchainPaths()
    {
        var paths = new List<string>();
        if (File.Exists("/usr/bin/node"))
        {
            paths.Add("/usr/bin/node");
            if (Directory.Exists("/usr/lib/node_modules"))
            {
                paths.Add("/usr/lib/node_modules");
                paths.AddRange(NodeCommands
                    .Select(n => "/usr/bin/" + n)
                    .Where(p => new FileInfo(p).LinkTarget is { } target && target.Contains("node_modules", StringComparison.Ordinal)));
            }
        }

        var dotnet = Environment.GetEnvironmentVariable("PATH")?.Split(':').Select(d => Path.Combine(d, "dotnet")).FirstOrDefault(File.Exists);
        if (dotnet is not null && new FileInfo(dotnet).ResolveLinkTarget(returnFinalTarget: true)?.FullName is { } real
            && Path.GetDirectoryName(real) is { } root && root.StartsWith("/usr/", StringComparison.Ordinal) && Directory.Exists(Path.Combine(root, "sdk")))
        {
            paths.Add(root);
            if (dotnet != real && dotnet.StartsWith("/usr/", StringComparison.Ordinal))
            {
                paths.Add(dotnet);
            }
        }

        return paths;
    }

    /// <summary>Installed Debian packages whose names are a prefix followed by a version (libicu72, libssl3), via dpkg's status file.</summary>
    private static List<string> InstalledPackages(IReadOnlyList<string> prefixes)
    {
        var installed = new List<string>();
        string? package = null;
        foreach (var line in ReadLines("/var/lib/dpkg/status"))
        {
            if (line.StartsWith("Package: ", StringComparison.Ordinal))
            {
                package = line["Package: ".Length..].Trim();
            }
            else if (line.StartsWith("Status: ", StringComparison.Ordinal) && line.EndsWith(" installed", StringComparison.Ordinal) && package is not null
                && prefixes.Any(p => package.StartsWith(p, StringComparison.Ordinal) && package.Length > p.Length && char.IsAsciiDigit(package[p.Length]) && !package.Contains('-', StringComparison.Ordinal)))
            {
                installed.Add(package);
            }
        }

        return installed;
    }

    /// <summary>What a host path holds, for the hash: a link's target, a file's size, a folder's names two levels down (not times: a reinstall of the same version keeps the image).</summary>
    private static string Describe(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is { } target)
        {
            return path + " -> " + target;
        }

        if (info.Exists)
        {
            return path + " " + info.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (!Directory.Exists(path))
        {
            return path + " missing";
        }

        var names = Directory.EnumerateFileSystemEntries(path)
            .SelectMany(e => Directory.Exists(e) && new FileInfo(e).LinkTarget is null ? Directory.EnumerateFileSystemEntries(e).Prepend(e) : [e])
            .Select(e => Path.GetRelativePath(path, e))
            .Order(StringComparer.Ordinal);
        return path + " [" + string.Join(",", names) + "]";
    }

    private static string? HostSuite() =>
        ReadLines("/etc/os-release").Select(l => l.Split('=', 2)).FirstOrDefault(p => p is ["VERSION_CODENAME", { Length: > 0 }])?[1].Trim('"');

    private static string? HostMirror()
    {
        var fromSources = ReadLines("/etc/apt/sources.list.d/debian.sources")
            .Where(l => l.StartsWith("URIs:", StringComparison.Ordinal))
            .SelectMany(l => l["URIs:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .FirstOrDefault(u => u.StartsWith("http", StringComparison.Ordinal) && !u.Contains("security", StringComparison.Ordinal));
        return fromSources ?? ReadLines("/etc/apt/sources.list")
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .FirstOrDefault(p => p is ["deb", var url, ..] && url.StartsWith("http", StringComparison.Ordinal) && !url.Contains("security", StringComparison.Ordinal))?[1];
    }

    private static IEnumerable<string> ReadLines(string path) => File.Exists(path) ? File.ReadLines(path) : [];
}
