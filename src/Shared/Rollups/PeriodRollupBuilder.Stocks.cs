using System.Runtime.CompilerServices;
using Qcdc.Forms;
using Qcdc.Units;

namespace Qcdc.Rollups;

// Stocks and the other rules over time: per group of units ending in the same quarter, each unit's own figures over
// the quarters, its last (or largest, or average) value carried when missing, then across the hierarchy at its end.
public sealed partial class PeriodRollupBuilder
{
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
            // Only what this group's targets (the units whose last quarter this is) aggregate: each one's subtree as of then.
            var order = new List<Unit>();
            var needed = new HashSet<string>(StringComparer.Ordinal);
            foreach (var root in owner._hierarchy.RootsAsOf(end))
            {
                foreach (var unit in owner._hierarchy.SubtreeAsOf(root.Code, end))
                {
                    if (owner.EndsIn(unit.Code, lastQuarter) || (unit.Parent is { } parent && needed.Contains(parent)))
                    {
                        needed.Add(unit.Code);
                        order.Add(unit);
                    }
                }
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
            var current = _owner.CurrentQuarter(LastQuarter);
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
                    carried[i] = _owner._overTime[s] == TimeAggregation.Last && _lastSeen[from] < current;
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
