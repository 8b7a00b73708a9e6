using System.Text.Json;
using System.Text.Json.Serialization;
using Qcdc.Json;

namespace Qcdc.Units;

/// <summary>The JSON a unit row keeps: its successors after a reform.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(List<Successor>))]
internal sealed partial class UnitsJsonContext : JsonSerializerContext
{
    /// <summary>The types with the shared conventions (<see cref="QcdcJson.Configure"/>).</summary>
    public static UnitsJsonContext Shared { get; } = new(QcdcJson.Configure(new JsonSerializerOptions()));
}
