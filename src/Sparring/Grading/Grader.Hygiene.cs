using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text;
using Sparring.Artifacts;
using Sparring.Grading.Internal;
using Sparring.Internal;
using Sparring.Repos;
using Sparring.Sandboxes;
using Sparring.Testing;
using Sparring.Testing.Instrumentation;

namespace Sparring.Grading;

public sealed partial class Grader
{
    /// <summary>What the tree hygiene did, and which paths it treats as tests or test infrastructure.</summary>
    private sealed record Hygiene(IReadOnlyList<string> Restored, IReadOnlyList<string> Removed, Func<string, bool> IsProtected);

    /// <summary>
    /// Paths inside the tree that are still not the solver's: prepared dependency folders (mounted read-only from the
    /// cache). Paths outside the tree and git metadata are refused before this, by <see cref="RepoPaths"/>.
    /// </summary>
    private static bool IsForbidden(string path, PreparedEnvironment environment) =>
        environment.Plan.Recipe.SharedDirectories.Any(d => path == d.TrimEnd('/') || path.StartsWith(d.TrimEnd('/') + "/", StringComparison.Ordinal));

    /// <summary>
    /// Restores every listed test file, then puts back (or deletes, when the original had none) every path the
    /// patch touched that is a test, lies in a test-only directory, is test infrastructure of any of the four
    /// languages, or is named by test_script.sh.
    /// </summary>
    private static Hygiene Sanitize(PreparedEnvironment environment, BugArtifact artifact, Workspace workspace, IReadOnlyList<string> touched)
    {
        var original = environment.TreePath;
        var listed = artifact.TestFiles.ToHashSet(StringComparer.Ordinal);
        var testDirectories = TestOnlyDirectories(original, listed);
        var named = TestInfrastructure.NamedByScript(artifact.TestScript);
        bool IsProtected(string path) =>
            listed.Contains(path)
            || TestPaths.LooksLikeTest(path)
            || testDirectories.Any(d => path.StartsWith(d + "/", StringComparison.Ordinal))
            || TestInfrastructure.IsInfrastructure(path)
            || named.Contains(path)
            || IsTestProject(path, original, workspace.TreePath);

        var restored = new List<string>();
        var removed = new List<string>();
        foreach (var path in listed.Concat(touched.Where(p => !listed.Contains(p) && IsProtected(p))).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            switch (PutBack(original, workspace.TreePath, path))
            {
                case Change.Restored:
                    restored.Add(path);
                    break;
                case Change.Removed:
                    removed.Add(path);
                    break;
            }
        }

        return new Hygiene(restored, removed, IsProtected);
    }

    private enum Change { None, Restored, Removed }

    /// <summary>Makes <paramref name="path"/> in the tree what it is in the original, never writing through a symlink the patch planted.</summary>
    private static Change PutBack(string originalTree, string tree, string path)
    {
        var source = Path.Combine(originalTree, path);
        var target = Path.Combine(tree, path);
        ReplaceSymlinkedAncestors(tree, path);
        var existed = File.Exists(target) || Directory.Exists(target) || new FileInfo(target).LinkTarget is not null;
        if (File.Exists(source))
        {
            if (existed && SameFile(source, target))
            {
                return Change.None;
            }

            DeleteEntry(target);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target);
            return Change.Restored;
        }

        if (!existed)
        {
            return Change.None;
        }

        DeleteEntry(target);
        return Change.Removed;
    }

    private static void DeleteEntry(string target)
    {
        var info = new FileInfo(target);
        if (info.LinkTarget is not null || File.Exists(target))
        {
            File.Delete(target);
        }
        else if (Directory.Exists(target))
        {
            TreeCopier.DeleteTree(target);
        }
    }

    /// <summary>A patch may turn a directory into a symlink (to elsewhere in the tree); restoring through it would write the wrong file.</summary>
    private static void ReplaceSymlinkedAncestors(string tree, string path)
    {
        var current = tree;
        foreach (var segment in path.Split('/')[..^1])
        {
            current = Path.Combine(current, segment);
            var info = new DirectoryInfo(current);
            if (info.LinkTarget is not null || File.Exists(current))
            {
                File.Delete(current);
            }
        }
    }

    /// <summary>Directories of listed test files that hold nothing but tests in the original (tests/, test/, __tests__/), so anything added there is test code.</summary>
    private static List<string> TestOnlyDirectories(string original, HashSet<string> listed)
    {
        var result = new List<string>();
        foreach (var directory in listed.Select(f => Path.GetDirectoryName(f) ?? "").Where(d => d.Length > 0).Distinct(StringComparer.Ordinal))
        {
            var full = Path.Combine(original, directory);
            if (Directory.Exists(full) && Directory.EnumerateFiles(full)
                .Select(f => Path.GetRelativePath(original, f).Replace('\\', '/'))
                .All(f => listed.Contains(f) || TestPaths.LooksLikeTest(f)))
            {
                result.Add(directory);
            }
        }

        return result;
    }

    private static bool IsTestProject(string path, string original, string tree)
    {
        foreach (var candidate in new[] { Path.Combine(original, path), Path.Combine(tree, path) })
        {
            if (File.Exists(candidate) && new FileInfo(candidate).Length < 1024 * 1024 && TestInfrastructure.IsTestProjectContent(path, File.ReadAllText(candidate)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>How the pytest plugin behaves on the original: usable only if it reports the baseline-passing tests as passed.</summary>
    private sealed record PytestReference(bool Applicable, IReadOnlySet<string> Corroborated, int ExitStatus, string Note);

    /// <summary>One instrumented run of the original per environment, script and parser, cached beside the baseline.</summary>
    private async Task<PytestReference> PytestReferenceAsync(PreparedEnvironment environment, BugArtifact artifact, List<string> targets, CancellationToken cancellationToken)
    {
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            PytestInstrumentation.Version + "\0" + artifact.TestScript + "\0" + (artifact.Metadata.Parser ?? "") + "\0" + (artifact.TestParser ?? ""))))[..16];
        var path = Path.Combine(environment.Directory, "grader-references", key + ".json");
        if (File.Exists(path))
        {
            try
            {
                var cached = JsonNode.Parse(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false))!;
                return new PytestReference(
                    cached["applicable"]!.GetValue<bool>(),
                    cached["corroborated"]!.AsArray().Select(n => n!.GetValue<string>()).ToHashSet(StringComparer.Ordinal),
                    cached["exitStatus"]!.GetValue<int>(),
                    cached["note"]!.GetValue<string>());
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or NullReferenceException or FormatException)
            {
                // A damaged cache entry is recomputed.
            }
        }

        PytestReference reference;
        await using (var workspace = await TestRunner.CreateWorkspaceAsync(environment, cancellationToken).ConfigureAwait(false))
        {
            var mount = await PytestInstrumentation.WritePluginAsync(workspace.StateDirectory("grader"), cancellationToken).ConfigureAwait(false);
            var runner = new ArtifactTestRunner(_sandboxes, PytestInstrumentation.Instrument(environment), artifact)
            {
                ScriptTimeout = _options.ScriptTimeout,
                SandboxLimits = new SandboxOptions { Mounts = [mount] },
            };
            var run = await runner.RunAsync(workspace, cancellationToken).ConfigureAwait(false);
            var report = PytestInstrumentation.Read(workspace.StateDirectory("results"));
            var corroborated = report is null || report.Malformed
                ? new HashSet<string>(StringComparer.Ordinal)
                : targets.Where(id => report.Tests.GetValueOrDefault(id) == "passed").ToHashSet(StringComparer.Ordinal);
            var note = report is null ? "the plugin wrote no report on the original (the script may set PYTEST_ADDOPTS or PYTHONPATH itself)"
                : report.Malformed ? "the plugin's report on the original is malformed"
                : corroborated.Count == 0 ? "the plugin's test ids do not match the parser's"
                : $"the plugin confirms {corroborated.Count} of {targets.Count} baseline-passing tests (run exit code {run.ExitCode})";
            reference = new PytestReference(corroborated.Count > 0, corroborated, report?.ExitStatus ?? -1, note);
        }

        var json = new JsonObject
        {
            ["applicable"] = reference.Applicable,
            ["corroborated"] = new JsonArray(reference.Corroborated.Order(StringComparer.Ordinal).Select(id => (JsonNode?)JsonValue.Create(id)).ToArray()),
            ["exitStatus"] = reference.ExitStatus,
            ["note"] = reference.Note,
        };
        await AtomicFile.WriteAllTextAsync(path, json.ToJsonString(), cancellationToken).ConfigureAwait(false);
        return reference;
    }
}
