using System.Text.RegularExpressions;

namespace Sparring.Testing.Detection;

/// <summary>
/// Finds the pytest invocation in a shell script (<c>pytest</c>, <c>py.test</c>, <c>python -m pytest</c>,
/// <c>coverage run -m pytest</c>, behind <c>uv run</c>-style wrappers, after <c>cd DIR &amp;&amp;</c>) and keeps the
/// arguments that decide which tests run and how they are collected; the ones that only suit the machine it was written
/// for (coverage, xdist, verbosity, reports, temporary folders, unknown plug-in flags) are dropped.
/// </summary>
internal static partial class PytestArguments
{
    /// <summary>Stands for the repository root in a path (tox's <c>{tox_root}</c>).</summary>
    public const string RootMarker = "\u0001root";

    /// <summary>Stands for the installed packages' folder (tox's <c>{env_site_packages_dir}</c>): the repository's own package directories.</summary>
    public const string SiteMarker = "\u0001site";

    /// <summary>Options kept with their value; paths in the value are made root-relative.</summary>
    private static readonly HashSet<string> KeptWithValue = new(StringComparer.Ordinal)
    {
        "-k", "-m", "-o", "--override-ini", "--doctest-glob", "--import-mode", "--ignore", "--ignore-glob", "--deselect",
    };

    private static readonly HashSet<string> PathValued = new(StringComparer.Ordinal) { "--ignore", "--ignore-glob", "--deselect" };

    private static readonly HashSet<string> KeptFlags = new(StringComparer.Ordinal) { "--doctest-modules", "--doctest-continue-on-failure" };

    /// <summary>Dropped options that always take a value (the next word when not joined by <c>=</c>).</summary>
    private static readonly HashSet<string> DroppedWithValue = new(StringComparer.Ordinal)
    {
        "--cov-report", "--cov-config", "--cov-fail-under", "--cov-context", "--basetemp", "-n", "--numprocesses", "--dist",
        "--maxprocesses", "--tx", "--junitxml", "--junit-xml", "--junit-prefix", "-r", "--durations", "--durations-min", "--tb",
        "--color", "--capture", "--log-format", "--log-date-format", "--log-level", "--log-cli-level", "--log-cli-format",
        "--log-file", "--log-file-level", "--timeout", "--timeout-method", "--maxfail", "--reruns", "--reruns-delay", "-W",
        "--pythonwarnings", "-c", "--rootdir", "-p", "--hypothesis-profile", "--hypothesis-seed", "--random-order-seed",
        "--confcutdir", "--doctest-report",
    };

    /// <summary>Short options whose value may be joined to the letter (<c>-kslow</c>, <c>-nauto</c>, <c>-rfsxX</c>).</summary>
    private const string ShortWithValue = "kmopnrWc";

    /// <summary>
    /// The words after pytest in the first command of <paramref name="lines"/> that runs it, and the tree-relative
    /// directory it runs in (<paramref name="directory"/>, moved by <c>cd</c>); null when no command runs pytest.
    /// </summary>
    public static (string Directory, List<string> Words)? FindInScript(IEnumerable<string> lines, string directory)
    {
        foreach (var line in JoinContinuations(lines))
        {
            foreach (var command in Commands(PytestNativeConfig.ShellWords(line)))
            {
                var start = command.FindIndex(w => !EnvAssignment().IsMatch(w));
                if (start < 0)
                {
                    continue;
                }

                if (command[start] == "cd")
                {
                    directory = start + 1 < command.Count ? Resolve(command[start + 1], directory) ?? directory : "";
                    continue;
                }

                if (Invocation(command, start) is { } args)
                {
                    return (directory, args);
                }
            }
        }

        return null;
    }

    /// <summary>Whether the arguments run benchmarks rather than the suite (a CodSpeed or pytest-benchmark-only job).</summary>
    public static bool IsBenchmark(IEnumerable<string> words) => words.Any(w => w is "--codspeed" or "--benchmark-only" or "--benchmark-enable");

    /// <summary>
    /// The kept arguments (options first, then existing paths, all root-relative), and whether any path was kept.
    /// <paramref name="packageRoots"/> are the directories <see cref="SiteMarker"/> paths are looked up under (the root last).
    /// </summary>
    public static (List<string> Kept, bool HasPaths) Filter(IReadOnlyList<string> words, string directory, string tree, IReadOnlyList<string> packageRoots)
    {
        var options = new List<string>();
        var paths = new List<string>();
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            if (word == "--")
            {
                paths.AddRange(words.Skip(i + 1).Select(w => ExistingPath(w, directory, tree, packageRoots)).OfType<string>());
                break;
            }

            if (!word.StartsWith('-') || word == "-")
            {
                if (ExistingPath(word, directory, tree, packageRoots) is { } path)
                {
                    paths.Add(path);
                }

                continue;
            }

            var (name, value) = Split(word);
            var takesValue = KeptWithValue.Contains(name) || DroppedWithValue.Contains(name);
            if (value is null && takesValue && i + 1 < words.Count)
            {
                value = words[++i];
            }
            else if (value is null && !takesValue && !KeptFlags.Contains(name) && i + 1 < words.Count && Optional(name, words[i + 1], directory, tree, packageRoots))
            {
                // --cov SOURCE, --benchmark-json FILE, an unknown plug-in's value: a following word that is no path here.
                i++;
                continue;
            }

            if (KeptFlags.Contains(name))
            {
                options.Add(name);
            }
            else if (KeptWithValue.Contains(name) && value is not null && Unresolved(value) is false)
            {
                var kept = PathValued.Contains(name) ? ResolveNodeId(value, directory, packageRoots, tree) : value;
                if (kept is not null)
                {
                    options.Add(name);
                    options.Add(kept);
                }
            }
            else if (name == "-p" && value is not null && value.StartsWith("no:", StringComparison.Ordinal) && value != "no:cacheprovider")
            {
                options.Add(name);
                options.Add(value);
            }
        }

        // pytest run in a folder without paths collects that folder (cd tests && pytest).
        if (paths.Count == 0 && directory.Length > 0 && Directory.Exists(Path.Combine(tree, directory)))
        {
            paths.Add(directory);
        }

        var distinctPaths = paths.Distinct(StringComparer.Ordinal).ToList();
        return ([.. options, .. distinctPaths], distinctPaths.Count > 0);
    }

    /// <summary>The words after pytest when <paramref name="command"/> (from <paramref name="start"/>) runs it, else null.</summary>
    private static List<string>? Invocation(List<string> command, int start)
    {
        var i = start;
        while (i < command.Count && command[i] is "sudo" or "env" or "time" or "exec" or "nice" or "xvfb-run")
        {
            i++;
            while (i < command.Count && (EnvAssignment().IsMatch(command[i]) || command[i].StartsWith('-')))
            {
                i++;
            }
        }

        if (i + 1 < command.Count && command[i] is "uv" or "poetry" or "pdm" or "pipenv" or "hatch" or "rye" && command[i + 1] == "run")
        {
            // The wrapper's own options come first (uv run --group test pytest): the program is the first word that names one.
            i = command.FindIndex(i + 2, w => IsPytest(w) || IsPython(w) || Name(w) == "coverage");
            if (i < 0)
            {
                return null;
            }
        }

        if (i >= command.Count)
        {
            return null;
        }

        if (IsPytest(command[i]))
        {
            return command[(i + 1)..];
        }

        if (IsPython(command[i]) || (Name(command[i]) == "coverage" && i + 1 < command.Count && command[i + 1] == "run"))
        {
            var module = command.IndexOf("-m", i + 1);
            return module > 0 && module + 1 < command.Count && IsPytest(command[module + 1]) ? command[(module + 2)..] : null;
        }

        return null;
    }

    /// <summary>Splits words into simple commands at <c>&amp;&amp;</c>, <c>||</c>, <c>;</c> and <c>|</c>; a redirection ends the arguments.</summary>
    private static IEnumerable<List<string>> Commands(List<string> words)
    {
        var current = new List<string>();
        var redirected = false;
        foreach (var raw in words)
        {
            var word = raw;
            var ends = word.Length > 1 && word.EndsWith(';');
            if (ends)
            {
                word = word[..^1];
            }

            if (word is "&&" or "||" or ";" or "|" or "&")
            {
                yield return current;
                current = [];
                redirected = false;
                continue;
            }

            redirected |= Redirection().IsMatch(word);
            if (!redirected)
            {
                current.Add(word);
            }

            if (ends)
            {
                yield return current;
                current = [];
                redirected = false;
            }
        }

        yield return current;
    }

    private static IEnumerable<string> JoinContinuations(IEnumerable<string> lines)
    {
        var pending = "";
        foreach (var line in lines)
        {
            var trimmed = line.TrimEnd();
            if (trimmed.EndsWith('\\'))
            {
                pending += trimmed[..^1] + " ";
                continue;
            }

            yield return pending + trimmed;
            pending = "";
        }

        if (pending.Length > 0)
        {
            yield return pending;
        }
    }

    private static (string Name, string? Value) Split(string word)
    {
        if (word.StartsWith("--", StringComparison.Ordinal))
        {
            var equals = word.IndexOf('=', StringComparison.Ordinal);
            return equals < 0 ? (word, null) : (word[..equals], word[(equals + 1)..]);
        }

        return word.Length > 2 && ShortWithValue.Contains(word[1], StringComparison.Ordinal) ? (word[..2], word[2..]) : (word, null);
    }

    /// <summary>Whether an option that may take a value takes <paramref name="next"/>: it is no option and no path in the repository.</summary>
    private static bool Optional(string name, string next, string directory, string tree, IReadOnlyList<string> packageRoots) =>
        !next.StartsWith('-') && (name == "--cov" || ExistingPath(next, directory, tree, packageRoots) is null);

    private static bool Unresolved(string value) => value.Contains('{', StringComparison.Ordinal) || value.Contains('$', StringComparison.Ordinal) || value.Contains('\u0001', StringComparison.Ordinal);

    /// <summary>A positional argument as a root-relative path (a node id keeps its <c>::</c> part) when its file or folder exists.</summary>
    private static string? ExistingPath(string word, string directory, string tree, IReadOnlyList<string> packageRoots)
    {
        var resolved = ResolveNodeId(word, directory, packageRoots, tree);
        if (resolved is null || resolved.IndexOfAny(['*', '?', '[']) >= 0)
        {
            return null;
        }

        var file = resolved.Split("::")[0];
        return File.Exists(Path.Combine(tree, file)) || Directory.Exists(Path.Combine(tree, file)) ? resolved : null;
    }

    private static string? ResolveNodeId(string word, string directory, IReadOnlyList<string> packageRoots, string tree)
    {
        var separator = word.IndexOf("::", StringComparison.Ordinal);
        var path = separator < 0 ? word : word[..separator];
        var rest = separator < 0 ? "" : word[separator..];
        if (path.StartsWith(SiteMarker, StringComparison.Ordinal))
        {
            var inside = path[SiteMarker.Length..].TrimStart('/');
            var root = packageRoots.FirstOrDefault(r => Path.Exists(Path.Combine(tree, r, inside)));
            return root is null ? null : Resolve(Path.Combine(root, inside), "") + rest;
        }

        return Resolve(path, directory) is { } resolved ? resolved + rest : null;
    }

    /// <summary>A path (relative to <paramref name="directory"/>, or under <see cref="RootMarker"/>) as a normalized root-relative path; null when it leaves the tree or holds an unresolved substitution.</summary>
    private static string? Resolve(string path, string directory)
    {
        if (path.StartsWith(RootMarker, StringComparison.Ordinal))
        {
            directory = "";
            path = path[RootMarker.Length..].TrimStart('/');
        }

        return Unresolved(path) ? null : TreeScan.Join(directory, path) is { } joined ? (joined.Length == 0 ? "." : joined) : null;
    }

    private static bool IsPytest(string word) => Name(word) is "pytest" or "py.test" or "pytest-3";

    private static bool IsPython(string word) => PythonName().IsMatch(Name(word));

    /// <summary>A program's base name, lower case, with a make variable's <c>$( )</c> taken off.</summary>
    private static string Name(string word)
    {
        var name = word.TrimStart('$', '(', '{').TrimEnd(')', '}');
        return Path.GetFileName(name).ToLowerInvariant();
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*=")]
    private static partial Regex EnvAssignment();

    [GeneratedRegex(@"^(\d*>|&>|<)")]
    private static partial Regex Redirection();

    [GeneratedRegex(@"^(python|pypy)[0-9.]*$")]
    private static partial Regex PythonName();
}
