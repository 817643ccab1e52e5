using Sparring.Repos;
using Sparring.Testing;

namespace Sparring.Solving;

/// <summary>
/// A test a test writer generated: the part of its submission that changes test files (<see cref="TestPaths.LooksLikeTest"/>),
/// and the paths of the other files it changed, which are dropped.
/// </summary>
public sealed record GeneratedTest(string Patch, IReadOnlyList<string> Files, IReadOnlyList<string> Dropped)
{
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
