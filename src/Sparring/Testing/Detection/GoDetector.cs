namespace Sparring.Testing.Detection;

/// <summary><c>go test -json</c> over every package of the module.</summary>
internal sealed class GoDetector : IRunnerDetector
{
    public TestPlan? TryDetect(string tree)
    {
        if (!TreeScan.Exists(tree, "go.mod"))
        {
            return null;
        }

        var setup = new List<string>();
        if (TreeScan.Read(tree, "go.sum").Trim().Length > 0 && !Directory.Exists(Path.Combine(tree, "vendor")))
        {
            setup.Add("go mod download");
        }

        // Compiles packages and test binaries once so each run starts from a warm build cache.
        setup.Add("go test -count=1 -run '^$' ./... > /dev/null 2>&1 || true");
        return new TestPlan
        {
            Runner = "go",
            Reason = "go.mod",
            Command = new TestCommand { Command = "go test -json -count=1 ./...", Parser = "go-test-json" },
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
}
