using System.Text;
using Tomlyn.Model;

namespace Sparring.Testing.Detection;

/// <summary>
/// pytest 9's native TOML settings (<c>pytest.toml</c>, <c>.pytest.toml</c>, or a <c>[tool.pytest]</c> table in
/// pyproject.toml), which Debian's pytest 7.2 does not read, turned into command-line arguments it does read:
/// <c>addopts</c> as options, <c>testpaths</c> as paths, every other setting as <c>-o key=value</c>, and
/// <c>--rootdir=.</c> so node ids stay relative to the repository root as they would be with the file read.
/// </summary>
/// <remarks>
/// <c>minversion</c> and <c>required_plugins</c> are left out: the first would refuse pytest 7.2 outright, the second
/// names plugins that cannot be installed here. Files pytest 7.2 reads itself (pytest.ini, <c>[tool.pytest.ini_options]</c>,
/// tox.ini, setup.cfg) give no arguments.
/// </remarks>
internal static class PytestNativeConfig
{
    private static readonly HashSet<string> Skipped = new(StringComparer.Ordinal) { "minversion", "required_plugins", "addopts", "testpaths" };

    /// <summary>The file and table pytest 9 would take its settings from when pytest 7.2 would not read them, or null.</summary>
    public static (string File, TomlTable Settings)? Find(string tree)
    {
        foreach (var file in new[] { "pytest.toml", ".pytest.toml" })
        {
            if (TreeScan.Exists(tree, file))
            {
                return (file, TomlFile.Table(TomlFile.Read(tree, file), "pytest") ?? []);
            }
        }

        if (TreeScan.Exists(tree, "pytest.ini") || TreeScan.Exists(tree, ".pytest.ini"))
        {
            return null;
        }

        var table = TomlFile.Table(TomlFile.Read(tree, "pyproject.toml"), "tool", "pytest");
        return table is null || table.ContainsKey("ini_options") ? null : ("pyproject.toml [tool.pytest]", table);
    }

    /// <summary>Arguments (already quoted for bash) that give pytest 7.2 the same settings; empty when there are none to give.</summary>
    /// <param name="tree">The repository.</param>
    /// <param name="settings">The settings table.</param>
    /// <param name="withTestpaths">False when the command names its own paths, which pytest prefers to <c>testpaths</c>.</param>
    public static string Arguments(string tree, TomlTable settings, bool withTestpaths = true)
    {
        var args = new List<string> { "--rootdir=." };
        if (settings.TryGetValue("addopts", out var addopts))
        {
            var words = addopts is TomlArray array ? array.Select(TomlFile.Scalar).OfType<string>() : ShellWords(TomlFile.Scalar(addopts) ?? "");
            args.AddRange(WithoutColor(words.ToList()).Select(TreeScan.Quote));
        }

        foreach (var (key, value) in settings.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (Skipped.Contains(key) || Value(value) is not { } text)
            {
                continue;
            }

            args.Add("-o " + TreeScan.Quote(key + "=" + text));
        }

        var testpaths = withTestpaths && settings.TryGetValue("testpaths", out var paths)
            ? (paths is TomlArray list ? list.OfType<string>() : ShellWords(paths as string ?? ""))
            : [];
        foreach (var path in testpaths)
        {
            if (path.IndexOfAny(['*', '?', '[']) >= 0)
            {
                // A glob is left for bash to expand, as pytest would; only plain characters are passed unquoted.
                if (path.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or '*' or '?'))
                {
                    args.Add(path);
                }
            }
            else if (Directory.Exists(Path.Combine(tree, path)) || File.Exists(Path.Combine(tree, path)))
            {
                args.Add(TreeScan.Quote(path));
            }
        }

        return string.Join(' ', args);
    }

    /// <summary>addopts without <c>--color</c>: given after Sparring's <c>--color=no</c>, it would win and colour the output the parser reads.</summary>
    private static IEnumerable<string> WithoutColor(List<string> words)
    {
        for (var i = 0; i < words.Count; i++)
        {
            if (words[i] == "--color")
            {
                i++;
            }
            else if (!words[i].StartsWith("--color=", StringComparison.Ordinal))
            {
                yield return words[i];
            }
        }
    }

    /// <summary>An ini value: arrays become one item per line, which pytest splits for both list and args settings.</summary>
    private static string? Value(object? value) => value is TomlArray array
        ? string.Join('\n', array.Select(TomlFile.Scalar).OfType<string>())
        : TomlFile.Scalar(value);

    /// <summary>Splits like Python's shlex: whitespace outside quotes, single and double quotes, backslash escapes.</summary>
    internal static List<string> ShellWords(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        var quote = '\0';
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else if (c == '\\' && quote == '"' && i + 1 < text.Length && text[i + 1] is '"' or '\\')
                {
                    word.Append(text[++i]);
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                inWord = true;
            }
            else if (c == '\\' && i + 1 < text.Length)
            {
                word.Append(text[++i]);
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }
}
