using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sparring.Training.Internal;

/// <summary>Writes <see cref="LossAggregation"/> as its plain string; unknown modes survive a round trip.</summary>
internal sealed class LossAggregationJsonConverter : JsonConverter<LossAggregation>
{
    public override LossAggregation Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new(reader.GetString() ?? throw new JsonException("A loss aggregation mode must be a string."));

    public override void Write(Utf8JsonWriter writer, LossAggregation value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}
