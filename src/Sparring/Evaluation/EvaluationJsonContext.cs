using System.Text.Json.Serialization;
using Sparring.Training;

namespace Sparring.Evaluation;

/// <summary>Journal lines and predictions, compact.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EvalSample))]
[JsonSerializable(typeof(EvalSelection))]
[JsonSerializable(typeof(SweBenchPrediction))]
internal sealed partial class EvaluationJsonContext : JsonSerializerContext;
