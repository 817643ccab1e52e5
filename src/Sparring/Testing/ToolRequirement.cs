namespace Sparring.Testing;

/// <summary>A host program a plan needs, and the Debian (or npm) package that provides it.</summary>
/// <param name="Program">What is checked (for messages).</param>
/// <param name="CheckCommand">A bash line that exits 0 when the program is usable.</param>
/// <param name="DebianPackage">The package to install, or null when it is not in Debian.</param>
/// <param name="NpmPackage">A package to install with <c>npm install -g</c> when Debian has none (pnpm), or null.</param>
public sealed record ToolRequirement(string Program, string CheckCommand, string? DebianPackage, string? NpmPackage = null)
{
    /// <summary>
    /// Files any one of which shows the program is there without running <see cref="CheckCommand"/> (a package's own
    /// files: importing pytest costs a Python start); when none exists, the check command decides.
    /// </summary>
    public IReadOnlyList<string> FoundIfAnyExists { get; init; } = [];
}
