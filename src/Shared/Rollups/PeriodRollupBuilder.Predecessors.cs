using System.Globalization;
using Qcdc.Units;

namespace Qcdc.Rollups;

// Predecessor apportioning: for a quarter before a target unit existed, which of that quarter's units count for it
// (a merged predecessor whole; a split one's flows by the successor's share), and the map between a quarter's units
// and the period's targets.
public sealed partial class PeriodRollupBuilder
{
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
        _lends = new bool[units.Length];
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
            _lends[u] = true;
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
}
