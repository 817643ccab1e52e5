using System.Text.RegularExpressions;

namespace Sparring.Testing.Detection;

/// <summary><c>go test -json</c> over every package of the module.</summary>
internal sealed partial class GoDetector : IRunnerDetector
{
    public TestPlan? TryDetect(string tree)
    {
        if (!TreeScan.Exists(tree, "go.mod"))
        {
            return null;
        }

        var setup = new List<string>();
        var vendored = TreeScan.Exists(tree, "vendor/modules.txt");
        if (!vendored && Requires().IsMatch(TreeScan.Read(tree, "go.mod")))
        {
            // go names only the first module it could not fetch; the JSON pass lists every one.
            setup.Add("""
                go mod download || { go mod download -json all 2>/dev/null | sed -n 's/^[[:space:]]*"Error": "\(.*\)"$/unreachable Go module: \1/p'; echo 'go.mod requires modules that are not in the module cache and cannot be downloaded here (no Go module proxy reachable): vendor them (go mod vendor) or make a proxy reachable (GOPROXY).'; exit 1; }
                """);
        }

        // -mod=vendor: the vendored copies, also for modules whose go.mod predates automatic vendoring (go < 1.14).
        var test = vendored ? "go test -mod=vendor" : "go test";

        // Compiles packages and test binaries once so each run starts from a warm build cache.
        setup.Add($"{test} -count=1 -run '^$' ./... > /dev/null 2>&1 || true");
        return new TestPlan
        {
            Runner = "go",
            Reason = "go.mod",
            Command = new TestCommand { Command = $"{test} -json -count=1 ./...", Parser = "go-test-json" },
            Recipe = new EnvironmentRecipe
            {
                SetupCommands = setup,
                Caches =
                [
                    new CacheMount("go-build", "/sparring/go-build", CacheScope.CopiedPerRun),
                    new CacheMount("gomod", "/sparring/gomod", CacheScope.SharedReadOnly),
                ],
                Environment = new Dictionary<string, string>
                {
                    ["GOCACHE"] = "/sparring/go-build",
                    ["GOMODCACHE"] = "/sparring/gomod",
                    ["GOPATH"] = "/tmp/go",
                    ["GOTOOLCHAIN"] = "local",
                    ["GOTELEMETRY"] = "off",
                },
                RunEnvironment = new Dictionary<string, string>
                {
                    ["GOPROXY"] = "off",
                    ["GOSUMDB"] = "off",
                },
            },
        };
    }

    [GeneratedRegex(@"^\s*require\b", RegexOptions.Multiline)]
    private static partial Regex Requires();
}
