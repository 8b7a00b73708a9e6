using System.Runtime.CompilerServices;
using Qcdc.Forms;
using Qcdc.Periods;
using Qcdc.Submissions;
using Qcdc.Units;

namespace Qcdc.Rollups;

/// <summary>
/// Computes a quarter's rollup in typed arrays: the hierarchy at the quarter's end laid out parents first, each
/// report's numbers read straight into its unit's slots as the scan delivers them, then one pass from the leaves
/// up that aggregates every slot by its indicator's rule across the hierarchy and sums completeness.
/// </summary>
public sealed class QuarterRollupBuilder
{
    private readonly RollupSchema _schema;
    private readonly IReadOnlyCollection<SubmissionStatus> _counted;
    private readonly Dictionary<string, int> _index;
    private readonly string[] _units;
    private readonly int[] _parents;
    private readonly bool[] _expected;
    private readonly ReportState[] _states;
    private readonly bool[] _late;
    private readonly DateTimeOffset?[] _submittedAt;
    private readonly Int128[] _own;
    private readonly bool[] _ownPresent;

    public QuarterRollupBuilder(RollupSchema schema, UnitHierarchy hierarchy, Period quarter, Func<string, bool> applies, IReadOnlyCollection<SubmissionStatus> counted)
    {
        _schema = schema;
        _counted = counted;
        var order = new List<Unit>();
        foreach (var root in hierarchy.RootsAsOf(quarter.End))
        {
            order.AddRange(hierarchy.SubtreeAsOf(root.Code, quarter.End));
        }
        _units = [.. order.Select(u => u.Code)];
        _index = _units.Select((code, i) => (code, i)).ToDictionary(p => p.code, p => p.i, StringComparer.Ordinal);
        _parents = [.. order.Select(u => u.Parent is { } parent && _index.TryGetValue(parent, out var p) ? p : -1)];
        _expected = [.. order.Select(u => applies(u.Kind))];
        var n = _units.Length;
        _states = new ReportState[n];
        _late = new bool[n];
        _submittedAt = new DateTimeOffset?[n];
        _own = new Int128[n * schema.SlotCount];
        _ownPresent = new bool[n * schema.SlotCount];
    }

    public int UnitCount => _units.Length;

    /// <summary>Adds one report as the scan delivers it; a report of a unit not in the quarter's hierarchy is ignored.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(string unit, SubmissionStatus status, bool late, DateTimeOffset? submittedAt, ReadOnlySpan<byte> numbersJson)
    {
        if (!_index.TryGetValue(unit, out var u))
        {
            return;
        }
        _states[u] = status switch
        {
            SubmissionStatus.Draft => ReportState.Draft,
            SubmissionStatus.Submitted => ReportState.Submitted,
            SubmissionStatus.Approved => ReportState.Approved,
            SubmissionStatus.Returned => ReportState.Returned,
        };
        _late[u] = late;
        _submittedAt[u] = submittedAt;
        if (_counted.Contains(status) && _expected[u])
        {
            var slots = _schema.SlotCount;
            _schema.Read(numbersJson, _own.AsSpan(u * slots, slots), _ownPresent.AsSpan(u * slots, slots));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public RollupSnapshot Build(string form, string period, DateTimeOffset computedAt, string stamp, bool final)
    {
        var n = _units.Length;
        var slots = _schema.SlotCount;
        var counted = new bool[n];
        int[] expected = new int[n], reported = new int[n], onTime = new int[n], late = new int[n];
        for (var u = 0; u < n; u++)
        {
            counted[u] = _expected[u] && _states[u] != ReportState.Missing && _counted.Contains(Status(_states[u]));
            expected[u] = _expected[u] ? 1 : 0;
            reported[u] = counted[u] ? 1 : 0;
            late[u] = counted[u] && _late[u] ? 1 : 0;
            onTime[u] = counted[u] && !_late[u] ? 1 : 0;
        }
        var aggregate = (Int128[])_own.Clone();
        var present = (bool[])_ownPresent.Clone();
        var rules = SlotRules(_schema);
        var counts = new int[n * slots];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = present[i] ? 1 : 0;
        }
        // Children come after their parents: from the last unit back, each adds itself into its parent.
        for (var u = n - 1; u >= 0; u--)
        {
            var p = _parents[u];
            if (p < 0)
            {
                continue;
            }
            expected[p] += expected[u];
            reported[p] += reported[u];
            onTime[p] += onTime[u];
            late[p] += late[u];
            Combine(rules, aggregate, present, counts, from: u * slots, into: p * slots);
        }
        FinishAverages(rules, aggregate, present, counts, n);
        return new RollupSnapshot
        {
            Form = form,
            Period = period,
            IsQuarter = true,
            ComputedAt = computedAt,
            Stamp = stamp,
            Final = final,
            Schema = _schema,
            Units = _units,
            Parents = _parents,
            States = _states,
            Expected = _expected,
            Counted = counted,
            Late = _late,
            SubmittedAt = _submittedAt,
            Own = _own,
            OwnPresent = _ownPresent,
            Aggregate = aggregate,
            AggregatePresent = present,
            ExpectedCount = expected,
            ReportedCount = reported,
            OnTimeCount = onTime,
            LateCount = late,
        };
    }

    private static SubmissionStatus Status(ReportState state) => state switch
    {
        ReportState.Draft => SubmissionStatus.Draft,
        ReportState.Submitted => SubmissionStatus.Submitted,
        ReportState.Approved => SubmissionStatus.Approved,
        ReportState.Returned => SubmissionStatus.Returned,
        ReportState.Missing => SubmissionStatus.Draft,
    };

    /// <summary>The rule across the hierarchy of every slot.</summary>
    internal static HierarchyAggregation[] SlotRules(RollupSchema schema)
    {
        var rules = new HierarchyAggregation[schema.SlotCount];
        foreach (var indicator in schema.Indicators)
        {
            for (var s = indicator.FirstSlot; s < indicator.FirstSlot + indicator.SlotCount; s++)
            {
                rules[s] = indicator.Indicator.AcrossHierarchy;
            }
        }
        return rules;
    }

    /// <summary>Adds one unit's numbers into another's, slot by slot, by each slot's rule across the hierarchy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Combine(HierarchyAggregation[] rules, Int128[] values, bool[] present, int[] counts, int from, int into)
    {
        for (var s = 0; s < rules.Length; s++)
        {
            if (!present[from + s])
            {
                continue;
            }
            var value = values[from + s];
            if (!present[into + s])
            {
                if (rules[s] == HierarchyAggregation.None)
                {
                    continue;
                }
                values[into + s] = value;
                present[into + s] = true;
                counts[into + s] = counts[from + s];
                continue;
            }
            switch (rules[s])
            {
                case HierarchyAggregation.Sum or HierarchyAggregation.RatioOfSums:
                    values[into + s] += value;
                    break;
                case HierarchyAggregation.Min:
                    values[into + s] = Int128.Min(values[into + s], value);
                    break;
                case HierarchyAggregation.Max:
                    values[into + s] = Int128.Max(values[into + s], value);
                    break;
                case HierarchyAggregation.AverageOfUnits:
                    values[into + s] += value;
                    counts[into + s] += counts[from + s];
                    break;
                case HierarchyAggregation.None:
                    break;
            }
        }
    }

    /// <summary>Average-of-units slots hold sums while the pass goes up; divided once at the end.</summary>
    internal static void FinishAverages(HierarchyAggregation[] rules, Int128[] values, bool[] present, int[] counts, int units)
    {
        var slots = rules.Length;
        for (var s = 0; s < slots; s++)
        {
            if (rules[s] != HierarchyAggregation.AverageOfUnits)
            {
                continue;
            }
            for (var u = 0; u < units; u++)
            {
                var i = u * slots + s;
                if (present[i] && counts[i] > 1)
                {
                    values[i] = Micro.Divide(values[i], counts[i]);
                }
            }
        }
    }
}
