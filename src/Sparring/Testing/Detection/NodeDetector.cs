using System.Text.Json;

namespace Sparring.Testing.Detection;

/// <summary>
/// JavaScript: jest or mocha when package.json declares them (run from the prepared node_modules),
/// otherwise node's built-in runner with its JUnit reporter.
/// </summary>
internal sealed class NodeDetector : IRunnerDetector
{
    public TestPlan? TryDetect(string tree)
    {
        if (!TreeScan.Exists(tree, "package.json"))
        {
            return null;
        }

        JsonElement package;
        try
        {
            using var document = JsonDocument.Parse(TreeScan.Read(tree, "package.json"));
            package = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"package.json is not valid JSON: {ex.Message}", ex);
        }

        var dependencies = DependencyNames(package);
        var testScript = package.TryGetProperty("scripts", out var scripts) && scripts.ValueKind == JsonValueKind.Object
            && scripts.TryGetProperty("test", out var test) && test.ValueKind == JsonValueKind.String
            ? test.GetString() ?? ""
            : "";

        var warnings = new List<string>();
        var setup = new List<string>();
        if (dependencies.Count > 0)
        {
            if (TreeScan.Exists(tree, "package-lock.json") || TreeScan.Exists(tree, "npm-shrinkwrap.json"))
            {
                setup.Add("npm ci --no-audit --no-fund");
            }
            else
            {
                setup.Add("npm install --no-audit --no-fund");
                warnings.Add("No package-lock.json: dependencies are resolved fresh with 'npm install', so they may differ from the developer's.");
            }
        }

        var recipe = new EnvironmentRecipe
        {
            SetupCommands = setup,
            SharedDirectories = dependencies.Count > 0 ? ["node_modules"] : [],
            Caches = [new CacheMount("npm", "/sparring/npm", CacheScope.SetupOnly)],
            Environment = new Dictionary<string, string>
            {
                ["npm_config_cache"] = "/sparring/npm",
                ["npm_config_update_notifier"] = "false",
                ["NODE_OPTIONS"] = "--no-warnings",
            },
        };

        var (runner, command, parser) = dependencies.Contains("jest") ? Jest()
            : dependencies.Contains("mocha") ? Mocha(testScript)
            : NodeTest(testScript);
        return new TestPlan
        {
            Runner = runner,
            Reason = runner == "node" ? "package.json without jest or mocha" : $"package.json declares {runner}",
            Command = new TestCommand { Command = command, Parser = parser },
            Recipe = recipe,
            Warnings = warnings,
        };
    }

    private static (string, string, string) Jest() =>
        ("jest", $"node_modules/.bin/jest --ci --colors=false --json --outputFile={TestRunnerDetector.ResultsPath}/jest.json", "jest-json");

    private static (string, string, string) Mocha(string testScript)
    {
        var args = ArgumentsAfter(testScript, "mocha", drop: "--reporter");
        return ("mocha", $"node_modules/.bin/mocha {args} --reporter tap".Replace("  ", " ", StringComparison.Ordinal), "tap");
    }

    private static (string, string, string) NodeTest(string testScript)
    {
        var args = ArgumentsAfter(testScript, "node --test", drop: "--test-reporter");
        var command = "node --test --test-reporter=spec --test-reporter-destination=stdout "
            + $"--test-reporter=junit --test-reporter-destination={TestRunnerDetector.ResultsPath}/node-junit.xml {args}";
        return ("node", command.TrimEnd(), "junit");
    }

    /// <summary>The arguments a <c>scripts.test</c> passes after <paramref name="program"/>, minus reporter options we set ourselves.</summary>
    private static string ArgumentsAfter(string script, string program, string drop)
    {
        var start = script.IndexOf(program, StringComparison.Ordinal);
        if (start < 0)
        {
            return "";
        }

        var rest = script[(start + program.Length)..];
        var end = rest.IndexOfAny(['&', '|', ';']);
        if (end >= 0)
        {
            rest = rest[..end];
        }

        var kept = new List<string>();
        var words = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < words.Length; i++)
        {
            if (words[i].StartsWith(drop, StringComparison.Ordinal))
            {
                if (!words[i].Contains('=', StringComparison.Ordinal) && i + 1 < words.Length && !words[i + 1].StartsWith('-'))
                {
                    i++;
                }

                continue;
            }

            kept.Add(words[i]);
        }

        return string.Join(' ', kept);
    }

    private static HashSet<string> DependencyNames(JsonElement package)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var section in new[] { "dependencies", "devDependencies", "optionalDependencies" })
        {
            if (package.TryGetProperty(section, out var deps) && deps.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in deps.EnumerateObject())
                {
                    names.Add(property.Name);
                }
            }
        }

        return names;
    }
}
