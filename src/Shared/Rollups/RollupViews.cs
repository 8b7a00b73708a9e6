using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Qcdc.Forms;
using Qcdc.Json;
using Qcdc.Localization;
using Qcdc.Units;

namespace Qcdc.Rollups;

/// <summary>When a unit existed, and what it became or came from: the answer about a unit outside a period.</summary>
public sealed record UnitExistence(string Code, string Name, DateOnly ValidFrom, DateOnly? ValidTo, IReadOnlyList<string> Successors, IReadOnlyList<string> Predecessors)
{
    public static UnitExistence Of(Unit unit, UnitHierarchy hierarchy) => new(unit.Code, unit.Name, unit.ValidFrom, unit.ValidTo,
        [.. unit.Successors.Select(s => s.Code)], [.. hierarchy.Predecessors(unit.Code).Select(p => p.Code)]);
}

/// <summary>Reports expected and counted under a unit, with the missing ones named.</summary>
public sealed record CompletenessSummary(int Expected, int Submitted, int OnTime, int Late, IReadOnlyList<string> Missing);

/// <summary>One unit's rollup as the API, the exports and the pages show it.</summary>
public sealed record UnitRollup(
    string Form, string Period, string Unit, string? UnitName, JsonObject Values, CompletenessSummary Completeness,
    DateTimeOffset ComputedAt, string ChangeStamp, IReadOnlyList<int> FormVersions, bool Stale, bool Final, bool Apportioned,
    IReadOnlyList<LocalizedText> Notes, IReadOnlyList<string> Carried);

[JsonConverter(typeof(KebabCaseEnumConverter<CompletenessStatus>))]
public enum CompletenessStatus
{
    Missing,
    Draft,
    Submitted,
    Returned,
    Approved,
    /// <summary>A longer period: every quarter the unit was expected to report was reported.</summary>
    Complete,
    /// <summary>A longer period: some of its quarters were reported.</summary>
    Partial,
}

/// <summary>A reporting unit expected under the unit asked about, and where its report stands.</summary>
public sealed record CompletenessEntry(
    string Unit, string? Name, string? Kind, CompletenessStatus Status, DateTimeOffset? SubmittedAt, bool? Late,
    int? QuartersExpected = null, int? QuartersReported = null);

/// <summary>
/// The reporting rate of a unit's subtree (DHIS2's reporting-rate summary) and, for a quarter, how many of the values
/// the expected reports should hold are filled (every number of the form version: a value, a category, each side of a
/// ratio; a missing report fills none).
/// </summary>
public sealed record ReportingRate(
    string Unit, string? Name, int Expected, int Reported, int OnTime, decimal Rate, decimal RateOnTime,
    int? ValuesExpected = null, int? ValuesFilled = null, decimal? ValuesRate = null);

public sealed record CompletenessListing(
    string Form, string Period, string Unit, DateTimeOffset ComputedAt, bool Stale, IReadOnlyList<CompletenessEntry> Units,
    ReportingRate Total, IReadOnlyList<ReportingRate> Children);

/// <summary>Turns a snapshot into what people see: one unit's totals, or the completeness of its subtree.</summary>
public static class RollupViews
{
    public static UnitRollup ForUnit(RollupRead read, string unit, UnitHierarchy hierarchy)
    {
        var snapshot = read.Snapshot;
        var u = snapshot.IndexOf(unit);
        var slots = snapshot.Schema.SlotCount;
        var apportioned = !snapshot.IsQuarter && snapshot.Apportioned[u];
        var values = snapshot.Schema.ToJson(snapshot.Aggregate.AsSpan(u * slots, slots), snapshot.AggregatePresent.AsSpan(u * slots, slots),
            apportioned ? Rounded : null);
        var notes = new List<LocalizedText>(snapshot.Notes.GetValueOrDefault(u) ?? []);
        notes.AddRange(snapshot.Schema.Notes);
        if (apportioned)
        {
            notes.Add(RollupTexts.Apportioned);
        }
        var carried = snapshot.IsQuarter
            ? []
            : snapshot.Schema.Indicators.Where(i => Enumerable.Range(i.FirstSlot, i.SlotCount).Any(s => snapshot.Carried[u * slots + s] && snapshot.AggregatePresent[u * slots + s]))
                .Select(i => i.Indicator.Code).ToList();
        var missing = snapshot.SubtreeOf(u).Where(x => snapshot.IsQuarter
                ? snapshot.Expected[x] && !snapshot.Counted[x]
                : snapshot.OwnQuartersExpected[x] > snapshot.OwnQuartersReported[x])
            .Select(x => snapshot.Units[x]).Order(StringComparer.Ordinal).ToList();
        return new UnitRollup(snapshot.Form, snapshot.Period, unit, hierarchy.Find(unit)?.Name, values,
            new CompletenessSummary(snapshot.ExpectedCount[u], snapshot.ReportedCount[u], snapshot.OnTimeCount[u], snapshot.LateCount[u], missing),
            snapshot.ComputedAt, snapshot.Stamp, snapshot.Schema.Versions, read.Stale, snapshot.Final, apportioned, notes, carried);
    }

    public static CompletenessListing Completeness(RollupRead read, string unit, UnitHierarchy hierarchy)
    {
        var snapshot = read.Snapshot;
        var u = snapshot.IndexOf(unit);
        var entries = new List<CompletenessEntry>();
        foreach (var x in snapshot.SubtreeOf(u).OrderBy(x => snapshot.Units[x], StringComparer.Ordinal))
        {
            var code = snapshot.Units[x];
            var known = hierarchy.Find(code);
            if (snapshot.IsQuarter)
            {
                if (!snapshot.Expected[x])
                {
                    continue;
                }
                var status = snapshot.States[x] switch
                {
                    ReportState.Missing => CompletenessStatus.Missing,
                    ReportState.Draft => CompletenessStatus.Draft,
                    ReportState.Submitted => CompletenessStatus.Submitted,
                    ReportState.Returned => CompletenessStatus.Returned,
                    ReportState.Approved => CompletenessStatus.Approved,
                };
                var sent = snapshot.States[x] is ReportState.Submitted or ReportState.Approved;
                entries.Add(new CompletenessEntry(code, known?.Name, known?.Kind, status, sent ? snapshot.SubmittedAt[x] : null, sent ? snapshot.Late[x] : null));
            }
            else if (snapshot.OwnQuartersExpected[x] > 0)
            {
                var (expected, reported) = (snapshot.OwnQuartersExpected[x], snapshot.OwnQuartersReported[x]);
                var status = reported == 0 ? CompletenessStatus.Missing : reported < expected ? CompletenessStatus.Partial : CompletenessStatus.Complete;
                entries.Add(new CompletenessEntry(code, known?.Name, known?.Kind, status, null, null, expected, reported));
            }
        }
        var children = snapshot.ChildrenOf(u).OrderBy(c => snapshot.Units[c], StringComparer.Ordinal)
            .Where(c => snapshot.ExpectedCount[c] > 0)
            .Select(c => Rate(snapshot, c, hierarchy)).ToList();
        return new CompletenessListing(snapshot.Form, snapshot.Period, unit, snapshot.ComputedAt, read.Stale, entries, Rate(snapshot, u, hierarchy), children);
    }

    private static ReportingRate Rate(RollupSnapshot snapshot, int u, UnitHierarchy hierarchy)
    {
        var expected = snapshot.ExpectedCount[u];
        decimal Share(int count) => expected == 0 ? 0 : decimal.Round((decimal)count / expected, 4);
        var rate = new ReportingRate(snapshot.Units[u], hierarchy.Find(snapshot.Units[u])?.Name, expected, snapshot.ReportedCount[u], snapshot.OnTimeCount[u],
            Share(snapshot.ReportedCount[u]), Share(snapshot.OnTimeCount[u]));
        if (!snapshot.IsQuarter || snapshot.OwnPresent.Length == 0)
        {
            return rate;
        }
        var slots = snapshot.Schema.SlotCount;
        // A unit is expected the values its kind is asked (the form's applicability), not every cell of the form.
        var asked = new Dictionary<string, bool[]>(StringComparer.Ordinal);
        bool[] AskedOf(string kind)
        {
            if (!asked.TryGetValue(kind, out var mask))
            {
                mask = [.. snapshot.Schema.Slots.Select(slot => snapshot.Schema.Find(slot.Indicator) is not { } found || (found.Indicator.AppliesToKind(kind)
                    && (slot.Category is not { } category || found.Indicator.Categories.FirstOrDefault(c => c.Code == category)?.AppliesToKind(kind) != false)))];
                asked[kind] = mask;
            }
            return mask;
        }
        int valuesExpected = 0, valuesFilled = 0;
        foreach (var x in snapshot.SubtreeOf(u))
        {
            if (!snapshot.Expected[x])
            {
                continue;
            }
            var mask = AskedOf(hierarchy.Find(snapshot.Units[x])?.Kind ?? "");
            var own = snapshot.OwnPresent.AsSpan(x * slots, slots);
            for (var s = 0; s < slots; s++)
            {
                if (mask[s])
                {
                    valuesExpected++;
                    valuesFilled += snapshot.Counted[x] && own[s] ? 1 : 0;
                }
            }
        }
        return rate with
        {
            ValuesExpected = valuesExpected, ValuesFilled = valuesFilled,
            ValuesRate = valuesExpected == 0 ? 0 : decimal.Round((decimal)valuesFilled / valuesExpected, 4),
        };
    }

    /// <summary>An apportioned figure at the indicator's precision: whole numbers for counts, the form's decimals otherwise.</summary>
    public static decimal Rounded(RollupIndicator indicator, decimal value) => indicator.Indicator.Type switch
    {
        IndicatorType.Integer or IndicatorType.Boolean or IndicatorType.Ratio => decimal.Round(value, 0, MidpointRounding.AwayFromZero),
        IndicatorType.Money => decimal.Round(value, indicator.Indicator.DecimalPlaces ?? 0, MidpointRounding.AwayFromZero),
        IndicatorType.Decimal or IndicatorType.Text => decimal.Round(value, indicator.Indicator.DecimalPlaces ?? 6, MidpointRounding.AwayFromZero),
    };
}
