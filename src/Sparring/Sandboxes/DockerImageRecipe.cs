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

    /// <summary>The Debian suite, e.g. <c>bookworm</c>.</summary>
    public required string Suite { get; init; }

    /// <summary>The Debian mirror debootstrap fetches from.</summary>
    public required string Mirror { get; init; }

    /// <summary>Packages added to the minimal root.</summary>
    public required IReadOnlyList<string> Packages { get; init; }

    /// <summary><c>sparring-base:SUITE-HASH</c>.</summary>
    public string Reference
    {
        get
        {
            var text = string.Join('\n', [Suite, Mirror, .. Packages.Order(StringComparer.Ordinal)]);
            return $"{Repository}:{Suite}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12]}";
        }
    }

    /// <summary>
    /// The host's own suite and mirror (so the image's Python and Go are the host's versions, and environments prepared
    /// on either side agree), with <paramref name="packages"/> (default <see cref="DefaultPackages"/>).
    /// </summary>
    public static DockerImageRecipe ForThisMachine(IReadOnlyList<string>? packages = null) => new()
    {
        Suite = HostSuite() ?? "bookworm",
        Mirror = HostMirror() ?? "http://deb.debian.org/debian",
        Packages = packages ?? DefaultPackages,
    };

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
