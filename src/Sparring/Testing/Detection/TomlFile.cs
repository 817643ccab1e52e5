using System.Globalization;
using Tomlyn;
using Tomlyn.Model;

namespace Sparring.Testing.Detection;

/// <summary>Lenient reads of a repository's TOML files (pyproject.toml, pytest.toml): a missing or malformed file is an empty table.</summary>
internal static class TomlFile
{
    public static TomlTable Read(string tree, string relative)
    {
        var text = TreeScan.Read(tree, relative);
        if (text.Length == 0)
        {
            return [];
        }

        try
        {
            return TomlSerializer.Deserialize<TomlTable>(text, new TomlSerializerOptions()) ?? [];
        }
        catch (TomlException)
        {
            // Detection must not fail on a file the runner itself may never read; pytest reports its own errors.
            return [];
        }
    }

    /// <summary>The table at a dotted path of keys, or null.</summary>
    public static TomlTable? Table(TomlTable root, params string[] keys)
    {
        var table = root;
        foreach (var key in keys)
        {
            if (!table.TryGetValue(key, out var value) || value is not TomlTable next)
            {
                return null;
            }

            table = next;
        }

        return table;
    }

    public static string? String(TomlTable? table, string key) =>
        table is not null && table.TryGetValue(key, out var value) && value is string text ? text : null;

    /// <summary>A string array's items (a lone string counts as one item).</summary>
    public static List<string> Strings(TomlTable? table, string key) =>
        table is null || !table.TryGetValue(key, out var value) ? []
        : value is string one ? [one]
        : value is TomlArray array ? array.OfType<string>().ToList()
        : [];

    /// <summary>A scalar as pytest's ini reader would see it (booleans lower case, numbers invariant).</summary>
    public static string? Scalar(object? value) => value switch
    {
        string text => text,
        bool flag => flag ? "true" : "false",
        IFormattable number and (long or int or double) => number.ToString(null, CultureInfo.InvariantCulture),
        _ => null,
    };
}
