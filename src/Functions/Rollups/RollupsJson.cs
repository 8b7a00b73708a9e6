using System.Text.Json;
using System.Text.Json.Serialization;

namespace Qcdc.Functions.Rollups;

/// <summary>The rollups API's answers. Source-generated; the app's composition adds it to the API's JSON options.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Qcdc.Rollups.UnitRollup))]
[JsonSerializable(typeof(Qcdc.Rollups.Reconciliation))]
[JsonSerializable(typeof(Qcdc.Rollups.CompletenessListing))]
[JsonSerializable(typeof(RollupsApi.RunRequest))]
[JsonSerializable(typeof(Qcdc.Rollups.RollupSummary))]
[JsonSerializable(typeof(Qcdc.Rollups.UnitExistence))]
public sealed partial class RollupsJsonContext : JsonSerializerContext;
