using System.Text.Json;
using System.Text.Json.Serialization;
using Qcdc.Json;

namespace Qcdc.Seeds;

/// <summary>The seed files: units, forms, demo reports.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(UnitFile))]
[JsonSerializable(typeof(FormFile))]
[JsonSerializable(typeof(DemoReportFile))]
internal sealed partial class SeedsJsonContext : JsonSerializerContext
{
    /// <summary>The types with the shared conventions (<see cref="QcdcJson.Configure"/>).</summary>
    public static SeedsJsonContext Shared { get; } = new(QcdcJson.Configure(new JsonSerializerOptions()));
}
