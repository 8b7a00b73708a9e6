using System.Text.Json;
using System.Text.Json.Serialization;
using Qcdc.Json;

namespace Qcdc.Rollups;

/// <summary>The JSON header of a rollup snapshot.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SnapshotHeader))]
internal sealed partial class RollupsJsonContext : JsonSerializerContext
{
    /// <summary>The types with the shared conventions (<see cref="QcdcJson.Configure"/>).</summary>
    public static RollupsJsonContext Shared { get; } = new(QcdcJson.Configure(new JsonSerializerOptions()));
}
