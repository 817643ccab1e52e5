using System.Text.RegularExpressions;

namespace Sparring.Testing.Parsers;

/// <summary>One <c>test('name', …)</c> block of <see cref="TapeParser"/>'s input while its assertions are read.</summary>
internal sealed partial class TapeBlock
{
    private const int MaxOutputLines = 40;

    private readonly TapeHeader header;
    private readonly List<string> output = [];
    private readonly List<string> yaml = [];
    private int count;
    private int skipped;
    private string? failure;
    private bool crashed;

    public TapeBlock(string name, TapeHeader header)
    {
        Name = name;
        this.header = header;
    }

    public string Name { get; }

    public TestStatus Status =>
        crashed ? TestStatus.Error
        : header != TapeHeader.Plain ? TestStatus.Skipped
        : failure is not null ? TestStatus.Failed
        : count > 0 && skipped == count ? TestStatus.Skipped
        : TestStatus.Passed;

    public string? Message =>
        crashed ? CrashMessage()
        : failure is null ? null
        : yaml.Count > 0 ? $"{failure} ({string.Join(", ", yaml)})"
        : failure;

    public void OnAssertion(bool failed, bool directive, string description)
    {
        count++;
        skipped += directive ? 1 : 0;
        output.Clear();
        if (failed && failure is null)
        {
            failure = description.Length > 0 ? description : "an assertion failed";
            yaml.Clear();
        }
    }

    /// <summary>A line of the YAML block after an assertion: the first failure's expected and actual values.</summary>
    public void OnYaml(string body)
    {
        if (failure is not null && yaml.Count < 3 && YamlField().Match(body) is { Success: true } m)
        {
            yaml.Add($"{m.Groups["key"].Value} {m.Groups["value"].Value.Trim()}");
        }
    }

    /// <summary>A line that is not TAP (console output, a crash's stack trace).</summary>
    public void OnOutput(string body)
    {
        if (output.Count < MaxOutputLines)
        {
            output.Add(body);
        }
    }

    /// <summary>The output stopped in this block.</summary>
    public void Crashed() => crashed = true;

    private string CrashMessage()
    {
        var error = output.FirstOrDefault(l => ErrorLine().IsMatch(l)) ?? output.FirstOrDefault(l => l.Length > 0);
        var what = error is null ? "The output ends inside this test" : $"The output ends inside this test after: {error}";
        return failure is null ? what : $"{failure}; {what}";
    }

    [GeneratedRegex(@"^(?<key>operator|expected|actual):\s*(?<value>.*)$")]
    private static partial Regex YamlField();

    [GeneratedRegex(@"^(?:\w+)?(?:Error|Exception)\b")]
    private static partial Regex ErrorLine();
}

/// <summary>How tape announced a block: <c># name</c>, <c># SKIP name</c> or <c># TODO name</c>.</summary>
internal enum TapeHeader
{
    Plain,
    Skip,
    Todo,
}
