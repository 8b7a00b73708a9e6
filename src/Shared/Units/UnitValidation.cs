using Qcdc.Localization;
using Qcdc.Problems;

namespace Qcdc.Units;

/// <summary>Checks a whole set of units before anything is written.</summary>
public static class UnitValidation
{
    public static IReadOnlyList<FieldProblem> Validate(IReadOnlyList<Unit> units)
    {
        var problems = new List<FieldProblem>();
        var byCode = new Dictionary<string, Unit>(StringComparer.Ordinal);
        foreach (var unit in units)
        {
            if (!UnitCodes.IsValid(unit.Code))
            {
                problems.Add(Problem(unit.Code, "code", UnitTexts.BadCode.Format(unit.Code)));
            }
            else if (!byCode.TryAdd(unit.Code, unit))
            {
                problems.Add(Problem(unit.Code, "code", UnitTexts.DuplicateCode.Format(unit.Code)));
            }
            if (string.IsNullOrWhiteSpace(unit.Name))
            {
                problems.Add(Problem(unit.Code, "name", UnitTexts.NoName));
            }
            else if (UserText.Flaw(unit.Name, multiline: false) is { } flaw)
            {
                problems.Add(Problem(unit.Code, "name", CommonTexts.BadCharacter.Format(unit.Code, UserText.Describe(flaw))));
            }
            else if (unit.Name.Length > Unit.MaxNameLength)
            {
                problems.Add(Problem(unit.Code, "name", CommonTexts.TooLong.Format(unit.Code, Unit.MaxNameLength, unit.Name.Length)));
            }
            if (!UnitKinds.All.Contains(unit.Kind))
            {
                problems.Add(Problem(unit.Code, "kind", UnitTexts.UnknownKind.Format(unit.Kind)));
            }
            if (unit.ValidTo is { } to && to < unit.ValidFrom)
            {
                problems.Add(Problem(unit.Code, "validTo", UnitTexts.EndsBeforeStart));
            }
        }

        foreach (var unit in byCode.Values)
        {
            if (unit.Parent is not null)
            {
                if (!byCode.TryGetValue(unit.Parent, out var parent))
                {
                    problems.Add(Problem(unit.Code, "parent", UnitTexts.UnknownParent.Format(unit.Parent)));
                }
                else if (unit.ValidFrom < parent.ValidFrom || (parent.ValidTo is { } parentEnd && (unit.ValidTo is null || unit.ValidTo > parentEnd)))
                {
                    problems.Add(Problem(unit.Code, "validFrom", UnitTexts.OutsideParent.Format(unit.Parent)));
                }
            }
            ValidateSuccessors(unit, byCode, problems);
        }

        foreach (var code in FindCycles(byCode))
        {
            problems.Add(Problem(code, "parent", UnitTexts.Cycle));
        }

        foreach (var group in byCode.Values.Where(u => u.GsoCode is not null).GroupBy(u => u.GsoCode!, StringComparer.Ordinal))
        {
            var sorted = group.OrderBy(u => u.ValidFrom).ToList();
            for (var i = 1; i < sorted.Count; i++)
            {
                if (sorted[i - 1].ValidTo is null || sorted[i - 1].ValidTo >= sorted[i].ValidFrom)
                {
                    problems.Add(Problem(sorted[i].Code, "gsoCode", UnitTexts.GsoOverlap.Format(group.Key, sorted[i - 1].Code)));
                }
            }
        }
        return problems;
    }

    private static void ValidateSuccessors(Unit unit, Dictionary<string, Unit> byCode, List<FieldProblem> problems)
    {
        if (unit.Successors.Count > 0 && unit.ValidTo is null)
        {
            problems.Add(Problem(unit.Code, "successors", UnitTexts.CurrentWithSuccessors));
        }
        foreach (var successor in unit.Successors)
        {
            if (!byCode.TryGetValue(successor.Code, out var next))
            {
                problems.Add(Problem(unit.Code, "successors", UnitTexts.UnknownSuccessor.Format(successor.Code)));
            }
            else if (unit.ValidTo is { } end && !next.IsActiveOn(end.AddDays(1)))
            {
                problems.Add(Problem(unit.Code, "successors", UnitTexts.SuccessorNotNext.Format(successor.Code)));
            }
            if (successor.Share is { } share && (share <= 0 || share > 1))
            {
                problems.Add(Problem(unit.Code, "successors", UnitTexts.BadShare.Format(successor.Code)));
            }
        }
        if (unit.Successors.Select(s => s.Code).Distinct(StringComparer.Ordinal).Count() != unit.Successors.Count)
        {
            problems.Add(Problem(unit.Code, "successors", UnitTexts.SuccessorTwice));
        }
        if (unit.Successors.Any(s => s.Share is not null))
        {
            if (unit.Successors.Any(s => s.Share is null))
            {
                problems.Add(Problem(unit.Code, "successors", UnitTexts.SomeShares));
            }
            else if (Math.Abs(unit.Successors.Sum(s => s.Share!.Value) - 1m) > 0.0001m)
            {
                problems.Add(Problem(unit.Code, "successors", UnitTexts.SharesNotOne));
            }
        }
    }

    /// <summary>A problem of one unit of the file: <c>units[{code}].{field}</c>, carrying the unit's code.</summary>
    private static FieldProblem Problem(string code, string field, LocalizedText message) => new($"units[{code}].{field}", message, code);

    private static IEnumerable<string> FindCycles(Dictionary<string, Unit> byCode)
    {
        var inCycle = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var start in byCode.Values)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var code = start.Code; code is not null && byCode.TryGetValue(code, out var unit); code = unit.Parent)
            {
                if (!seen.Add(code))
                {
                    if (string.Equals(code, start.Code, StringComparison.Ordinal))
                    {
                        inCycle.Add(start.Code);
                    }
                    break;
                }
            }
        }
        return inCycle;
    }
}
