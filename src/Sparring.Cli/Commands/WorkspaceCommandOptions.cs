using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using Sparring.Repos;

namespace Sparring.Cli.Commands;

/// <summary>The workspace options every verb that runs code shares (<c>--disk-quota</c>), and how they become <see cref="WorkspaceOptions"/>.</summary>
internal sealed partial class WorkspaceCommandOptions
{
    public Option<string?> DiskQuota { get; } = new("--disk-quota")
    {
        HelpName = "SIZE",
        Description = "Disk space each workspace may fill, e.g. 512M or 2G (its own tmpfs, in memory; needs root). Writes past it fail with 'No space left on device'. Default: the larger of 1G and 4 times the repository's tree.",
    };

    /// <summary>The workspace options, validated; a bad size is a usage error.</summary>
    public WorkspaceOptions Options(ParseResult result) =>
        new WorkspaceOptions { DiskQuotaBytes = result.GetValue(DiskQuota) is { } text ? ParseSize(text) : null }.Validate();

    /// <summary>Bytes from a size such as <c>1048576</c>, <c>512K</c>, <c>512M</c>, <c>2G</c>, <c>1.5GiB</c> (binary units).</summary>
    public static long ParseSize(string text)
    {
        var match = SizePattern().Match(text);
        if (!match.Success || !double.TryParse(match.Groups["number"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            throw new ArgumentException($"--disk-quota must be a size such as 512M or 2G, got '{text}'");
        }

        var shift = char.ToUpperInvariant(match.Groups["unit"].Value.FirstOrDefault()) switch
        {
            'K' => 10,
            'M' => 20,
            'G' => 30,
            'T' => 40,
            _ => 0,
        };
        var bytes = number * Math.Pow(2, shift);
        return bytes is >= 1 and <= long.MaxValue / 2
            ? (long)bytes
            : throw new ArgumentException($"--disk-quota is out of range: '{text}'");
    }

    [GeneratedRegex(@"^\s*(?<number>\d+(\.\d+)?)\s*(?<unit>[KMGTkmgt]?)(i?[Bb])?\s*$")]
    private static partial Regex SizePattern();
}
