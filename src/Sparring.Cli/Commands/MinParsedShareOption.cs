using System.CommandLine;
using Sparring.Testing;

namespace Sparring.Cli.Commands;

/// <summary><c>--min-parsed-share</c>, shared by the verbs that refuse empty work (inject, selfplay, serve).</summary>
internal static class MinParsedShareOption
{
    public const string Name = "--min-parsed-share";

    public static Option<double> Create() => new(Name)
    {
        Description = "Refuse a baseline where fewer than this share (0-1) of the tests the runner reports were parsed (only where the runner prints a total: pytest, dotnet, jest; 0 turns it off).",
        DefaultValueFactory = _ => BaselineRequirements.DefaultMinParsedShare,
    };
}
