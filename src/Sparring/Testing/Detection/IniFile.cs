namespace Sparring.Testing.Detection;

/// <summary>
/// A minimal reader of setup.cfg-style INI files: <c>[section]</c>, <c>key = value</c> (or <c>key: value</c>), indented
/// continuation lines joined with newlines, <c>#</c>/<c>;</c> comment lines. Keys are compared case-insensitively.
/// </summary>
internal sealed class IniFile
{
    private readonly Dictionary<string, Dictionary<string, string>> _sections = new(StringComparer.OrdinalIgnoreCase);

    private IniFile()
    {
    }

    public static IniFile Parse(string text)
    {
        var file = new IniFile();
        Dictionary<string, string>? section = null;
        string? key = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r', ' ', '\t');
            var trimmed = line.TrimStart();
            if (trimmed.Length == 0 || trimmed[0] is '#' or ';')
            {
                continue;
            }

            if (line.Length != trimmed.Length && section is not null && key is not null)
            {
                section[key] = section[key].Length == 0 ? trimmed : section[key] + "\n" + trimmed;
                continue;
            }

            if (trimmed.StartsWith('[') && trimmed.EndsWith(']'))
            {
                var name = trimmed[1..^1].Trim();
                if (!file._sections.TryGetValue(name, out section))
                {
                    section = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                    file._sections[name] = section;
                }

                key = null;
                continue;
            }

            var separator = trimmed.IndexOfAny(['=', ':']);
            if (section is null || separator <= 0)
            {
                key = null;
                continue;
            }

            key = trimmed[..separator].Trim();
            section[key] = trimmed[(separator + 1)..].Trim();
        }

        return file;
    }

    public bool HasSection(string section) => _sections.ContainsKey(section);

    public string? Get(string section, string key) =>
        _sections.TryGetValue(section, out var values) && values.TryGetValue(key, out var value) ? value : null;
}
