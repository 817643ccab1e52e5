using System.Text.Json.Serialization;

namespace Sparring.Store;

/// <summary>Source-generated JSON for <see cref="StoreLocation"/>.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(StoreLocation))]
internal sealed partial class StoreJsonContext : JsonSerializerContext;
