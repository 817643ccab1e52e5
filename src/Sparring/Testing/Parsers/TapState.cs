using System.Globalization;
using System.Text;

namespace Sparring.Testing.Parsers;

/// <summary>
/// The nesting bookkeeping of <see cref="TapParser"/>. TAP 14 prints a parent's subtests (indented) before the
/// parent's own result line, so leaves wait at their depth until the parent line claims them.
/// </summary>
internal sealed class TapState
{
    private readonly List<List<TapLeaf>> pending = [];
    private readonly Dictionary<int, string> subtestNames = [];
    private readonly StringBuilder yaml = new();
    private int? topPlan;
    private int topResults;
    private bool topPlanFirst;

    // Every test point is its own result: node-tap prints one per assertion, and "should be equal" repeats.
    public TestResultCollector Collector { get; } = new(numberRepeats: true);

    public bool InYaml { get; set; }

    public bool BailedOut { get; set; }

    /// <summary>The leaf the next YAML block describes (for a parent, its own line's block is dropped).</summary>
    public TapLeaf? LastLeaf { get; private set; }

    public void OnResult(int depth, string description, TestStatus status, string reason)
    {
        var children = Level(depth + 1);
        var leaves = Level(depth);
        if (children.Count > 0)
        {
            leaves.AddRange(children.Select(c => c with { Id = $"{description} > {c.Id}" }));
            children.Clear();
            LastLeaf = null;
        }
        else
        {
            LastLeaf = new TapLeaf(description, status) { Message = reason.Length > 0 ? reason : null };
            leaves.Add(LastLeaf);
        }

        subtestNames.Remove(depth);
        if (depth == 0)
        {
            topResults++;
        }
    }

    public void OnPlan(int depth, int count)
    {
        if (depth == 0)
        {
            topPlanFirst = topResults == 0;
            topPlan = count;
        }
    }

    public void OnSubtest(int depth, string name) => subtestNames[depth] = name;

    public void OnYaml(string body, string line)
    {
        if (body is "..." or "---")
        {
            InYaml = body == "---";
            if (body == "..." && LastLeaf is not null)
            {
                ApplyYaml(LastLeaf);
            }

            yaml.Clear();
            return;
        }

        ReportXml.AppendCapped(yaml, line + "\n");
    }

    public ParsedReport Finish()
    {
        if (InYaml)
        {
            Collector.Warn("The output ends inside a YAML block.");
        }

        // Subtests whose parent line never came (the run died): name them after their "# Subtest:" comment.
        for (var depth = pending.Count - 1; depth > 0; depth--)
        {
            if (pending[depth].Count == 0)
            {
                continue;
            }

            var parent = subtestNames.GetValueOrDefault(depth - 1);
            Collector.Warn($"Subtests of '{parent ?? "an unnamed test"}' were reported without their parent's result.");
            Level(depth - 1).AddRange(pending[depth].Select(c => parent is null ? c : c with { Id = $"{parent} > {c.Id}" }));
            pending[depth].Clear();
        }

        foreach (var leaf in Level(0))
        {
            Collector.Add(leaf.Id, leaf.Status, leaf.DurationMs, leaf.Message);
        }

        var complete = !BailedOut && topPlan is { } plan && (!topPlanFirst || topResults >= plan);
        if (!complete && !BailedOut)
        {
            Collector.Warn("No TAP plan (1..N) covering the results was found; the run may not have finished.");
        }

        return Collector.Build(complete);
    }

    private List<TapLeaf> Level(int depth)
    {
        while (pending.Count <= depth)
        {
            pending.Add([]);
        }

        return pending[depth];
    }

    private void ApplyYaml(TapLeaf leaf)
    {
        var lines = yaml.ToString().Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var entry = lines[i].Trim();
            if (entry.StartsWith("duration_ms:", StringComparison.Ordinal) &&
                double.TryParse(entry["duration_ms:".Length..], NumberStyles.Float, CultureInfo.InvariantCulture, out var ms))
            {
                leaf.DurationMs = ms;
            }
            else if (entry.StartsWith("error:", StringComparison.Ordinal) && leaf.Message is null)
            {
                var value = entry["error:".Length..].Trim();
                if (value.StartsWith('|') || value.StartsWith('>'))
                {
                    var indent = lines[i].Length - lines[i].TrimStart().Length;
                    value = string.Join("\n", lines.Skip(i + 1)
                        .TakeWhile(l => l.Trim().Length == 0 || l.Length - l.TrimStart().Length > indent)
                        .Select(l => l.Trim()));
                }

                leaf.Message = TestResultCollector.Trim(value.Trim('\'', '"', ' '));
            }
        }
    }
}

/// <summary>A reported test that has no reported subtests.</summary>
internal sealed record TapLeaf(string Id, TestStatus Status)
{
    public string? Message { get; set; }

    public double? DurationMs { get; set; }
}
