using System.Text.Json.Nodes;
using Qcdc.Aggregation;
using Qcdc.Forms;
using Qcdc.Submissions;
using Qcdc.Units;

namespace Qcdc.Rollups;

/// <summary>One unit's report as a rollup reads it: no narratives, only what is aggregated and counted.</summary>
public sealed record ReportFigures(string Unit, SubmissionStatus Status, bool Late, JsonObject Values);

/// <summary>Who was expected to report under a unit, who did (on time or late) and who did not.</summary>
public sealed record Completeness(int Expected, int Submitted, int OnTime, int Late, IReadOnlyList<string> Missing);

/// <summary>The aggregate of every indicator over one unit's subtree, with its completeness.</summary>
public sealed record UnitRollup(string Unit, JsonObject Values, Completeness Completeness, IReadOnlyList<string>? Notes = null);

/// <summary>
/// A quarterly rollup: for every unit of the hierarchy valid at the period's end, each indicator aggregated over
/// its subtree by the indicator's rule across the hierarchy, and completeness. Pure: the same inputs give the
/// same answer.
/// </summary>
public static class RollupCalculator
{
    public static IReadOnlyList<SubmissionStatus> DefaultCountedStatuses { get; } = [SubmissionStatus.Submitted, SubmissionStatus.Approved];

    public static IReadOnlyList<UnitRollup> Compute(
        FormDefinition form, DateOnly periodEnd, UnitHierarchy hierarchy, IEnumerable<ReportFigures> reports, IReadOnlyCollection<SubmissionStatus> counted)
    {
        var counting = reports.Where(r => counted.Contains(r.Status)).ToDictionary(r => r.Unit, StringComparer.Ordinal);
        var rollups = new List<UnitRollup>();
        foreach (var root in hierarchy.RootsAsOf(periodEnd))
        {
            foreach (var unit in hierarchy.SubtreeAsOf(root.Code, periodEnd))
            {
                var subtree = hierarchy.SubtreeAsOf(unit.Code, periodEnd);
                var expected = subtree.Where(u => form.AppliesTo(u.Kind)).Select(u => u.Code).ToList();
                var received = expected.Where(counting.ContainsKey).Select(c => counting[c]).ToList();
                var values = new JsonObject();
                foreach (var indicator in form.Indicators)
                {
                    if (Aggregate.AcrossHierarchy(indicator, received.Select(r => r.Values[indicator.Code])) is { } value)
                    {
                        values[indicator.Code] = value;
                    }
                }
                var late = received.Count(r => r.Late);
                rollups.Add(new UnitRollup(unit.Code, values, new Completeness(
                    expected.Count, received.Count, received.Count - late, late,
                    [.. expected.Where(c => !counting.ContainsKey(c)).Order(StringComparer.Ordinal)])));
            }
        }
        return rollups;
    }
}
