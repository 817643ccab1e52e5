namespace Sparring.Repos.Internal;

/// <summary>What a copy of a tree will make, found by walking the source before anything is written.</summary>
internal sealed class TreeCopyPlan
{
    /// <summary>Directories to make, parents first, with the source whose mode and time they take.</summary>
    public List<(DirectoryInfo From, string To)> Directories { get; } = [];

    /// <summary>Empty folders standing in for the left-out ones.</summary>
    public List<string> StandIns { get; } = [];

    public List<(string From, string To)> Files { get; } = [];

    public List<(string Link, string Target)> Links { get; } = [];

    /// <summary>Bytes of the regular files to copy: what the copy takes on a fresh filesystem, besides metadata.</summary>
    public long Bytes { get; set; }
}
