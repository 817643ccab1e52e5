using System.Text.Json.Serialization;
using Sparring.Training.Internal;

namespace Sparring.Training;

/// <summary>
/// How the trainer reduces per-token losses to one number (verl's <c>loss_agg_mode</c>). Sparring does not
/// compute the loss; it records the mode with each <see cref="AdvantageBatch"/> so a batch says how it is meant
/// to be consumed. An extensible string value: any other mode a trainer knows survives a round trip.
/// </summary>
[JsonConverter(typeof(LossAggregationJsonConverter))]
public readonly record struct LossAggregation
{
    /// <summary>Average over every unmasked token of the batch (DAPO, Dr. GRPO): long sequences weigh by their length.</summary>
    public static LossAggregation TokenMean { get; } = new("token-mean");

    /// <summary>Sum over each sequence's tokens, then average over sequences.</summary>
    public static LossAggregation SeqMeanTokenSum { get; } = new("seq-mean-token-sum");

    /// <summary>Average over each sequence's tokens, then over sequences (the original GRPO).</summary>
    public static LossAggregation SeqMeanTokenMean { get; } = new("seq-mean-token-mean");

    /// <param name="value">The mode's name, kept verbatim.</param>
    public LossAggregation(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        Value = value;
    }

    public string Value { get; }

    public override string ToString() => Value ?? "";
}
