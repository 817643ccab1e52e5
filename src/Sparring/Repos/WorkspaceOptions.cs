using System.Globalization;

namespace Sparring.Repos;

/// <summary>How workspaces are made. Validated by <see cref="Validate"/> before any workspace is.</summary>
public sealed record WorkspaceOptions
{
    /// <summary>The smallest default quota.</summary>
    public const long MinimumDefaultQuotaBytes = 1L << 30;

    /// <summary>
    /// Bytes the workspace (its tree and per-run state: results, per-run caches) may hold on its own tmpfs; a write
    /// past it fails inside the sandbox with ENOSPC. Null: max(1 GiB, 4 × the size of the copied tree). The tmpfs
    /// lives in memory, and the pages a command writes count against its sandbox's memory limit too.
    /// </summary>
    public long? DiskQuotaBytes { get; init; }

    /// <summary>
    /// Put the workspace on its own size-limited tmpfs (needs root; without it the workspace is a plain folder and
    /// <see cref="Workspace.DiskQuotaBytes"/> is null). False keeps it a plain folder on the cache's disk, with no quota:
    /// for environment preparation, which moves the prepared tree into the cache.
    /// </summary>
    public bool OwnFilesystem { get; init; } = true;

    /// <summary>Bytes the caller will add beside the tree (per-run cache copies), counted in the default quota.</summary>
    internal long AdditionalBytes { get; init; }

    /// <summary>The quota for a tree of <paramref name="treeBytes"/>: <see cref="DiskQuotaBytes"/>, else max(1 GiB, 4 × the tree).</summary>
    public long QuotaFor(long treeBytes) => DiskQuotaBytes ?? Math.Max(MinimumDefaultQuotaBytes, 4 * treeBytes);

    /// <summary>Throws <see cref="ArgumentException"/> with a message naming the bad option.</summary>
    public WorkspaceOptions Validate()
    {
        if (DiskQuotaBytes is < 1024 * 1024)
        {
            throw new ArgumentException($"{nameof(DiskQuotaBytes)} (--disk-quota) must be at least 1M, got {DiskQuotaBytes} bytes.");
        }

        return this;
    }

    /// <summary>A size for people: bytes in binary units, e.g. <c>512 MiB</c>, <c>1.5 GiB</c>.</summary>
    public static string FormatSize(long bytes)
    {
        string[] units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
        var value = (double)bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes")
            : string.Create(CultureInfo.InvariantCulture, $"{value:0.#} {units[unit]}");
    }
}
