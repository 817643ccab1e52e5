using System.Text.RegularExpressions;
using Tomlyn.Model;

namespace Sparring.Testing.Detection;

/// <summary>
/// What a Python repository says about itself that an installed copy would know: its distribution name and version
/// (for <c>importlib.metadata</c>) and the directories its packages are imported from (a <c>src/</c> layout, a
/// configured package directory). Read from pyproject.toml (<c>[project]</c>, setuptools, hatch, poetry, pdm),
/// setup.cfg, or literal arguments of setup.py; whatever is absent stays empty.
/// </summary>
internal sealed partial record PythonProject
{
    /// <summary>The version when none can be read (setuptools_scm, computed versions).</summary>
    public const string FallbackVersion = "0.0.0";

    /// <summary>The distribution name, or null when the repository declares none.</summary>
    public string? Name { get; init; }

    public string Version { get; init; } = FallbackVersion;

    /// <summary>
    /// The Python module a build writes the version into (hatch-vcs <c>version-file</c>, setuptools-scm
    /// <c>version_file</c>/<c>write_to</c>), tree-relative, or null when none is declared.
    /// </summary>
    public string? VersionFile { get; init; }

    /// <summary>Tree-relative directories (never the root) that packages are imported from, in the order found.</summary>
    public IReadOnlyList<string> SourceRoots { get; init; } = [];

    public static PythonProject Read(string tree)
    {
        var pyproject = TomlFile.Read(tree, "pyproject.toml");
        var setupCfg = IniFile.Parse(TreeScan.Read(tree, "setup.cfg"));
        var setupPy = TreeScan.Read(tree, "setup.py");
        var project = TomlFile.Table(pyproject, "project");
        var poetry = TomlFile.Table(pyproject, "tool", "poetry");

        var roots = new List<string>();
        if (Directory.Exists(Path.Combine(tree, "src")) && TreeScan.FindFiles(Path.Combine(tree, "src"), n => n.EndsWith(".py", StringComparison.Ordinal), maxDepth: 3, limit: 1).Count > 0)
        {
            roots.Add("src");
        }

        roots.AddRange(ConfiguredRoots(pyproject, setupCfg, setupPy));
        roots = roots.Select(Normalize).Where(r => r.Length > 0 && r != "." && !r.StartsWith("..", StringComparison.Ordinal) && Directory.Exists(Path.Combine(tree, r)))
            .Distinct(StringComparer.Ordinal).ToList();

        var name = TomlFile.String(project, "name") ?? TomlFile.String(poetry, "name") ?? setupCfg.Get("metadata", "name") ?? SetupPyString(setupPy, "name");
        var version = TomlFile.String(project, "version")
            ?? TomlFile.String(poetry, "version")
            ?? DynamicVersion(tree, pyproject, roots, name)
            ?? CfgVersion(tree, setupCfg.Get("metadata", "version"), roots)
            ?? SetupPyString(setupPy, "version");
        return new PythonProject
        {
            Name = name is not null && ValidName().IsMatch(name) ? name : null,
            Version = version is not null && ValidVersion().IsMatch(version) ? version : FallbackVersion,
            SourceRoots = roots,
            VersionFile = new[]
                {
                    TomlFile.String(TomlFile.Table(pyproject, "tool", "hatch", "build", "hooks", "vcs"), "version-file"),
                    TomlFile.String(TomlFile.Table(pyproject, "tool", "setuptools_scm"), "version_file"),
                    TomlFile.String(TomlFile.Table(pyproject, "tool", "setuptools_scm"), "write_to"),
                }
                .OfType<string>().Select(Normalize)
                .FirstOrDefault(f => f.EndsWith(".py", StringComparison.Ordinal) && !f.StartsWith('/') && !f.Split('/').Contains("..")),
        };
    }

    /// <summary>The name of the <c>.dist-info</c> directory a wheel of this project would install.</summary>
    public string DistInfoDirectory => $"{Separators().Replace(Name ?? "", "_")}-{Version}.dist-info";

    private static IEnumerable<string> ConfiguredRoots(TomlTable pyproject, IniFile setupCfg, string setupPy)
    {
        // setuptools: package-dir = {"" = "lib"} or {"pkg" = "lib/pkg"}; packages.find where = ["lib"].
        if (TomlFile.Table(pyproject, "tool", "setuptools", "package-dir") is { } packageDir)
        {
            foreach (var (package, value) in packageDir)
            {
                if (value is string dir && ParentOfPackage(package, dir) is { } root)
                {
                    yield return root;
                }
            }
        }

        foreach (var where in TomlFile.Strings(TomlFile.Table(pyproject, "tool", "setuptools", "packages", "find"), "where"))
        {
            yield return where;
        }

        // hatch: packages = ["src/pkg"] (the parent is the root); sources = ["src"] or {"src" = ""}.
        var wheel = TomlFile.Table(pyproject, "tool", "hatch", "build", "targets", "wheel");
        foreach (var package in TomlFile.Strings(wheel, "packages"))
        {
            yield return Path.GetDirectoryName(Normalize(package)) ?? "";
        }

        foreach (var source in TomlFile.Strings(wheel, "sources"))
        {
            yield return source;
        }

        if (wheel is not null && wheel.TryGetValue("sources", out var sources) && sources is TomlTable remap)
        {
            foreach (var (from, to) in remap)
            {
                if (to is "")
                {
                    yield return from;
                }
            }
        }

        // poetry: packages = [{ include = "pkg", from = "src" }]; pdm: package-dir = "src".
        if (TomlFile.Table(pyproject, "tool", "poetry") is { } poetry && poetry.TryGetValue("packages", out var packages) && packages is System.Collections.IEnumerable includes)
        {
            // An inline array of tables or [[tool.poetry.packages]] sections.
            foreach (var include in includes.OfType<TomlTable>())
            {
                if (TomlFile.String(include, "from") is { } from)
                {
                    yield return from;
                }
            }
        }

        if (TomlFile.String(TomlFile.Table(pyproject, "tool", "pdm", "build"), "package-dir") is { } pdm)
        {
            yield return pdm;
        }

        // setup.cfg: package_dir = \n =src  (or pkg = lib/pkg); [options.packages.find] where = src.
        foreach (var line in (setupCfg.Get("options", "package_dir") ?? "").Split('\n'))
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0 && ParentOfPackage(line[..equals].Trim(), line[(equals + 1)..].Trim()) is { } root)
            {
                yield return root;
            }
        }

        if (setupCfg.Get("options.packages.find", "where") is { } cfgWhere)
        {
            yield return cfgWhere.Trim();
        }

        // setup.py: package_dir={"": "src"}.
        if (SetupPyPackageDir().Match(setupPy) is { Success: true } literal)
        {
            yield return literal.Groups["dir"].Value;
        }
    }

    /// <summary>The directory to import from so that <paramref name="package"/> maps to <paramref name="dir"/>, if any.</summary>
    private static string? ParentOfPackage(string package, string dir)
    {
        dir = Normalize(dir);
        if (package.Length == 0)
        {
            return dir;
        }

        var suffix = package.Replace('.', '/');
        return dir == suffix ? null
            : dir.EndsWith("/" + suffix, StringComparison.Ordinal) ? dir[..^(suffix.Length + 1)]
            : null;
    }

    /// <summary>A dynamic version: setuptools' attr/file, hatch's path, or a module's <c>__version__</c> (flit).</summary>
    private static string? DynamicVersion(string tree, TomlTable pyproject, List<string> roots, string? name)
    {
        var dynamic = TomlFile.Table(pyproject, "tool", "setuptools", "dynamic");
        if (dynamic is not null && dynamic.TryGetValue("version", out var spec) && spec is TomlTable setuptools)
        {
            if (TomlFile.String(setuptools, "attr") is { } attr)
            {
                return AttrVersion(tree, attr, roots);
            }

            if (TomlFile.Strings(setuptools, "file").FirstOrDefault() is { } file)
            {
                return TreeScan.Read(tree, file).Trim() is { Length: > 0 } text ? text : null;
            }
        }

        if (TomlFile.String(TomlFile.Table(pyproject, "tool", "hatch", "version"), "path") is { } path)
        {
            return AssignedString(TreeScan.Read(tree, path), "__version__") ?? AssignedString(TreeScan.Read(tree, path), "VERSION");
        }

        var module = TomlFile.String(TomlFile.Table(pyproject, "tool", "flit", "module"), "name")
            ?? (TomlFile.Table(pyproject, "build-system") is { } build && (TomlFile.String(build, "build-backend") ?? "").StartsWith("flit", StringComparison.Ordinal) ? name?.Replace('-', '_') : null);
        return module is null ? null : AttrVersion(tree, module + ".__version__", roots);
    }

    private static string? CfgVersion(string tree, string? value, List<string> roots) => value switch
    {
        null => null,
        _ when value.StartsWith("attr:", StringComparison.Ordinal) => AttrVersion(tree, value["attr:".Length..].Trim(), roots),
        _ when value.StartsWith("file:", StringComparison.Ordinal) => TreeScan.Read(tree, value["file:".Length..].Trim().Split(',')[0].Trim()).Trim() is { Length: > 0 } text ? text : null,
        _ => value,
    };

    /// <summary><c>pkg.mod.__version__</c>: a string literal assigned in pkg/mod.py or pkg/mod/__init__.py under the root or a source root.</summary>
    private static string? AttrVersion(string tree, string attr, List<string> roots)
    {
        var dot = attr.LastIndexOf('.');
        if (dot <= 0)
        {
            return null;
        }

        var module = attr[..dot].Replace('.', '/');
        var variable = attr[(dot + 1)..];
        foreach (var root in roots.Append(""))
        {
            foreach (var file in new[] { module + ".py", module + "/__init__.py" })
            {
                if (AssignedString(TreeScan.Read(tree, Path.Combine(root, file)), variable) is { } found)
                {
                    return found;
                }
            }
        }

        return null;
    }

    private static string? AssignedString(string source, string variable)
    {
        var match = Regex.Match(source, @"^" + Regex.Escape(variable) + @"\s*(?::\s*\w+\s*)?=\s*(['""])(?<value>[^'""\n]+)\1", RegexOptions.Multiline, TimeSpan.FromSeconds(1));
        return match.Success ? match.Groups["value"].Value : null;
    }

    private static string? SetupPyString(string setupPy, string keyword)
    {
        var call = setupPy.IndexOf("setup(", StringComparison.Ordinal);
        if (call < 0)
        {
            return null;
        }

        var match = Regex.Match(setupPy[call..], @"\b" + keyword + @"\s*=\s*(['""])(?<value>[^'""\n]+)\1", RegexOptions.None, TimeSpan.FromSeconds(1));
        return match.Success ? match.Groups["value"].Value : null;
    }

    private static string Normalize(string dir)
    {
        var normalized = dir.Replace('\\', '/').Trim().TrimEnd('/');
        return normalized.StartsWith("./", StringComparison.Ordinal) ? normalized[2..] : normalized;
    }

    [GeneratedRegex(@"^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$")]
    private static partial Regex ValidName();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9.+!_-]*$")]
    private static partial Regex ValidVersion();

    [GeneratedRegex(@"[-_.]+")]
    private static partial Regex Separators();

    [GeneratedRegex(@"package_dir\s*=\s*\{\s*(['""])\1\s*:\s*(['""])(?<dir>[^'""]+)\2")]
    private static partial Regex SetupPyPackageDir();
}
