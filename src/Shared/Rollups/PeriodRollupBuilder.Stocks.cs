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
        /// <summary>Deeper than any hierarchy goes: a guard against a cycle in the units' parents.</summary>
        private const int MaxDepth = 64;

        private readonly PeriodRollupBuilder _owner;
        private readonly Unit[] _units;
        private readonly int[] _parents;
        private readonly Dictionary<string, int> _index;
        private readonly Dictionary<string, int> _heirs = new(StringComparer.Ordinal);
        private readonly Int128[] _values;
        private readonly bool[] _present;
        private readonly int[] _lastSeen;
        private readonly int[] _counts;
        // Units that continue in the same heir within one quarter (a merger) are combined here first (made when needed).
        private Int128[] _scratch = [];
        private bool[] _scratchPresent = [];
        private int[] _scratchCounts = [];
        private readonly List<int> _touched = [];
        private string[]? _lastUnits;
        private int[] _unitHeir = [];
        private int[] _heirShared = [];

        public Group(PeriodRollupBuilder owner, int lastQuarter)
        {
            _owner = owner;
            LastQuarter = lastQuarter;
            var end = owner._quarters[lastQuarter].End;
            // Only what this group's targets (the units whose last quarter this is) aggregate: the subtree as of then of
            // each one that is not under another.
            var order = new List<Unit>();
            for (var t = 0; t < owner._targets.Length; t++)
            {
                if (owner._lastQuarter[t] == lastQuarter && !UnderAnother(owner._targets[t], end))
                {
                    order.AddRange(owner._hierarchy.SubtreeAsOf(owner._targets[t].Code, end));
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
        }

        /// <summary>Whether a unit is below another unit of this group as the hierarchy stood at its end.</summary>
        private bool UnderAnother(Unit unit, DateOnly end)
        {
            var depth = 0;
            for (var code = unit.Parent; code is not null && _owner._hierarchy.Find(code) is { } parent && parent.IsActiveOn(end) && depth++ < MaxDepth; code = parent.Parent)
            {
                if (_owner.EndsIn(code, LastQuarter))
                {
                    return true;
                }
            }
            return false;
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
            var at = r * _owner._stockWidth;
            if (_heirShared[r] == 1)
            {
                foreach (var (qs, _, position) in _owner._stocks)
                {
                    if (present[qs])
                    {
                        OverTime(at + position, position, values[qs]);
                    }
                }
                return;
            }
            if (_scratch.Length == 0)
            {
                _scratch = new Int128[_values.Length];
                _scratchPresent = new bool[_values.Length];
                _scratchCounts = new int[_values.Length];
            }
            var first = true;
            foreach (var (qs, _, position) in _owner._stocks)
            {
                if (!present[qs])
                {
                    continue;
                }
                var i = at + position;
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
                _scratch[i] = _owner._stockRules[position] switch
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
                for (var position = 0; position < width; position++)
                {
                    var i = r * width + position;
                    if (!_scratchPresent[i])
                    {
                        continue;
                    }
                    _scratchPresent[i] = false;
                    OverTime(i, position, _owner._stockRules[position] == HierarchyAggregation.AverageOfUnits && _scratchCounts[i] > 1
                        ? Micro.Divide(_scratch[i], _scratchCounts[i])
                        : _scratch[i]);
                }
            }
            _touched.Clear();
        }

        /// <summary>One quarter's figure of a unit into its value over time: the last replaces, the largest wins, the average accumulates.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void OverTime(int i, int position, Int128 value)
        {
            if (!_present[i])
            {
                (_values[i], _present[i], _counts[i]) = (value, true, 1);
            }
            else
            {
                switch (_owner._stockOverTime[position])
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

        /// <summary>
        /// Over time per unit done: then across the hierarchy at the group's end, carrying the carried flag up. The
        /// figures are laid out as the stocks are kept (<see cref="_stockWidth"/> a unit).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public (Int128[] Values, bool[] Present, bool[] Carried, IReadOnlyDictionary<string, int> Index) Finish()
        {
            // In place: each unit's value over time becomes its own figure, then the hierarchy's (the group is done).
            var width = _owner._stockWidth;
            var overTime = _owner._stockOverTime;
            var (values, present, counts) = (_values, _present, _counts);
            var carried = new bool[values.Length];
            var current = _owner.CurrentQuarter(LastQuarter);
            for (var i = 0; i < values.Length; i++)
            {
                if (!present[i])
                {
                    continue;
                }
                var position = i % width;
                if (overTime[position] == TimeAggregation.Average && counts[i] > 1)
                {
                    values[i] = Micro.Divide(values[i], counts[i]);
                }
                carried[i] = overTime[position] == TimeAggregation.Last && _lastSeen[i] < current;
                counts[i] = 1;
            }
            for (var u = _units.Length - 1; u >= 0; u--)
            {
                var p = _parents[u];
                if (p < 0)
                {
                    continue;
                }
                for (var position = 0; position < width; position++)
                {
                    carried[p * width + position] |= carried[u * width + position] && present[u * width + position];
                }
                QuarterRollupBuilder.Combine(_owner._stockRules, values, present, counts, u * width, p * width);
            }
            QuarterRollupBuilder.FinishAverages(_owner._stockRules, values, present, counts, _units.Length);
            return (values, present, carried, _index);
        }

        /// <summary>The unit (index) whose stocks a unit's are at the group's end: itself, or its first successor's heir.</summary>
        private int Heir(string code)
        {
            if (_heirs.TryGetValue(code, out var known))
            {
                return known;
            }
            if (_index.TryGetValue(code, out var self))
            {
                return _heirs[code] = self;
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
