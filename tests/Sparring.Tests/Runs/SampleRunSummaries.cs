using System.Globalization;
using Sparring.Injection;
using Sparring.Runs;

namespace Sparring.Tests.Runs;

/// <summary>Run summaries for the report tests: a mixed run, an empty one and a large one.</summary>
internal static class SampleRunSummaries
{
    /// <summary>A bug id that tries to close the data block and run a script of its own.</summary>
    public const string HostileId = "</script><script>document.body.dataset.pwned='yes'</script><!--";

    /// <summary>
    /// Three strategy/order pairs, three rejection checks, three stages and five bugs whose injector rewards fall in
    /// five different bins (including both ends of [-1, 1]); one bug has the hostile id, one a path that needs encoding.
    /// </summary>
    public static RunSummary Mixed() => new()
    {
        Repository = "samples/py-inventory",
        Commit = "0123456789abcdef0123456789abcdef01234567",
        Seed = 7,
        Injector = "procedural",
        Solver = "search",
        Rounds = 2,
        BugsTried = 14,
        Valid = 5,
        RejectedByCheck = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["tests-fail-before"] = 3,
            ["no-failing-test"] = 5,
            ["diff-too-large"] = 1,
        },
        Attempts = 12,
        Solved = 5,
        SolveRate = 5 / 12.0,
        MeanReward = new Dictionary<string, double>(StringComparer.Ordinal) { ["injector"] = 0.09, ["solver"] = -0.1667 },
        SecondsByStage = new Dictionary<string, double>(StringComparer.Ordinal) { ["inject"] = 12.5, ["solve"] = 340.2, ["higher-order"] = 61 },
        ByStrategy =
        [
            new StrategySummary("removal", 1, 2, 4, 1, 0.25),
            new StrategySummary("mutation", 1, 2, 6, 4, 4 / 6.0),
            new StrategySummary("removal", 2, 1, 2, 0, 0),
        ],
        Bugs =
        [
            Bug("removal-0001", 1, "removal", 1, 2, 1, -0.575, "rounds/1/bugs/removal-0001"),
            Bug("mutation-0002", 1, "mutation", 1, 3, 3, 0.775, "rounds/1/bugs/mutation-0002"),
            Bug(HostileId, 1, "removal", 1, 2, 0, 1, "rounds/1/bugs/hostile"),
            Bug("mutation-0004", 2, "mutation", 1, 3, 1, 0.25, "rounds/2/bugs/odd name#1"),
            Bug("order2-0005", 2, "removal", 2, 2, 0, -0.8, "/rounds/2/bugs/javascript:alert(1)"),
        ],
    };

    /// <summary>A run that made nothing: every chart has no data and the mean rewards are NaN.</summary>
    public static RunSummary Empty() => new()
    {
        Repository = "samples/go-textkit",
        Commit = "abc",
        Seed = 1,
        Injector = "procedural",
        Solver = "search",
        Rounds = 1,
        BugsTried = 0,
        Valid = 0,
        RejectedByCheck = new Dictionary<string, int>(StringComparer.Ordinal),
        Attempts = 0,
        Solved = 0,
        SolveRate = double.NaN,
        MeanReward = new Dictionary<string, double>(StringComparer.Ordinal) { ["solver"] = double.NaN, ["injector"] = double.NaN },
        SecondsByStage = new Dictionary<string, double>(StringComparer.Ordinal),
        ByStrategy = [],
        Bugs = [],
    };

    /// <summary><paramref name="count"/> bugs over four strategies and two orders, rewards spread over [-1, 1].</summary>
    public static RunSummary Large(int count)
    {
        string[] strategies = ["history", "removal", "mutation", "combine"];
        var bugs = new List<BugSummary>(count);
        for (var i = 0; i < count; i++)
        {
            var strategy = strategies[i % strategies.Length];
            var order = 1 + (i % 7 == 0 ? 1 : 0);
            var solved = i % 5;
            var id = string.Create(CultureInfo.InvariantCulture, $"{strategy}-{i:D5}");
            bugs.Add(Bug(id, 1 + (i / 100), strategy, order, 4, solved, -1 + (2.0 * i / (count - 1)), "rounds/" + (1 + (i / 100)).ToString(CultureInfo.InvariantCulture) + "/bugs/" + id));
        }

        return Mixed() with
        {
            Rounds = 1 + ((count - 1) / 100),
            BugsTried = count * 2,
            Valid = count,
            Attempts = count * 4,
            Solved = bugs.Sum(bug => bug.Solved),
            SolveRate = bugs.Sum(bug => bug.Solved) / (count * 4.0),
            ByStrategy = [.. strategies.SelectMany(s => new[] { new StrategySummary(s, 1, 1, 4, 2, 0.5), new StrategySummary(s, 2, 1, 4, 1, 0.25) })],
            Bugs = bugs,
        };
    }

    private static BugSummary Bug(string id, int round, string strategy, int order, int attempts, int solved, double reward, string path) => new()
    {
        Id = id,
        Round = round,
        Strategy = strategy,
        Order = order,
        Attempts = attempts,
        Solved = solved,
        SolveRate = (double)solved / attempts,
        InjectorReward = reward,
        Path = path,
    };
}
