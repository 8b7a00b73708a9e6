using System.Runtime.CompilerServices;
using Qcdc.Forms;
using Qcdc.Localization;
using Qcdc.Periods;
using Qcdc.Units;

namespace Qcdc.Rollups;

/// <summary>
/// A half-year, year, five-year or named window, computed from its quarters' snapshots only, one quarter at a time,
/// each taken as it is stored (<see cref="IQuarterVisitor"/>): nothing of a quarter is kept once it has been added.
/// <list type="bullet">
/// <item>Flows (summed over time) add up each unit's quarterly aggregates; for quarters before a unit existed its
/// predecessors count — a merged one whole, a split one by the successor's share.</item>
/// <item>Stocks and the other rules over time go per reporting unit first: each unit's own figures over the
/// quarters (a merged or split predecessor's figures continue in its first successor), its last (or largest, or
/// average) value — carried from an earlier quarter when the last one was not reported, and flagged — and only then
/// across the hierarchy at the end of the period, so that a unit late in the last quarter does not drop out.</item>
/// <item>A unit that ended inside the period is rolled up over its own quarters and its hierarchy at its end.</item>
/// </list>
/// This file holds the flows and the visitor; <c>PeriodRollupBuilder.Stocks.cs</c> the rules over time per group of
/// units, <c>PeriodRollupBuilder.Predecessors.cs</c> which earlier units count for a unit before it existed.
/// </summary>
public sealed partial class PeriodRollupBuilder : IQuarterVisitor
{
    private readonly RollupSchema _schema;
    private readonly UnitHierarchy _hierarchy;
    private readonly IReadOnlyList<Period> _quarters;
    private readonly HierarchyAggregation[] _rules;
    private readonly bool[] _flowSlot;
    private readonly bool[] _scalesWithShare;
    /// <summary>By position among the stocks: each one's rule across the hierarchy and over time.</summary>
    private readonly HierarchyAggregation[] _stockRules;
    private readonly TimeAggregation[] _stockOverTime;
    private readonly Unit[] _targets;
    private readonly Dictionary<string, int> _targetIndex;
    private readonly int[] _lastQuarter;
    private readonly Dictionary<int, Group> _groups = [];
    /// <summary>
    /// The period's figures as the snapshot holds them (a row of slots per target): the flows are added into them
    /// quarter by quarter, the stocks written at the end. <see cref="Build"/> hands them to the snapshot.
    /// </summary>
    private readonly Int128[] _aggregate;
    private readonly bool[] _aggregatePresent;
    private readonly int[] _expected, _reported, _onTime, _late, _ownExpected, _ownReported;
    private readonly bool[] _apportioned;
    private readonly List<LocalizedText>[] _notes;
    private int _next;
    private bool _built;
    /// <summary>The quarters added with a snapshot (a quarter that has not begun is added as none).</summary>
    private readonly bool[] _added;

    // The quarter being added.
    private int _k;
    private (int QuarterSlot, int Slot)[] _flows = [];
    private (int QuarterSlot, int Slot, int Position)[] _stocks = [];
    /// <summary>Where a stock sits among the stocks: the groups keep only those.</summary>
    private readonly int[] _position;
    private readonly int _stockWidth;
    private Group[] _active = [];
    private string[]? _lastUnits;
    private Dictionary<string, int>? _unitIndex;
    private int[] _unitTarget = [];
    private int[] _targetUnit = [];
    /// <summary>By unit of the quarter: whether its aggregates count for a target that did not exist yet (<see cref="_predecessorOf"/>).</summary>
    private bool[] _lends = [];
    private readonly Dictionary<int, List<(int Target, decimal FlowWeight, decimal StockWeight)>> _predecessorOf = [];
    private readonly Dictionary<int, (Int128[] Values, bool[] Present, int[] Counts)> _borrowed = [];

    public PeriodRollupBuilder(RollupSchema schema, UnitHierarchy hierarchy, Period period)
    {
        _schema = schema;
        _hierarchy = hierarchy;
        _quarters = period.Quarters();
        _rules = QuarterRollupBuilder.SlotRules(schema);
        var slots = schema.SlotCount;
        _flowSlot = new bool[slots];
        _scalesWithShare = new bool[slots];
        var overTime = new TimeAggregation[slots];
        foreach (var indicator in schema.Indicators)
        {
            for (var s = indicator.FirstSlot; s < indicator.FirstSlot + indicator.SlotCount; s++)
            {
                _flowSlot[s] = indicator.IsFlow;
                _scalesWithShare[s] = indicator.ScalesWithShare;
                overTime[s] = indicator.Indicator.OverTime;
            }
        }
        _position = new int[slots];
        for (var s = 0; s < slots; s++)
        {
            _position[s] = _flowSlot[s] ? -1 : _stockWidth++;
        }
        _stockRules = new HierarchyAggregation[_stockWidth];
        _stockOverTime = new TimeAggregation[_stockWidth];
        for (var s = 0; s < slots; s++)
        {
            if (!_flowSlot[s])
            {
                (_stockRules[_position[s]], _stockOverTime[_position[s]]) = (_rules[s], overTime[s]);
            }
        }
        _targets = [.. hierarchy.All.Where(u => u.IsActiveDuring(period.Start, period.End)).OrderBy(u => u.Code, StringComparer.Ordinal)];
        _targetIndex = _targets.Select((u, i) => (u.Code, i)).ToDictionary(p => p.Code, p => p.i, StringComparer.Ordinal);
        _lastQuarter = [.. _targets.Select(LastQuarterOf)];
        _added = new bool[_quarters.Count];
        foreach (var m in _lastQuarter.Where(m => m >= 0).Distinct())
        {
            _groups[m] = new Group(this, m);
        }
        var n = _targets.Length;
        _aggregate = new Int128[n * slots];
        _aggregatePresent = new bool[n * slots];
        _expected = new int[n];
        _reported = new int[n];
        _onTime = new int[n];
        _late = new int[n];
        _ownExpected = new int[n];
        _ownReported = new int[n];
        _apportioned = new bool[n];
        _notes = [.. _targets.Select(_ => new List<LocalizedText>())];
    }

    /// <summary>Adds the next quarter from its snapshot in memory (quarters in order; null when the quarter has none yet).</summary>
    public void AddQuarter(RollupSnapshot? quarter)
    {
        if (quarter is null)
        {
            _next++;
            return;
        }
        QuarterFeed.Feed(quarter, this);
    }

    /// <summary>Adds the next quarter straight from its snapshot's bytes.</summary>
    public void AddQuarter(ReadOnlyMemory<byte> snapshot) => RollupSnapshotCodec.Feed(snapshot, this);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void IQuarterVisitor.Begin(QuarterUnits quarter)
    {
        _k = _next;
        _added[_k] = true;
        int[] map = [.. quarter.Schema.Slots.Select(s => _schema.SlotOf(s.Indicator, s.Part, s.Category))];
        _flows = [.. map.Select((s, qs) => (qs, s)).Where(p => p.s >= 0 && _flowSlot[p.s])];
        _stocks = [.. map.Select((s, qs) => (qs, s)).Where(p => p.s >= 0 && !_flowSlot[p.s]).Select(p => (p.qs, p.s, _position[p.s]))];
        _active = [.. _groups.Values.Where(g => g.LastQuarter >= _k)];
        foreach (var lender in _predecessorOf.Keys)
        {
            _lends[lender] = false;
        }
        _predecessorOf.Clear();
        MapUnits(quarter.Units);
        foreach (var group in _active)
        {
            group.Begin(quarter.Units);
        }
        var end = _quarters[_k].End;
        _borrowed.Clear();
        for (var t = 0; t < _targets.Length; t++)
        {
            if (_lastQuarter[t] < _k)
            {
                continue;
            }
            var u = _targetUnit[t];
            if (u >= 0)
            {
                _expected[t] += quarter.ExpectedCount[u];
                _reported[t] += quarter.ReportedCount[u];
                _onTime[t] += quarter.OnTimeCount[u];
                _late[t] += quarter.LateCount[u];
                _ownExpected[t] += quarter.Expected[u] ? 1 : 0;
                _ownReported[t] += quarter.Counted[u] ? 1 : 0;
            }
            else if (!_targets[t].IsActiveOn(end))
            {
                // Before the target existed: its predecessors' aggregates of this quarter count for it.
                if (Sources(_targets[t].Code, 1m, 1m, t, []) > 0)
                {
                    _borrowed[t] = (new Int128[_schema.SlotCount], new bool[_schema.SlotCount], new int[_schema.SlotCount]);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void IQuarterVisitor.Own(int unit, ReadOnlySpan<Int128> values, ReadOnlySpan<bool> present)
    {
        foreach (var group in _active)
        {
            group.Own(unit, values, present);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void IQuarterVisitor.Aggregate(int unit, ReadOnlySpan<Int128> values, ReadOnlySpan<bool> present)
    {
        var t = _unitTarget[unit];
        if (t >= 0 && _lastQuarter[t] >= _k)
        {
            // A flow not yet present is zero: adding to it is the same as setting it.
            var flow = _aggregate.AsSpan(t * _schema.SlotCount, _schema.SlotCount);
            var flowPresent = _aggregatePresent.AsSpan(t * _schema.SlotCount, _schema.SlotCount);
            foreach (var (qs, s) in _flows)
            {
                if (present[qs])
                {
                    flow[s] += values[qs];
                    flowPresent[s] = true;
                }
            }
        }
        if (_lends[unit] && _predecessorOf.TryGetValue(unit, out var borrowers))
        {
            foreach (var (target, flowWeight, stockWeight) in borrowers)
            {
                var (buffer, bufferPresent, counts) = _borrowed[target];
                foreach (var (qs, s) in _flows)
                {
                    var weight = _scalesWithShare[s] ? flowWeight : stockWeight;
                    if (present[qs] && weight != 0)
                    {
                        Accumulate(s, Micro.Times(values[qs], weight), buffer, bufferPresent, counts);
                    }
                }
            }
        }
    }

    void IQuarterVisitor.End()
    {
        foreach (var group in _active)
        {
            group.End();
        }
        var slots = _schema.SlotCount;
        foreach (var (t, (buffer, bufferPresent, counts)) in _borrowed)
        {
            QuarterRollupBuilder.FinishAverages(_rules, buffer, bufferPresent, counts, 1);
            for (var s = 0; s < slots; s++)
            {
                if (_flowSlot[s] && bufferPresent[s])
                {
                    var i = t * slots + s;
                    _aggregate[i] += buffer[s];
                    _aggregatePresent[i] = true;
                }
            }
        }
        _next++;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public RollupSnapshot Build(string form, string period, DateTimeOffset computedAt, string stamp, bool final)
    {
        if (_built)
        {
            throw new InvalidOperationException("A period's rollup is built once: its figures went to the snapshot.");
        }
        _built = true;
        var slots = _schema.SlotCount;
        var n = _targets.Length;
        var aggregate = _aggregate;
        var present = _aggregatePresent;
        var carried = new bool[n * slots];
        var finished = _groups.ToDictionary(g => g.Key, g => g.Value.Finish());
        for (var t = 0; t < n; t++)
        {
            if (_lastQuarter[t] < 0)
            {
                continue;
            }
            var (values, has, wasCarried, index) = finished[_lastQuarter[t]];
            var g = index[_targets[t].Code] * _stockWidth;
            var anyCarried = false;
            for (var s = 0; s < slots; s++)
            {
                if (!_flowSlot[s])
                {
                    var (i, j) = (t * slots + s, g + _position[s]);
                    (aggregate[i], present[i], carried[i]) = (values[j], has[j], wasCarried[j]);
                    anyCarried |= carried[i] && present[i];
                }
            }
            if (anyCarried)
            {
                Note(t, RollupTexts.Carried);
            }
        }
        return new RollupSnapshot
        {
            Form = form,
            Period = period,
            IsQuarter = false,
            ComputedAt = computedAt,
            Stamp = stamp,
            Final = final,
            Schema = _schema,
            Units = [.. _targets.Select(u => u.Code)],
            Parents = [.. _targets.Select(u => u.Parent is { } parent && _targetIndex.TryGetValue(parent, out var p) ? p : -1)],
            Aggregate = aggregate,
            AggregatePresent = present,
            Carried = carried,
            Apportioned = _apportioned,
            ExpectedCount = _expected,
            ReportedCount = _reported,
            OnTimeCount = _onTime,
            LateCount = _late,
            OwnQuartersExpected = _ownExpected,
            OwnQuartersReported = _ownReported,
            Notes = Enumerable.Range(0, n).Where(t => _notes[t].Count > 0).ToDictionary(t => t, t => (IReadOnlyList<LocalizedText>)_notes[t]),
        };
    }

    private void Note(int target, LocalizedText note)
    {
        if (!_notes[target].Contains(note))
        {
            _notes[target].Add(note);
        }
    }

    /// <summary>
    /// The quarter a stock as of quarter <paramref name="last"/> is current at: the last one up to it that was added with a
    /// snapshot. While a period is under way its quarters to come are not there yet: a value of the latest quarter that is
    /// is not carried.
    /// </summary>
    private int CurrentQuarter(int last)
    {
        for (var k = last; k >= 0; k--)
        {
            if (_added[k])
            {
                return k;
            }
        }
        return -1;
    }

    /// <summary>Whether a unit of the period is active last at the end of quarter <paramref name="k"/>.</summary>
    private bool EndsIn(string code, int k) => _targetIndex.TryGetValue(code, out var t) && _lastQuarter[t] == k;

    /// <summary>The last quarter of the period whose end the unit was active on, or -1.</summary>
    private int LastQuarterOf(Unit unit)
    {
        for (var k = _quarters.Count - 1; k >= 0; k--)
        {
            if (unit.IsActiveOn(_quarters[k].End))
            {
                return k;
            }
        }
        return -1;
    }

    private void Accumulate(int s, Int128 value, Int128[] values, bool[] present, int[] counts)
    {
        if (!present[s])
        {
            (values[s], present[s], counts[s]) = (value, true, 1);
            return;
        }
        switch (_rules[s])
        {
            case HierarchyAggregation.Sum or HierarchyAggregation.RatioOfSums:
                values[s] += value;
                break;
            case HierarchyAggregation.Min:
                values[s] = Int128.Min(values[s], value);
                break;
            case HierarchyAggregation.Max:
                values[s] = Int128.Max(values[s], value);
                break;
            case HierarchyAggregation.AverageOfUnits:
                values[s] += value;
                counts[s]++;
                break;
            case HierarchyAggregation.None:
                break;
        }
    }
}
