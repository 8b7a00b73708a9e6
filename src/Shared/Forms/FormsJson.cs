using System.Text.Json;
using System.Text.Json.Serialization;
using Qcdc.Json;

namespace Qcdc.Forms;

/// <summary>The JSON the forms keep: a form version's definition and its value bounds per unit kind.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(FormDefinition))]
[JsonSerializable(typeof(Dictionary<string, Dictionary<string, ValueBounds>>))]
internal sealed partial class FormsJsonContext : JsonSerializerContext
{
    /// <summary>The types with the shared conventions (<see cref="QcdcJson.Configure"/>).</summary>
    public static FormsJsonContext Shared { get; } = new(QcdcJson.Configure(new JsonSerializerOptions()));
}
