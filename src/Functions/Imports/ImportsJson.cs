using System.Text.Json;
using System.Text.Json.Serialization;

namespace Qcdc.Functions.Imports;

/// <summary>The imports API's answer. Source-generated; the app's composition adds it to the API's JSON options.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ImportsApi.OutcomeView))]
public sealed partial class ImportsJsonContext : JsonSerializerContext;
