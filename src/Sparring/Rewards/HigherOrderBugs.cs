using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Sparring.Artifacts;

namespace Sparring.Rewards;

/// <summary>Higher-order bugs (spec §1.2): a failed solver attempt on a bug is itself a new bug, up to order 2.</summary>
public static class HigherOrderBugs
{
    /// <summary>The highest order SSR makes.</summary>
    public const int MaxOrder = 2;

    /// <summary>
    /// The order-2 artifact made from a failed attempt <paramref name="predPatch"/> on the order-1 <paramref name="artifact"/>:
    /// the same five files plus <c>pred_patch.diff</c>, strategy <c>higher-order</c>, the parent's id recorded.
    /// The caller is expected to have graded the attempt unsolved; the new artifact has no validation report yet.
    /// </summary>
    /// <exception cref="InvalidOperationException">The artifact is already of order 2 (or higher).</exception>
    /// <exception cref="ArgumentException">The patch is empty.</exception>
    public static BugArtifact FromFailedAttempt(BugArtifact artifact, string predPatch, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        ArgumentNullException.ThrowIfNull(predPatch);
        if (artifact.Metadata.Order >= MaxOrder || artifact.PredPatch is not null)
        {
            throw new InvalidOperationException($"Artifact '{artifact.Metadata.Id}' is of order {artifact.Metadata.Order}; higher-order bugs stop at order {MaxOrder}.");
        }

        if (string.IsNullOrWhiteSpace(predPatch))
        {
            throw new ArgumentException("A failed attempt with an empty patch adds nothing to the bug.", nameof(predPatch));
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(predPatch)))[..12];
        return artifact with
        {
            PredPatch = predPatch.EndsWith('\n') ? predPatch : predPatch + "\n",
            Metadata = artifact.Metadata with
            {
                Id = string.Create(CultureInfo.InvariantCulture, $"{artifact.Metadata.Id}-o2-{hash}"),
                Strategy = "higher-order",
                Order = MaxOrder,
                Parent = artifact.Metadata.Id,
                CreatedAt = (time ?? TimeProvider.System).GetUtcNow(),
                Validation = null,
            },
        };
    }
}
