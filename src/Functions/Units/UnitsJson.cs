using System.Text.Json;
using System.Text.Json.Serialization;

namespace Qcdc.Functions.Units;

/// <summary>The units API's bodies and answers. Source-generated; the app's composition adds it to the API's JSON options.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(UnitsApi.UnitList))]
[JsonSerializable(typeof(UnitsApi.UnitDetail))]
[JsonSerializable(typeof(Qcdc.Seeds.UnitFile))]
[JsonSerializable(typeof(Qcdc.Units.UnitImportResult))]
public sealed partial class UnitsJsonContext : JsonSerializerContext;
