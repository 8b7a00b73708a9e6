using System.Globalization;
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
/// </summary>
public sealed class PeriodRollupBuilder : IQuarterVisitor
{
    private readonly RollupSchema _schema;
    private readonly UnitHierarchy _hierarchy;
    private readonly IReadOnlyList<Period> _quarters;
    private readonly HierarchyAggregation[] _rules;
    private readonly bool[] _flowSlot;
    private readonly bool[] _scalesWithShare;
    private readonly TimeAggregation[] _overTime;
    private readonly Unit[] _targets;
    private readonly Dictionary<string, int> _targetIndex;
    private readonly int[] _lastQuarter;
    private readonly Dictionary<int, Group> _groups = [];
    private readonly Int128[] _flow;
    private readonly bool[] _flowPresent;
    private readonly int[] _expected, _reported, _onTime, _late, _ownExpected, _ownReported;
    private readonly bool[] _apportioned;
    private readonly List<LocalizedText>[] _notes;
    private int _next;

    // The quarter being added.
    private int _k;
    private int _quarterSlots;
    private (int QuarterSlot, int Slot, int Position)[] _flows = [];
    private (int QuarterSlot, int Slot, int Position)[] _stocks = [];
    /// <summary>Where a slot sits among the flows (or among the other slots): the period keeps only what each needs.</summary>
    private readonly int[] _position;
    private readonly int _flowWidth;
    private readonly int _stockWidth;
    private Group[] _active = [];
    private string[]? _lastUnits;
    private Dictionary<string, int>? _unitIndex;
    private int[] _unitTarget = [];
    private int[] _targetUnit = [];
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
        _overTime = new TimeAggregation[slots];
        foreach (var indicator in schema.Indicators)
        {
            for (var s = indicator.FirstSlot; s < indicator.FirstSlot + indicator.SlotCount; s++)
            {
                _flowSlot[s] = indicator.IsFlow;
                _scalesWithShare[s] = indicator.ScalesWithShare;
                _overTime[s] = indicator.Indicator.OverTime;
            }
        }
        _position = new int[slots];
        for (var s = 0; s < slots; s++)
        {
            _position[s] = _flowSlot[s] ? _flowWidth++ : _stockWidth++;
        }
        _targets = [.. hierarchy.All.Where(u => u.IsActiveDuring(period.Start, period.End)).OrderBy(u => u.Code, StringComparer.Ordinal)];
        _targetIndex = _targets.Select((u, i) => (u.Code, i)).ToDictionary(p => p.Code, p => p.i, StringComparer.Ordinal);
        _lastQuarter = [.. _targets.Select(LastQuarterOf)];
        foreach (var m in _lastQuarter.Where(m => m >= 0).Distinct())
        {
            _groups[m] = new Group(this, m);
        }
        var n = _targets.Length;
        _flow = new Int128[n * _flowWidth];
        _flowPresent = new bool[n * _flowWidth];
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
        _quarterSlots = quarter.Schema.SlotCount;
        int[] map = [.. quarter.Schema.Slots.Select(s => _schema.SlotOf(s.Indicator, s.Part, s.Category))];
        _flows = [.. map.Select((s, qs) => (qs, s)).Where(p => p.s >= 0 && _flowSlot[p.s]).Select(p => (p.qs, p.s, _position[p.s]))];
        _stocks = [.. map.Select((s, qs) => (qs, s)).Where(p => p.s >= 0 && !_flowSlot[p.s]).Select(p => (p.qs, p.s, _position[p.s]))];
        _active = [.. _groups.Values.Where(g => g.LastQuarter >= _k)];
        MapUnits(quarter.Units);
        foreach (var group in _active)
        {
            group.Begin(quarter.Units);
        }
        var end = _quarters[_k].End;
        _predecessorOf.Clear();
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
            var to = t * _flowWidth;
            var flow = _flow;
            var flowPresent = _flowPresent;
            foreach (var (qs, _, position) in _flows)
            {
                if (present[qs])
                {
                    var i = to + position;
                    flow[i] = flowPresent[i] ? flow[i] + values[qs] : values[qs];
                    flowPresent[i] = true;
                }
            }
        }
        if (_predecessorOf.Count > 0 && _predecessorOf.TryGetValue(unit, out var borrowers))
        {
            foreach (var (target, flowWeight, stockWeight) in borrowers)
            {
                var (buffer, bufferPresent, counts) = _borrowed[target];
                foreach (var (qs, s, _) in _flows)
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
                    var i = t * _flowWidth + _position[s];
                    _flow[i] = _flowPresent[i] ? _flow[i] + buffer[s] : buffer[s];
                    _flowPresent[i] = true;
                }
            }
        }
        _next++;
    }

    /// <summary>Which target each unit of the quarter is, and the other way round; worked out again only when the units differ from the last quarter's.</summary>
    private void MapUnits(string[] units)
    {
        if (_lastUnits is not null && _lastUnits.AsSpan().SequenceEqual(units))
        {
            return;
        }
        _lastUnits = units;
        _unitIndex = null;
        _unitTarget = new int[units.Length];
        _targetUnit = new int[_targets.Length];
        Array.Fill(_targetUnit, -1);
        for (var u = 0; u < units.Length; u++)
        {
            _unitTarget[u] = _targetIndex.TryGetValue(units[u], out var t) ? t : -1;
            if (_unitTarget[u] >= 0)
            {
                _targetUnit[_unitTarget[u]] = u;
            }
        }
    }

    /// <summary>
    /// The units of this quarter whose aggregates count for a target that did not exist yet: its predecessors (a merged
    /// one whole; a split one's flows by the successor's share, its other figures whole to the first successor),
    /// and theirs in turn.
    /// </summary>
    private int Sources(string code, decimal flowWeight, decimal stockWeight, int target, HashSet<string> seen)
    {
        if (_hierarchy.Find(code) is not { } unit || !seen.Add(code) || (flowWeight == 0 && stockWeight == 0))
        {
            return 0;
        }
        var end = _quarters[_k].End;
        if (unit.IsActiveOn(end))
        {
            _unitIndex ??= _lastUnits!.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
            if (!_unitIndex.TryGetValue(code, out var u))
            {
                return 0;
            }
            if (!_predecessorOf.TryGetValue(u, out var list))
            {
                _predecessorOf[u] = list = [];
            }
            list.Add((target, flowWeight, stockWeight));
            return 1;
        }
        if (end > unit.ValidTo)
        {
            return 0; // ended: nothing after its end
        }
        var found = 0;
        foreach (var predecessor in _hierarchy.Predecessors(code))
        {
            var link = predecessor.Successors.First(s => s.Code == code);
            var first = predecessor.Successors[0].Code == code;
            var share = link.Share ?? (first ? 1m : 0m);
            if (link.Share is { } given)
            {
                Note(target, RollupTexts.Split.Format(predecessor.Code, given.ToString("0.####", CultureInfo.InvariantCulture), predecessor.Successors[0].Code));
                _apportioned[target] |= given != 1m;
            }
            found += Sources(predecessor.Code, flowWeight * share, first ? stockWeight : 0m, target, [.. seen]);
        }
        return found;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public RollupSnapshot Build(string form, string period, DateTimeOffset computedAt, string stamp, bool final)
    {
        var slots = _schema.SlotCount;
        var n = _targets.Length;
        var aggregate = new Int128[n * slots];
        var present = new bool[n * slots];
        var carried = new bool[n * slots];
        var finished = _groups.ToDictionary(g => g.Key, g => g.Value.Finish());
        for (var t = 0; t < n; t++)
        {
            if (_lastQuarter[t] < 0)
            {
                continue;
            }
            var (values, has, wasCarried, index) = finished[_lastQuarter[t]];
            var g = index[_targets[t].Code];
            var anyCarried = false;
            for (var s = 0; s < slots; s++)
            {
                var i = t * slots + s;
                if (_flowSlot[s])
                {
                    (aggregate[i], present[i]) = (_flow[t * _flowWidth + _position[s]], _flowPresent[t * _flowWidth + _position[s]]);
                }
                else
                {
                    (aggregate[i], present[i], carried[i]) = (values[g * slots + s], has[g * slots + s], wasCarried[g * slots + s]);
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

    /// <summary>
    /// The units active at the end of one quarter of the period (the last quarter of some unit in it): each one's
    /// own figures over the quarters up to it, then aggregated across the hierarchy as it stood then.
    /// </summary>
    private sealed class Group
    {
        private readonly PeriodRollupBuilder _owner;
        private readonly Unit[] _units;
        private readonly int[] _parents;
        private readonly Dictionary<string, int> _index;
        private readonly Dictionary<string, int> _heirs = new(StringComparer.Ordinal);
        private readonly Int128[] _values;
        private readonly bool[] _present;
        private readonly int[] _lastSeen;
        private readonly int[] _counts;
        // Units that continue in the same heir within one quarter (a merger) are combined here first.
        private readonly Int128[] _scratch;
        private readonly bool[] _scratchPresent;
        private readonly int[] _scratchCounts;
        private readonly List<int> _touched = [];
        private string[]? _lastUnits;
        private int[] _unitHeir = [];
        private int[] _heirShared = [];

        public Group(PeriodRollupBuilder owner, int lastQuarter)
        {
            _owner = owner;
            LastQuarter = lastQuarter;
            var end = owner._quarters[lastQuarter].End;
            var order = new List<Unit>();
            foreach (var root in owner._hierarchy.RootsAsOf(end))
            {
                order.AddRange(owner._hierarchy.SubtreeAsOf(root.Code, end));
            }
            _units = [.. order];
            _index = _units.Select((u, i) => (u.Code, i)).ToDictionary(p => p.Code, p => p.i, StringComparer.Ordinal);
            _parents = [.. _units.Select(u => u.Parent is { } parent && _index.TryGetValue(parent, out var p) ? p : -1)];
            var size = _units.Length * owner._stockWidth;
            _values = new Int128[size];
            _present = new bool[size];
            _lastSeen = new int[size];
            _counts = new int[size];
            _scratch = new Int128[size];
            _scratchPresent = new bool[size];
            _scratchCounts = new int[size];
        }

        public int LastQuarter { get; }

        /// <summary>The heir of each unit of the quarter, and whether more than one unit continues in an heir.</summary>
        public void Begin(string[] units)
        {
            if (_lastUnits is not null && _lastUnits.AsSpan().SequenceEqual(units))
            {
                return;
            }
            _lastUnits = units;
            _unitHeir = [.. units.Select(Heir)];
            _heirShared = new int[_units.Length];
            foreach (var r in _unitHeir.Where(r => r >= 0))
            {
                _heirShared[r]++;
            }
        }

        /// <summary>A counted unit's own figures of this quarter, given to the unit it continues in at this group's end.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Own(int unit, ReadOnlySpan<Int128> values, ReadOnlySpan<bool> present)
        {
            var r = _unitHeir[unit];
            if (r < 0)
            {
                return;
            }
            var width = _owner._stockWidth;
            if (_heirShared[r] == 1)
            {
                foreach (var (qs, s, position) in _owner._stocks)
                {
                    if (present[qs])
                    {
                        OverTime(r * width + position, s, values[qs]);
                    }
                }
                return;
            }
            var first = true;
            foreach (var (qs, s, position) in _owner._stocks)
            {
                if (!present[qs])
                {
                    continue;
                }
                var i = r * width + position;
                if (first && !_touched.Contains(r))
                {
                    _touched.Add(r);
                }
                first = false;
                var value = values[qs];
                if (!_scratchPresent[i])
                {
                    (_scratch[i], _scratchPresent[i], _scratchCounts[i]) = (value, true, 1);
                    continue;
                }
                _scratch[i] = _owner._rules[s] switch
                {
                    HierarchyAggregation.Min => Int128.Min(_scratch[i], value),
                    HierarchyAggregation.Max => Int128.Max(_scratch[i], value),
                    HierarchyAggregation.Sum or HierarchyAggregation.RatioOfSums or HierarchyAggregation.AverageOfUnits or HierarchyAggregation.None => _scratch[i] + value,
                };
                _scratchCounts[i]++;
            }
        }

        /// <summary>The quarter's combined figures of heirs that several units continue in, then over time.</summary>
        public void End()
        {
            var width = _owner._stockWidth;
            foreach (var r in _touched)
            {
                foreach (var (_, s, position) in _owner._stocks)
                {
                    var i = r * width + position;
                    if (!_scratchPresent[i])
                    {
                        continue;
                    }
                    _scratchPresent[i] = false;
                    OverTime(i, s, _owner._rules[s] == HierarchyAggregation.AverageOfUnits && _scratchCounts[i] > 1
                        ? Micro.Divide(_scratch[i], _scratchCounts[i])
                        : _scratch[i]);
                }
            }
            _touched.Clear();
        }

        /// <summary>One quarter's figure of a unit into its value over time: the last replaces, the largest wins, the average accumulates.</summary>
        private void OverTime(int i, int s, Int128 value)
        {
            if (!_present[i])
            {
                (_values[i], _present[i], _counts[i]) = (value, true, 1);
            }
            else
            {
                switch (_owner._overTime[s])
                {
                    case TimeAggregation.Last:
                        _values[i] = value;
                        break;
                    case TimeAggregation.Max:
                        _values[i] = Int128.Max(_values[i], value);
                        break;
                    case TimeAggregation.Average:
                        _values[i] += value;
                        _counts[i]++;
                        break;
                    case TimeAggregation.Sum or TimeAggregation.None:
                        break;
                }
            }
            _lastSeen[i] = _owner._k;
        }

        /// <summary>Over time per unit done: then across the hierarchy at the group's end, carrying the carried flag up.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public (Int128[] Values, bool[] Present, bool[] Carried, IReadOnlyDictionary<string, int> Index) Finish()
        {
            var slots = _owner._schema.SlotCount;
            var width = _owner._stockWidth;
            var values = new Int128[_units.Length * slots];
            var present = new bool[values.Length];
            var carried = new bool[values.Length];
            var counts = new int[values.Length];
            for (var u = 0; u < _units.Length; u++)
            {
                for (var s = 0; s < slots; s++)
                {
                    if (_owner._flowSlot[s])
                    {
                        continue;
                    }
                    var from = u * width + _owner._position[s];
                    if (!_present[from])
                    {
                        continue;
                    }
                    var i = u * slots + s;
                    values[i] = _owner._overTime[s] == TimeAggregation.Average && _counts[from] > 1 ? Micro.Divide(_values[from], _counts[from]) : _values[from];
                    present[i] = true;
                    carried[i] = _owner._overTime[s] == TimeAggregation.Last && _lastSeen[from] < LastQuarter;
                    counts[i] = 1;
                }
            }
            for (var u = _units.Length - 1; u >= 0; u--)
            {
                var p = _parents[u];
                if (p < 0)
                {
                    continue;
                }
                for (var s = 0; s < slots; s++)
                {
                    carried[p * slots + s] |= carried[u * slots + s] && present[u * slots + s];
                }
                QuarterRollupBuilder.Combine(_owner._rules, values, present, counts, u * slots, p * slots);
            }
            QuarterRollupBuilder.FinishAverages(_owner._rules, values, present, counts, _units.Length);
            return (values, present, carried, _index);
        }

        /// <summary>The unit (index) whose stocks a unit's are at the group's end: itself, or its first successor's heir.</summary>
        private int Heir(string code)
        {
            if (_heirs.TryGetValue(code, out var known))
            {
                return known;
            }
            var heir = -1;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var current = _owner._hierarchy.Find(code); current is not null && seen.Add(current.Code);)
            {
                if (_index.TryGetValue(current.Code, out var i))
                {
                    heir = i;
                    break;
                }
                current = current.Successors.Count > 0 && current.ValidTo < _owner._quarters[LastQuarter].End
                    ? _owner._hierarchy.Find(current.Successors[0].Code)
                    : null;
            }
            _heirs[code] = heir;
            return heir;
        }
    }
}
