using System.Text.Json;

namespace Sparring.Testing.Detection;

/// <summary>
/// The SDK a repository's global.json asks for, judged against the installed SDKs by the rules of its
/// <c>rollForward</c> policy (as the dotnet host applies them). A CI job installs the pinned SDK; here only the
/// installed ones exist, so an unsatisfiable pin is stepped around rather than failing every command.
/// </summary>
internal static class GlobalJsonPin
{
    /// <summary>The requested version and policy when no installed SDK satisfies the root global.json, else null.</summary>
    public static (string Version, string RollForward)? Unsatisfied(string tree, IReadOnlyList<string> installed)
    {
        if (ReadRoot(tree) is not { } root || !root.TryGetProperty("sdk", out var sdk) || sdk.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var version = sdk.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var policy = sdk.TryGetProperty("rollForward", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : version is null ? "latestMajor" : "latestPatch";
        if (version is null || !TryParse(version, out var wanted))
        {
            return null;
        }

        return installed.Any(i => TryParse(i, out var have) && Satisfies(have, wanted, policy)) ? null : (version, policy);
    }

    /// <summary>Whether the root global.json makes <c>dotnet test</c> run Microsoft.Testing.Platform (<c>"test": { "runner": … }</c>).</summary>
    public static bool UsesTestingPlatform(string tree) =>
        ReadRoot(tree) is { } root
        && root.TryGetProperty("test", out var test) && test.ValueKind == JsonValueKind.Object
        && test.TryGetProperty("runner", out var runner) && runner.ValueKind == JsonValueKind.String
        && string.Equals(runner.GetString(), "Microsoft.Testing.Platform", StringComparison.OrdinalIgnoreCase);

    /// <summary>The root global.json's top-level object, or null when there is none, it is too large or not JSON.</summary>
    private static JsonElement? ReadRoot(string tree)
    {
        var path = Path.Combine(tree, "global.json");
        if (!File.Exists(path) || new FileInfo(path).Length > 64 * 1024)
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return json.RootElement.ValueKind == JsonValueKind.Object ? json.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Whether an installed SDK is acceptable: same feature band for the patch policies, same minor for the feature ones, and so on.</summary>
    internal static bool Satisfies((int Major, int Minor, int Band, int Patch) have, (int Major, int Minor, int Band, int Patch) wanted, string policy)
    {
        var atLeast = have.CompareTo(wanted) >= 0;
        return policy.ToLowerInvariant() switch
        {
            "disable" => have == wanted,
            "patch" or "latestpatch" => atLeast && (have.Major, have.Minor, have.Band) == (wanted.Major, wanted.Minor, wanted.Band),
            "feature" or "latestfeature" => atLeast && (have.Major, have.Minor) == (wanted.Major, wanted.Minor),
            "minor" or "latestminor" => atLeast && have.Major == wanted.Major,
            _ => atLeast,
        };
    }

    /// <summary>10.0.401 → (10, 0, 4, 1); a pre-release suffix is ignored.</summary>
    internal static bool TryParse(string version, out (int Major, int Minor, int Band, int Patch) parsed)
    {
        parsed = default;
        var parts = version.Split('-')[0].Split('.');
        if (parts.Length < 3 || !int.TryParse(parts[0], out var major) || !int.TryParse(parts[1], out var minor) || !int.TryParse(parts[2], out var patch))
        {
            return false;
        }

        parsed = (major, minor, patch / 100, patch % 100);
        return true;
    }
}
