using System.Text.Json.Nodes;
using Qcdc.Forms;

namespace Qcdc.Aggregation;

/// <summary>
/// The aggregation rules of an indicator, as pure functions over values in their JSON shapes: a number; a ratio
/// <c>{"numerator","denominator"}</c>; categories <c>{"a": n, "b": m}</c>; a boolean; text. Aggregated categories
/// gain <c>total</c>, aggregated ratios gain <c>value</c> (numerator ÷ denominator, never an average of percentages).
/// </summary>
public static class Aggregate
{
    /// <summary>Combines the values of the units of a subtree by the indicator's rule across the hierarchy.</summary>
    public static JsonNode? AcrossHierarchy(Indicator indicator, IEnumerable<JsonNode?> unitValues)
    {
        var values = unitValues.Where(v => v is not null).ToList();
        if (values.Count == 0 || indicator.AcrossHierarchy == HierarchyAggregation.None)
        {
            return null;
        }
        return indicator.AcrossHierarchy switch
        {
            HierarchyAggregation.Sum => Sum(indicator, values),
            HierarchyAggregation.RatioOfSums => RatioOfSums(values),
            HierarchyAggregation.Min => values.Select(Total).Min(),
            HierarchyAggregation.Max => values.Select(Total).Max(),
            _ => values.Select(Total).Average(),
        };
    }

    /// <summary>Combines the values of consecutive periods (oldest first) by the indicator's rule over time.</summary>
    public static JsonNode? OverTime(Indicator indicator, IReadOnlyList<JsonNode?> periodValues)
    {
        var values = periodValues.Where(v => v is not null).ToList();
        if (values.Count == 0 || indicator.OverTime == TimeAggregation.None)
        {
            return null;
        }
        return indicator.OverTime switch
        {
            TimeAggregation.Sum => indicator.Type == IndicatorType.Ratio ? RatioOfSums(values) : Sum(indicator, values),
            TimeAggregation.Last => values[^1]!.DeepClone(),
            TimeAggregation.Max => values.MaxBy(Total)!.DeepClone(),
            _ => values.Select(Total).Average(),
        };
    }

    /// <summary>The single number a value stands for: itself, its categories' sum, a ratio's quotient, 1 for true.</summary>
    public static decimal Total(JsonNode? node) => node switch
    {
        null => 0,
        JsonObject o when o["numerator"] is not null => Quotient(o) ?? 0,
        JsonObject o => o.Where(c => c.Key is not ("total" or "value")).Sum(c => c.Value!.AsNumber()),
        JsonValue v when v.TryGetValue<bool>(out var flag) => flag ? 1 : 0,
        JsonValue v => v.AsNumber(),
        _ => 0,
    };

    /// <summary>A JSON number as a decimal, whether it was parsed from text or built in memory from any numeric type.</summary>
    public static decimal AsNumber(this JsonNode node) => node is JsonValue v
        ? v.TryGetValue<decimal>(out var d) ? d
        : v.TryGetValue<long>(out var l) ? l
        : v.TryGetValue<int>(out var i) ? i
        : (decimal)v.GetValue<double>()
        : throw new InvalidOperationException($"Not a number: {node.ToJsonString()}");

    private static JsonNode Sum(Indicator indicator, List<JsonNode?> values)
    {
        if (indicator.Categories.Count == 0)
        {
            return JsonValue.Create(values.Sum(Total));
        }
        var result = new JsonObject();
        foreach (var category in indicator.Categories)
        {
            result[category.Code] = values.Sum(v => v is JsonObject o && o[category.Code] is { } n ? n.AsNumber() : 0m);
        }
        result["total"] = indicator.Categories.Sum(c => result[c.Code]!.AsNumber());
        return result;
    }

    private static JsonObject RatioOfSums(List<JsonNode?> values)
    {
        var numerator = values.Sum(v => v!["numerator"]!.AsNumber());
        var denominator = values.Sum(v => v!["denominator"]!.AsNumber());
        var ratio = new JsonObject { ["numerator"] = numerator, ["denominator"] = denominator };
        ratio["value"] = Quotient(ratio);
        return ratio;
    }

    private static decimal? Quotient(JsonObject ratio)
    {
        var denominator = ratio["denominator"]!.AsNumber();
        return denominator == 0 ? null : decimal.Round(ratio["numerator"]!.AsNumber() / denominator, 6);
    }
}
