using Sparring.Artifacts;
using Sparring.Grading;
using Sparring.Repos;
using Sparring.Testing;

namespace Sparring.Solving;

/// <summary>
/// A test a test writer generated: the part of its submission that changes test files (<see cref="TestPaths.LooksLikeTest"/>),
/// and the paths of the other files it changed, which are dropped.
/// </summary>
public sealed record GeneratedTest(string Patch, IReadOnlyList<string> Files, IReadOnlyList<string> Dropped)
{
    /// <summary>
    /// <paramref name="patch"/> without its sections that change files grading puts back (<see cref="GradedPaths.IsPutBack"/>:
    /// tests, test infrastructure, the artifact's test files and what its script names): what a candidate fix is run as
    /// when generated tests judge it, so it cannot add tests, plugins or configuration of its own. A diff without
    /// <c>diff --git</c> sections is returned as it is.
    /// </summary>
    public static string WithoutTestFiles(string patch, BugArtifact? artifact = null)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var sections = UnifiedDiff.Parse(patch);
        return sections.Count == 0 ? patch : UnifiedDiff.Join(sections.Where(s => !GradedPaths.IsPutBack(s.Path, artifact)).Select(s => s.Text));
    }

    /// <summary>The test in a writer's submission (a git diff); <see cref="Files"/> is empty when it changes no test file.</summary>
    public static GeneratedTest FromSubmission(string? diff)
    {
        var sections = UnifiedDiff.Parse(diff ?? "");
        var tests = sections.Where(s => TestPaths.LooksLikeTest(s.Path)).ToList();
        return new GeneratedTest(
            UnifiedDiff.Join(tests.Select(s => s.Text)),
            [.. tests.Select(s => s.Path)],
            [.. sections.Where(s => !TestPaths.LooksLikeTest(s.Path)).Select(s => s.Path)]);
    }
}
