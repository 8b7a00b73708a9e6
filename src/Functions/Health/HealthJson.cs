using System.Text.Json;
using System.Text.Json.Serialization;

namespace Qcdc.Functions.Health;

/// <summary>The health answer. Source-generated; the app's composition adds it to the API's JSON options.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(HealthApi.HealthReport))]
public sealed partial class HealthJsonContext : JsonSerializerContext;
