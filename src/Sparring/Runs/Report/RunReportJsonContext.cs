using System.Text.Json.Serialization;
using Sparring.Runs;

namespace Sparring.Runs.Report;

/// <summary>The run summary as the report embeds it: compact, with the default (HTML-safe) encoder.</summary>
/// <remarks>Named floating-point literals are allowed because a mean over nothing is NaN, and a report must still
/// render for a run that produced no valid bug; the page's script treats <c>"NaN"</c> as a missing value.</remarks>
[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(RunSummary))]
internal sealed partial class RunReportJsonContext : JsonSerializerContext;
