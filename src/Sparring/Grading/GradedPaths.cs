using Sparring.Artifacts;
using Sparring.Grading.Internal;
using Sparring.Testing;

namespace Sparring.Grading;

/// <summary>Which paths grading puts back whatever a patch did to them: what a patch's change to them is worth is nothing.</summary>
public static class GradedPaths
{
    /// <summary>
    /// True for test files, test infrastructure of the four languages (conftest, sitecustomize, runner configuration…), the
    /// artifact's listed test files and the files its test script names. Test-only folders and test projects, which
    /// grading also protects, need the tree and are not judged here.
    /// </summary>
    public static bool IsPutBack(string path, BugArtifact? artifact = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        return TestPaths.LooksLikeTest(path)
            || TestInfrastructure.IsInfrastructure(path)
            || (artifact is not null && (artifact.TestFiles.Contains(path) || TestInfrastructure.NamedByScript(artifact.TestScript).Contains(path)));
    }
}
