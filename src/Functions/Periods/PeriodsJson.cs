using System.Text.Json;
using System.Text.Json.Serialization;

namespace Qcdc.Functions.Periods;

/// <summary>The periods API's answers. Source-generated; the app's composition adds it to the API's JSON options.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(PeriodsApi.PeriodList))]
[JsonSerializable(typeof(PeriodsApi.WindowList))]
public sealed partial class PeriodsJsonContext : JsonSerializerContext;
