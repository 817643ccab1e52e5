using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sparring.Testing;

/// <summary>
/// The outcome of one test. An extensible string value: the well-known values are
/// <see cref="Passed"/>, <see cref="Failed"/>, <see cref="Skipped"/> and <see cref="Error"/>;
/// any other string a third-party parser prints survives a round trip unchanged.
/// </summary>
[JsonConverter(typeof(TestStatusJsonConverter))]
public readonly record struct TestStatus
{
    public static TestStatus Passed { get; } = new("passed");
    public static TestStatus Failed { get; } = new("failed");
    public static TestStatus Skipped { get; } = new("skipped");
    /// <summary>The test could not run (collection error, setup failure, crash).</summary>
    public static TestStatus Error { get; } = new("error");

    public TestStatus(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        Value = value.Trim().ToLowerInvariant();
    }

    public string Value { get; }

    /// <summary>Maps common synonyms (PASS, ok, success, xfail, …) onto the well-known values.</summary>
    public static TestStatus Normalize(string raw)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(raw);
        return raw.Trim().ToLowerInvariant() switch
        {
            "passed" or "pass" or "ok" or "success" or "succeeded" or "xpassed" => Passed,
            "failed" or "fail" or "failure" or "not ok" or "xpass-strict" => Failed,
            "skipped" or "skip" or "ignored" or "pending" or "todo" or "notexecuted" or "xfail" or "xfailed" => Skipped,
            "error" or "errored" or "aborted" or "timeout" => Error,
            var other => new TestStatus(other),
        };
    }

    public override string ToString() => Value ?? "";
}

internal sealed class TestStatusJsonConverter : JsonConverter<TestStatus>
{
    public override TestStatus Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new(reader.GetString() ?? throw new JsonException("A test status must be a string."));

    public override void Write(Utf8JsonWriter writer, TestStatus value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}
