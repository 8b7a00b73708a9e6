using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Qcdc.Json;

/// <summary>A JSON number as a decimal, whatever made the node (a parsed document, a long, a decimal).</summary>
public static class JsonNumbers
{
    public static decimal? ToDecimal(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number
        && decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? number : null;
}
