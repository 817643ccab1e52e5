using System.Text;
using System.Text.RegularExpressions;
using Tomlyn.Model;

namespace Sparring.Testing.Detection;

/// <summary>
/// The <c>commands</c> and <c>changedir</c> of tox's default test environment, from tox.ini <c>[testenv]</c>, tox.toml
/// <c>[env_run_base]</c>, setup.cfg (<c>[tox:tox]</c> with <c>[testenv]</c>) or pyproject.toml (<c>[tool.tox]</c>'s
/// <c>legacy_tox_ini</c> or <c>env_run_base</c>), with tox's substitutions resolved as far as they name the repository.
/// </summary>
/// <remarks>
/// <c>{posargs}</c> is empty (<c>{posargs:default}</c> its default), <c>{tox_root}</c>/<c>{toxinidir}</c> the root,
/// <c>{env_site_packages_dir}</c> the repository's package directories, <c>{envpython}</c> <c>python</c>; anything else
/// is left in braces, so a word holding it is dropped. A command line behind a factor (<c>tests: pytest</c>) counts when a
/// factor names tests or a Python version, so a <c>mypy:</c> line does not.
/// </remarks>
internal static partial class ToxConfig
{
    /// <summary>The file and section read, the command lines, and the tree-relative folder they run in; null when no tox file says.</summary>
    public static (string Source, List<string> Commands, string ChangeDir)? Read(string tree)
    {
        if (TreeScan.Exists(tree, "tox.ini") && FromIni(IniFile.Parse(TreeScan.Read(tree, "tox.ini")), "tox.ini [testenv]") is { } ini)
        {
            return ini;
        }

        if (TomlFile.Table(TomlFile.Read(tree, "tox.toml"), "env_run_base") is { } tomlBase)
        {
            return FromToml(tomlBase, "tox.toml [env_run_base]");
        }

        var setupCfg = IniFile.Parse(TreeScan.Read(tree, "setup.cfg"));
        if (setupCfg.HasSection("tox:tox") && FromIni(setupCfg, "setup.cfg [testenv]") is { } cfg)
        {
            return cfg;
        }

        var tox = TomlFile.Table(TomlFile.Read(tree, "pyproject.toml"), "tool", "tox");
        if (TomlFile.String(tox, "legacy_tox_ini") is { } legacy && FromIni(IniFile.Parse(legacy), "pyproject.toml [tool.tox] legacy_tox_ini [testenv]") is { } embedded)
        {
            return embedded;
        }

        return tox is not null && TomlFile.Table(tox, "env_run_base") is { } pyBase ? FromToml(pyBase, "pyproject.toml [tool.tox.env_run_base]") : null;
    }

    /// <summary>tox's substitutions in <paramref name="text"/> (nested braces allowed in a default).</summary>
    public static string Substitute(string text)
    {
        var result = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var close = text[i] == '{' ? Matching(text, i) : -1;
            if (close < 0)
            {
                result.Append(text[i]);
                continue;
            }

            var inner = text[(i + 1)..close];
            result.Append(inner switch
            {
                "posargs" => "",
                _ when inner.StartsWith("posargs:", StringComparison.Ordinal) => Substitute(inner["posargs:".Length..]),
                "tox_root" or "toxinidir" => PytestArguments.RootMarker,
                "env_site_packages_dir" or "envsitepackagesdir" => PytestArguments.SiteMarker,
                "envpython" or "env_python" => "python",
                "/" => "/",
                _ => text[i..(close + 1)],
            });
            i = close;
        }

        return result.ToString();
    }

    private static (string, List<string>, string)? FromIni(IniFile ini, string source)
    {
        if (ini.Get("testenv", "commands") is not { } commands)
        {
            return null;
        }

        // A line ending in a backslash continues on the next one (inside a {posargs:...} default too).
        var lines = commands.Replace("\\\n", " ", StringComparison.Ordinal).Split('\n')
            .Select(CommandOfFactors).OfType<string>()
            .Select(line => InlineComment().Replace(line, "").TrimStart('-', ' '))
            .Select(Substitute)
            .ToList();
        return (source, lines, ChangeDir(ini.Get("testenv", "changedir") ?? ini.Get("testenv", "change_dir")));
    }

    private static (string, List<string>, string) FromToml(TomlTable table, string source)
    {
        var lines = new List<string>();
        if (table.TryGetValue("commands", out var value) && value is TomlArray commands)
        {
            foreach (var command in commands.OfType<TomlArray>())
            {
                // A { replace = "posargs" } table and other non-strings are left out.
                lines.Add(string.Join(' ', command.OfType<string>().Select(Substitute).Where(w => w.Length > 0).Select(TreeScan.Quote)));
            }
        }

        return (source, lines, ChangeDir(TomlFile.String(table, "change_dir") ?? TomlFile.String(table, "changedir")));
    }

    /// <summary>The folder commands run in, tree-relative (<c>.tox</c>, <c>tests</c>); the root when unset or unresolved.</summary>
    private static string ChangeDir(string? value)
    {
        if (value is null)
        {
            return "";
        }

        var dir = Substitute(value.Trim());
        if (dir.StartsWith(PytestArguments.RootMarker, StringComparison.Ordinal))
        {
            dir = dir[PytestArguments.RootMarker.Length..].TrimStart('/');
        }
        else if (dir.StartsWith('/'))
        {
            return "";
        }

        return dir.Contains('{', StringComparison.Ordinal) || dir.Contains('\u0001', StringComparison.Ordinal) ? "" : dir.TrimEnd('/');
    }

    /// <summary>The command of a line, without its factor condition; null when the condition names no test environment.</summary>
    private static string? CommandOfFactors(string line)
    {
        var match = FactorPrefix().Match(line);
        if (!match.Success)
        {
            return line;
        }

        var factors = match.Groups["factors"].Value.Replace("{", ",", StringComparison.Ordinal).Replace("}", ",", StringComparison.Ordinal)
            .Split([',', '-'], StringSplitOptions.RemoveEmptyEntries);
        return factors.Any(f => f.StartsWith('!') || TestFactor().IsMatch(f)) ? line[match.Length..] : null;
    }

    private static int Matching(string text, int open)
    {
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            depth += text[i] == '{' ? 1 : text[i] == '}' ? -1 : 0;
            if (depth == 0)
            {
                return i;
            }
        }

        return -1;
    }

    [GeneratedRegex(@"^(?<factors>[!A-Za-z0-9_.][!A-Za-z0-9_.,{}-]*):\s+")]
    private static partial Regex FactorPrefix();

    [GeneratedRegex(@"^(tests?|unit|pytest|py(py)?[0-9.]*)$")]
    private static partial Regex TestFactor();

    [GeneratedRegex(@"\s+#.*$")]
    private static partial Regex InlineComment();
}
