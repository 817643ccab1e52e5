namespace Sparring.Testing;

/// <summary>The values of <see cref="RunDiagnosis.Kind"/>.</summary>
public static class RunDiagnosisKinds
{
    /// <summary>A module or package the tests import is not installed (Python, JavaScript).</summary>
    public const string MissingModule = "missing-module";

    /// <summary>A module the tests import is the repository's own, but not on the import path.</summary>
    public const string ImportPath = "import-path";

    /// <summary>An import fails for another reason (a name the installed version lacks, a syntax error).</summary>
    public const string ImportError = "import-error";

    /// <summary>A test-runner plug-in the configuration needs is missing (pytest's <c>--cov</c>, a fixture).</summary>
    public const string MissingPlugin = "missing-plugin";

    /// <summary>The code or the tests do not compile.</summary>
    public const string CompileError = "compile-error";

    /// <summary>Dependencies could not be resolved or fetched (NuGet, npm, Go modules).</summary>
    public const string Dependencies = "dependencies";

    /// <summary>A package feed or registry could not be reached.</summary>
    public const string Unreachable = "unreachable";

    /// <summary>The toolchain is missing, too old or the wrong version (.NET runtime or SDK, Go, Node).</summary>
    public const string Toolchain = "toolchain";

    /// <summary>A program the command runs is not installed.</summary>
    public const string CommandNotFound = "command-not-found";

    /// <summary>The runner found no tests to run.</summary>
    public const string NoTests = "no-tests";

    /// <summary>The run timed out.</summary>
    public const string Timeout = "timeout";

    /// <summary>The run reached the memory limit.</summary>
    public const string Memory = "memory";

    /// <summary>Tests ran, but every one failed or errored.</summary>
    public const string AllFailed = "all-failed";

    /// <summary>Results were read, but too few of those the runner reported.</summary>
    public const string Unparsed = "unparsed";

    /// <summary>None of the patterns applies: the exit code and the first error lines are all there is.</summary>
    public const string Unknown = "unknown";
}
