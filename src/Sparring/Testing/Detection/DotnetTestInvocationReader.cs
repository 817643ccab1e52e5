using System.Text.RegularExpressions;

namespace Sparring.Testing.Detection;

/// <summary>
/// Which projects a .NET repository's CI runs <c>dotnet test</c> on: the GitHub Actions workflows' <c>run:</c> steps,
/// <c>appveyor.yml</c>, <c>azure-pipelines.yml</c> and <c>.gitlab-ci.yml</c>, and the scripts they start
/// (<c>./Build.ps1</c>, <c>build.sh</c>). A named project or folder, a glob a loop walks
/// (<c>foreach ($test in Get-ChildItem test/*.Tests)</c>), or nothing (the solution in the working directory).
/// </summary>
/// <remarks>
/// The choice restricts the test projects only when every <c>dotnet test</c> found names its projects: one that runs
/// a solution, or whose target cannot be read (a variable outside a loop), means the CI runs everything.
/// </remarks>
internal static partial class DotnetTestInvocationReader
{
    private static readonly string[] CakeScripts = ["build.cake", "cake.cs"];

    /// <summary>Options of <c>dotnet test</c> whose value is the next word.</summary>
    private static readonly HashSet<string> ValueOptions = new(StringComparer.Ordinal)
    {
        "-c", "--configuration", "-f", "--framework", "-l", "--logger", "-r", "--runtime", "--results-directory", "-s", "--settings",
        "-v", "--verbosity", "-e", "--environment", "--filter", "-a", "--arch", "--os", "-o", "--output", "--collect", "-d", "--diag",
        "--blame-hang-timeout", "--blame-crash-dump-type", "--blame-hang-dump-type", "--test-adapter-path", "--property", "-p",
        "--max-parallel-test-modules", "--report-trx-filename", "--timeout", "--minimum-expected-tests",
    };

    /// <summary>The projects the CI tests, in <paramref name="projects"/>' order, and where that was read; null when the CI runs them all or says nothing.</summary>
    /// <param name="tree">The repository.</param>
    /// <param name="projects">Every project file of the tree, tree-relative.</param>
    public static (List<string> Projects, string Source)? Find(string tree, IReadOnlyList<string> projects)
    {
        var chosen = new HashSet<string>(StringComparer.Ordinal);
        var sources = new List<string>();
        foreach (var (source, directory, lines) in Scripts(tree))
        {
            for (var i = 0; i < lines.Count; i++)
            {
                if (IsComment(lines[i]))
                {
                    continue;
                }

                string? target;
                var at = i;
                if (DotnetTest().Match(lines[i]) is { Success: true } match)
                {
                    target = Target(PytestNativeConfig.ShellWords(match.Groups["args"].Value));
                    if ((target is null || target.Contains('$') || target.Contains('%')) && LoopGlob(lines, i) is var (glob, loopLine))
                    {
                        (target, at) = (glob, loopLine);
                    }
                }
                else if (CakeTest().Match(lines[i]) is { Success: true } cake)
                {
                    // Cake: DotNetTest("path") or DotNetTest(project.FullPath) over a GetFiles("glob") just above.
                    var argument = cake.Groups["arg"].Value.Trim();
                    target = argument.StartsWith('"') ? argument.Trim('"') : CakeGlob(lines, i) ?? "$";
                }
                else
                {
                    continue;
                }

                var from = WorkingDirectory(lines, at, directory);
                var named = target is null && from == "" ? null
                    : from is null || target is not null && (target.Contains('$') || target.Contains('%')) ? null
                    : Projects(tree, Join(from, target ?? "."), projects);
                if (named is null)
                {
                    return null;
                }

                if (named.Count > 0 && !sources.Contains(source))
                {
                    sources.Add(source);
                }

                chosen.UnionWith(named);
            }
        }

        return chosen.Count == 0 ? null : (projects.Where(chosen.Contains).ToList(), string.Join(", ", sources));
    }

    /// <summary>The first word that is not an option or an option's value: the project, folder or solution tested.</summary>
    private static string? Target(List<string> words)
    {
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            if (word is "&&" or "||" or ";" or "|" or "}" or ")" or "--" || word.StartsWith('#'))
            {
                return null;
            }

            if (word is "--project" or "--solution")
            {
                return i + 1 < words.Count ? words[i + 1] : null;
            }

            if (ValueOptions.Contains(word))
            {
                i++;
                continue;
            }

            if (word.StartsWith('-') || word.StartsWith("/p:", StringComparison.OrdinalIgnoreCase) || word.StartsWith("/property:", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            return word.TrimEnd(';');
        }

        return null;
    }

    /// <summary>
    /// The projects a target names: a project file, the project in a folder, or the projects a glob matches (folders or
    /// files). An empty list for a path that is not in the tree; null for a solution, or a folder holding one: everything.
    /// </summary>
    private static List<string>? Projects(string tree, string? target, IReadOnlyList<string> projects)
    {
        if (target is null)
        {
            return [];
        }

        if (target.EndsWith(".sln", StringComparison.OrdinalIgnoreCase) || target.EndsWith(".slnx", StringComparison.OrdinalIgnoreCase) || target.EndsWith(".slnf", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (target.Contains('*'))
        {
            // ** any folders, * any name, {a,b} either (Cake's globs).
            var pattern = Regex.Escape(target).Replace(@"\*\*/", "(.*/)?", StringComparison.Ordinal).Replace(@"\*", "[^/]*", StringComparison.Ordinal);
            pattern = Alternatives().Replace(pattern, m => "(" + string.Join('|', m.Groups["items"].Value.Split(',')) + ")");
            var glob = new Regex("^" + pattern + "$");
            return projects.Where(p => glob.IsMatch(p.Replace('\\', '/')) || glob.IsMatch(Folder(p))).ToList();
        }

        if (projects.Contains(target))
        {
            return [target];
        }

        var inFolder = projects.Where(p => Folder(p) == target).ToList();
        if (inFolder.Count > 0)
        {
            return inFolder;
        }

        var folder = Path.Combine(tree, target);
        return Directory.Exists(folder) && Directory.EnumerateFiles(folder).Any(f => f.EndsWith(".sln", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".slnx", StringComparison.OrdinalIgnoreCase))
            ? null
            : [];
    }

    private static string Folder(string project) => (Path.GetDirectoryName(project) ?? "").Replace('\\', '/');

    /// <summary>The glob of the <c>foreach</c>/<c>for</c> loop a line sits in (looked for in the lines just above it), and the loop's line.</summary>
    private static (string Glob, int Line)? LoopGlob(List<string> lines, int index)
    {
        for (var i = index; i >= Math.Max(0, index - 15); i--)
        {
            if (Loop().Match(lines[i]) is { Success: true } loop)
            {
                // A loop closed before the line is not the line's loop.
                var between = lines.Skip(i).Take(index - i);
                var open = i == index || between.Sum(l => l.Count(c => c == '{') - l.Count(c => c == '}')) > 0
                    || (loop.Groups["bash"].Success && !between.Skip(1).Any(l => DoneKeyword().IsMatch(l)));
                return open && loop.Groups["glob"].Value.Contains('*') ? (loop.Groups["glob"].Value.Trim('"', '\'').Replace('\\', '/'), i) : null;
            }
        }

        return null;
    }

    /// <summary>The glob of the nearest <c>GetFiles("…")</c> above a Cake line.</summary>
    private static string? CakeGlob(List<string> lines, int index)
    {
        for (var i = index; i >= Math.Max(0, index - 20); i--)
        {
            if (CakeFiles().Match(lines[i]) is { Success: true } files)
            {
                return files.Groups["glob"].Value;
            }
        }

        return null;
    }

    /// <summary>
    /// The directory a line runs in: the script's, changed by the <c>cd</c>, <c>pushd</c>/<c>Push-Location</c> and
    /// <c>popd</c>/<c>Pop-Location</c> of the lines above it; null once a change goes somewhere a variable names.
    /// </summary>
    private static string? WorkingDirectory(List<string> lines, int index, string directory)
    {
        string? current = directory;
        var stack = new Stack<string?>();
        for (var i = 0; i < index; i++)
        {
            if (IsComment(lines[i]))
            {
                continue;
            }

            foreach (Match change in ChangeDirectory().Matches(lines[i]))
            {
                var verb = change.Groups["verb"].Value.ToUpperInvariant();
                if (verb is "POPD" or "POP-LOCATION")
                {
                    current = stack.Count > 0 ? stack.Pop() : current;
                    continue;
                }

                if (verb is "PUSHD" or "PUSH-LOCATION")
                {
                    stack.Push(current);
                }

                var to = change.Groups["dir"].Value.Trim('"', '\'');
                if (to.StartsWith("$PSScriptRoot", StringComparison.OrdinalIgnoreCase))
                {
                    // The script's own folder, where the reading started.
                    (current, to) = (directory, to["$PSScriptRoot".Length..]);
                }

                current = current is null || to.Contains('$') || to.Contains('%') ? null : Join(current, to);
            }
        }

        return current;
    }

    /// <summary>A path relative to a tree-relative directory (Windows separators allowed), normalized; null when it leaves the tree or is absolute.</summary>
    private static string? Join(string directory, string path) => TreeScan.Join(directory, path.Replace('\\', '/'));

    private static bool IsComment(string line)
    {
        var trimmed = line.TrimStart().TrimStart('-').TrimStart();
        return trimmed.StartsWith('#') || trimmed.StartsWith("REM ", StringComparison.OrdinalIgnoreCase) || trimmed.StartsWith("::", StringComparison.Ordinal) || trimmed.StartsWith("//", StringComparison.Ordinal);
    }

    /// <summary>The CI files, then each script one of them starts (once, in the order first started).</summary>
    private static IEnumerable<(string Source, string Directory, List<string> Lines)> Scripts(string tree)
    {
        var ci = WorkflowRunSteps.ReadAll(tree).ToList();

        foreach (var name in new[] { "appveyor.yml", ".appveyor.yml", "azure-pipelines.yml", ".gitlab-ci.yml" })
        {
            if (TreeScan.Exists(tree, name))
            {
                ci.Add((name, "", TreeScan.Read(tree, name).Replace("\r", "", StringComparison.Ordinal).Split('\n').ToList()));
            }
        }

        // A Cake build: its script is run by a bootstrapper (build.ps1, dotnet cake) that CI starts.
        if (ci.Any(c => c.Lines.Any(l => l.Contains("cake", StringComparison.OrdinalIgnoreCase))) || Directory.EnumerateFiles(tree, "*.ps1").Any(f => TreeScan.Read(tree, Path.GetFileName(f)).Contains("cake", StringComparison.OrdinalIgnoreCase)))
        {
            foreach (var name in CakeScripts.Where(n => TreeScan.Exists(tree, n)))
            {
                ci.Add((name, "", TreeScan.Read(tree, name).Replace("\r", "", StringComparison.Ordinal).Split('\n').ToList()));
            }
        }

        var started = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<(string Source, string Directory, List<string> Lines)>(ci);
        while (queue.Count > 0)
        {
            var script = queue.Dequeue();
            yield return script;
            foreach (var line in script.Lines.Where(l => !IsComment(l)))
            {
                foreach (Match start in ScriptStart().Matches(line))
                {
                    var path = Join(script.Directory, start.Groups["path"].Value);
                    if (path is not null && started.Count < 10 && TreeScan.Exists(tree, path) && started.Add(path))
                    {
                        queue.Enqueue((path, Folder(path), TreeScan.Read(tree, path).Replace("\r", "", StringComparison.Ordinal).Split('\n').ToList()));
                    }
                }
            }
        }
    }

    [GeneratedRegex(@"(?<![\w-])dotnet(?:\.exe)?\s+test(?![\w-])(?<args>.*)$")]
    private static partial Regex DotnetTest();

    [GeneratedRegex(@"(?:foreach\s*\(\s*\$\w+\s+in\s+(?:\(\s*)?(?:Get-ChildItem|gci|ls|dir)\s+(?:-Path\s+)?(?<glob>[^\s)|]+)|(?<bash>\bfor\s+\w+\s+in\s+)(?<glob>[^\s;]+))", RegexOptions.IgnoreCase)]
    private static partial Regex Loop();

    [GeneratedRegex(@"\bDotNet(?:Core)?Test\s*\(\s*(?<arg>""[^""]*""|[^,)]*)")]
    private static partial Regex CakeTest();

    [GeneratedRegex(@"\bGetFiles\s*\(\s*""(?<glob>[^""]+)""")]
    private static partial Regex CakeFiles();

    [GeneratedRegex(@"\\\{(?<items>[^}/]*,[^}/]*)\}")]
    private static partial Regex Alternatives();

    [GeneratedRegex(@"^\s*done\b")]
    private static partial Regex DoneKeyword();

    [GeneratedRegex(@"(?:^|[;&|{(]|\s)(?<verb>cd|pushd|Push-Location|Set-Location|popd|Pop-Location)(?:\s+(?:-Path\s+)?(?<dir>[^\s;&|)}]+))?(?=$|[\s;&|)}])", RegexOptions.IgnoreCase)]
    private static partial Regex ChangeDirectory();

    [GeneratedRegex(@"(?<![\w$%/\\.-])(?<path>(?:\.{1,2}[/\\])?[\w./\\-]*\w\.(?:ps1|sh))(?![\w.])", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptStart();
}
