namespace Qcdc.Units;

/// <summary>
/// An immutable snapshot of every unit, past and present, answering questions "as of" a date: the roots and
/// children active then, a unit's ancestry, its subtree, and who succeeded or preceded it.
/// </summary>
public sealed class UnitHierarchy
{
    private readonly Dictionary<string, Unit> _units;
    private readonly ILookup<string, Unit> _children;
    private readonly ILookup<string, Unit> _predecessors;

    public UnitHierarchy(IEnumerable<Unit> units)
    {
        _units = units.ToDictionary(u => u.Code, StringComparer.Ordinal);
        _children = _units.Values.Where(u => u.Parent is not null).ToLookup(u => u.Parent!, StringComparer.Ordinal);
        _predecessors = _units.Values.SelectMany(u => u.Successors.Select(s => (s.Code, Unit: u))).ToLookup(p => p.Code, p => p.Unit, StringComparer.Ordinal);
    }

    public static UnitHierarchy Empty { get; } = new([]);

    public int Count => _units.Count;

    public IEnumerable<Unit> All => _units.Values;

    public Unit? Find(string code) => _units.GetValueOrDefault(code);

    /// <summary>Units active on the date whose parent is not active then (or who have none).</summary>
    public IReadOnlyList<Unit> RootsAsOf(DateOnly date) =>
        [.. _units.Values.Where(u => u.IsActiveOn(date) && (u.Parent is null || Find(u.Parent)?.IsActiveOn(date) != true)).OrderBy(u => u.Code, StringComparer.Ordinal)];

    public IReadOnlyList<Unit> ChildrenAsOf(string code, DateOnly date) =>
        [.. _children[code].Where(u => u.IsActiveOn(date)).OrderBy(u => u.Code, StringComparer.Ordinal)];

    /// <summary>From the unit's parent up to its root, as of the date (the unit's own parent chain).</summary>
    public IReadOnlyList<Unit> Ancestry(string code, DateOnly date)
    {
        var chain = new List<Unit>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { code };
        for (var parent = Find(code)?.Parent; parent is not null && Find(parent) is { } unit && unit.IsActiveOn(date) && seen.Add(parent); parent = unit.Parent)
        {
            chain.Add(unit);
        }
        return chain;
    }

    /// <summary>True when <paramref name="ancestor"/> is the unit itself or above it on the date.</summary>
    public bool IsInSubtree(string code, string ancestor, DateOnly date) =>
        string.Equals(code, ancestor, StringComparison.Ordinal)
        || (Find(code)?.IsActiveOn(date) == true && Ancestry(code, date).Any(a => string.Equals(a.Code, ancestor, StringComparison.Ordinal)));

    /// <summary>
    /// True when <paramref name="ancestor"/> is the unit itself, or held it in its subtree as the hierarchy stood in
    /// some quarter of the period: on the quarter's last day, or on the unit's own last day when it ended within that
    /// quarter. A district abolished mid-year is still under its province for that year and for a window around it; a
    /// unit created later is under nothing before its start.
    /// </summary>
    public bool IsInSubtreeDuring(string code, string ancestor, Qcdc.Periods.Period period)
    {
        if (string.Equals(code, ancestor, StringComparison.Ordinal))
        {
            return true;
        }
        if (Find(code) is not { } unit)
        {
            return false;
        }
        foreach (var quarter in period.Quarters())
        {
            var day = unit.ValidTo is { } last && last < quarter.End ? last : quarter.End;
            if (day >= quarter.Start && IsInSubtree(code, ancestor, day))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The unit and every unit below it, as of the date, parents before children.</summary>
    public IReadOnlyList<Unit> SubtreeAsOf(string code, DateOnly date)
    {
        var result = new List<Unit>();
        if (Find(code) is not { } root || !root.IsActiveOn(date))
        {
            return result;
        }
        var queue = new Queue<Unit>([root]);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (queue.Count > 0)
        {
            var unit = queue.Dequeue();
            if (!seen.Add(unit.Code))
            {
                continue;
            }
            result.Add(unit);
            foreach (var child in ChildrenAsOf(unit.Code, date))
            {
                queue.Enqueue(child);
            }
        }
        return result;
    }

    /// <summary>The units that passed (part of) themselves to this one.</summary>
    public IReadOnlyList<Unit> Predecessors(string code) => [.. _predecessors[code].OrderBy(u => u.Code, StringComparer.Ordinal)];
}
