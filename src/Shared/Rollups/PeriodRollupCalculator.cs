using System.Text.Json.Nodes;
using Qcdc.Aggregation;
using Qcdc.Forms;
using Qcdc.Periods;
using Qcdc.Units;

namespace Qcdc.Rollups;

/// <summary>A multi-quarter rollup of one unit, and what it had to assume about reorganised units.</summary>
public sealed record PeriodRollup(JsonObject Values, IReadOnlyList<string> Notes);

/// <summary>
/// Half-year, annual and five-year rollups, computed from quarterly rollups only. For the quarters before a unit
/// existed, its predecessors count: merged units whole; split units' flows apportioned by the successor's share,
/// their stocks and ratios whole to the first successor (and the answer says so). A unit that ended shows data up
/// to its end. Each indicator's quarters are then combined by its rule over time.
/// </summary>
public static class PeriodRollupCalculator
{
    public static PeriodRollup Compute(
        FormDefinition form, Period period, string unit, UnitHierarchy hierarchy, Func<string, Period, JsonObject?> quarterly)
    {
        var notes = new SortedSet<string>(StringComparer.Ordinal);
        var quarters = new List<JsonObject?>();
        foreach (var quarter in period.Quarters())
        {
            var contributions = new List<Contribution>();
            Collect(unit, quarter, 1m, 1m, hierarchy, quarterly, contributions, notes, []);
            quarters.Add(contributions.Count == 0 ? null : Combine(form, contributions));
        }
        var values = new JsonObject();
        foreach (var indicator in form.Indicators)
        {
            if (Aggregate.OverTime(indicator, [.. quarters.Select(q => q?[indicator.Code])]) is { } value)
            {
                values[indicator.Code] = value;
            }
        }
        return new PeriodRollup(values, [.. notes]);
    }

    private sealed record Contribution(JsonObject Values, decimal FlowWeight, decimal StockWeight);

    private static void Collect(
        string code, Period quarter, decimal flowWeight, decimal stockWeight, UnitHierarchy hierarchy,
        Func<string, Period, JsonObject?> quarterly, List<Contribution> contributions, SortedSet<string> notes, HashSet<string> seen)
    {
        if (hierarchy.Find(code) is not { } unit || !seen.Add(code) || (flowWeight == 0 && stockWeight == 0))
        {
            return;
        }
        if (unit.IsActiveOn(quarter.End))
        {
            if (quarterly(code, quarter) is { } values)
            {
                contributions.Add(new Contribution(values, flowWeight, stockWeight));
            }
            return;
        }
        if (quarter.End > unit.ValidTo)
        {
            return; // ended: nothing after its end
        }
        foreach (var predecessor in hierarchy.Predecessors(code))
        {
            var link = predecessor.Successors.First(s => s.Code == code);
            var first = predecessor.Successors[0].Code == code;
            var flowShare = link.Share ?? (first ? 1m : 0m);
            if (link.Share is not null)
            {
                notes.Add($"{predecessor.Code} was split: its flows count {link.Share:0.####} here; its stocks and ratios count whole in {predecessor.Successors[0].Code}.");
            }
            Collect(predecessor.Code, quarter, flowWeight * flowShare, first ? stockWeight : 0m, hierarchy, quarterly, contributions, notes, [.. seen]);
        }
    }

    private static JsonObject Combine(FormDefinition form, List<Contribution> contributions)
    {
        if (contributions is [{ FlowWeight: 1m, StockWeight: 1m } only])
        {
            return only.Values;
        }
        var combined = new JsonObject();
        foreach (var indicator in form.Indicators)
        {
            var isFlow = indicator.OverTime == TimeAggregation.Sum && indicator.AcrossHierarchy == HierarchyAggregation.Sum;
            var values = contributions
                .Select(c => Scale(c.Values[indicator.Code], isFlow ? c.FlowWeight : c.StockWeight))
                .Where(v => v is not null)
                .ToList();
            if (Aggregate.AcrossHierarchy(indicator, values) is { } value)
            {
                combined[indicator.Code] = value;
            }
        }
        return combined;
    }

    private static JsonNode? Scale(JsonNode? value, decimal weight) => value switch
    {
        null => null,
        _ when weight == 0 => null,
        _ when weight == 1 => value.DeepClone(),
        JsonValue number when number.GetValueKind() == System.Text.Json.JsonValueKind.Number => JsonValue.Create(decimal.Round(number.AsNumber() * weight, 6)),
        JsonObject categories when categories["numerator"] is null => new JsonObject(categories
            .Where(c => c.Key != "total")
            .Select(c => KeyValuePair.Create(c.Key, (JsonNode?)JsonValue.Create(decimal.Round(c.Value!.AsNumber() * weight, 6))))),
        _ => value.DeepClone(),
    };
}
