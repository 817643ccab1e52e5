using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sparring.Grading;

/// <summary>
/// What grading concluded about a patch. <see cref="Tampered"/> is its own outcome: the run showed that code under
/// test changed what the test machinery reports (a canary test that must fail did not), which a trainer may want
/// to penalise harder than a plain failure. Rewards count it as a failure.
/// </summary>
[JsonConverter(typeof(GradeOutcomeJsonConverter))]
public readonly record struct GradeOutcome(string Value)
{
    /// <summary>Every baseline-passing test passes and no defence objected.</summary>
    public static GradeOutcome Solved { get; } = new("solved");

    /// <summary>Not solved: a test fails, the patch does not apply, the suite did not run, and so on.</summary>
    public static GradeOutcome Unsolved { get; } = new("unsolved");

    /// <summary>Not solved, and the run's results were falsified by code the patch controls.</summary>
    public static GradeOutcome Tampered { get; } = new("tampered");

    public override string ToString() => Value;

    /// <summary>Reads a stored outcome; anything unknown (or null, from before outcomes were stored) falls back to solved/unsolved.</summary>
    public static GradeOutcome Parse(string? value, bool solved) =>
        value == Tampered.Value ? Tampered : solved ? Solved : Unsolved;
}

/// <summary>Writes <see cref="GradeOutcome"/> as its plain string.</summary>
public sealed class GradeOutcomeJsonConverter : JsonConverter<GradeOutcome>
{
    public override GradeOutcome Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => new(reader.GetString() ?? "");

    public override void Write(Utf8JsonWriter writer, GradeOutcome value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
}
