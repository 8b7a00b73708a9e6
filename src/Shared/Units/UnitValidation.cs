using Qcdc.Localization;

namespace Qcdc.Units;

/// <summary>One problem in a unit file, naming the unit and the field.</summary>
public sealed record UnitProblem(string Code, string Field, LocalizedText Message);

/// <summary>Checks a whole set of units before anything is written.</summary>
public static class UnitValidation
{
    public static IReadOnlyList<UnitProblem> Validate(IReadOnlyList<Unit> units)
    {
        var problems = new List<UnitProblem>();
        var byCode = new Dictionary<string, Unit>(StringComparer.Ordinal);
        foreach (var unit in units)
        {
            if (!UnitCodes.IsValid(unit.Code))
            {
                problems.Add(new(unit.Code, "code", new LocalizedText("'{0}' is not a valid unit code ([A-Z0-9-], 1 to 40 characters).", "'{0}' không phải mã đơn vị hợp lệ ([A-Z0-9-], 1 đến 40 ký tự).").Format(unit.Code)));
            }
            else if (!byCode.TryAdd(unit.Code, unit))
            {
                problems.Add(new(unit.Code, "code", new LocalizedText("The code {0} appears more than once.", "Mã {0} xuất hiện nhiều lần.").Format(unit.Code)));
            }
            if (string.IsNullOrWhiteSpace(unit.Name))
            {
                problems.Add(new(unit.Code, "name", new("The unit has no name.", "Đơn vị chưa có tên.")));
            }
            if (!UnitKinds.All.Contains(unit.Kind))
            {
                problems.Add(new(unit.Code, "kind", new LocalizedText("Unknown kind '{0}'.", "Loại đơn vị '{0}' không tồn tại.").Format(unit.Kind)));
            }
            if (unit.ValidTo is { } to && to < unit.ValidFrom)
            {
                problems.Add(new(unit.Code, "validTo", new("validTo is before validFrom.", "Ngày hết hiệu lực trước ngày có hiệu lực.")));
            }
        }

        foreach (var unit in byCode.Values)
        {
            if (unit.Parent is not null)
            {
                if (!byCode.TryGetValue(unit.Parent, out var parent))
                {
                    problems.Add(new(unit.Code, "parent", new LocalizedText("Unknown parent {0}.", "Đơn vị cấp trên {0} không tồn tại.").Format(unit.Parent)));
                }
                else if (unit.ValidFrom < parent.ValidFrom || (parent.ValidTo is { } parentEnd && (unit.ValidTo is null || unit.ValidTo > parentEnd)))
                {
                    problems.Add(new(unit.Code, "validFrom", new LocalizedText(
                        "The unit's validity overlaps a time when its parent {0} does not exist.",
                        "Thời gian hiệu lực của đơn vị vượt ra ngoài thời gian tồn tại của đơn vị cấp trên {0}.").Format(unit.Parent)));
                }
            }
            ValidateSuccessors(unit, byCode, problems);
        }

        foreach (var code in FindCycles(byCode))
        {
            problems.Add(new(code, "parent", new("The unit is its own ancestor (a cycle).", "Đơn vị là cấp trên của chính nó (vòng lặp).")));
        }

        foreach (var group in byCode.Values.Where(u => u.GsoCode is not null).GroupBy(u => u.GsoCode!, StringComparer.Ordinal))
        {
            var sorted = group.OrderBy(u => u.ValidFrom).ToList();
            for (var i = 1; i < sorted.Count; i++)
            {
                if (sorted[i - 1].ValidTo is null || sorted[i - 1].ValidTo >= sorted[i].ValidFrom)
                {
                    problems.Add(new(sorted[i].Code, "gsoCode", new LocalizedText(
                        "The GSO code {0} is used by {1} during an overlapping time.",
                        "Mã thống kê {0} đang được đơn vị {1} sử dụng trong cùng thời gian.").Format(group.Key, sorted[i - 1].Code)));
                }
            }
        }
        return problems;
    }

    private static void ValidateSuccessors(Unit unit, Dictionary<string, Unit> byCode, List<UnitProblem> problems)
    {
        if (unit.Successors.Count > 0 && unit.ValidTo is null)
        {
            problems.Add(new(unit.Code, "successors", new("A current unit cannot have successors; set validTo.", "Đơn vị còn hiệu lực không thể có đơn vị kế thừa; hãy đặt ngày hết hiệu lực.")));
        }
        foreach (var successor in unit.Successors)
        {
            if (!byCode.TryGetValue(successor.Code, out var next))
            {
                problems.Add(new(unit.Code, "successors", new LocalizedText("Unknown successor {0}.", "Đơn vị kế thừa {0} không tồn tại.").Format(successor.Code)));
            }
            else if (unit.ValidTo is { } end && !next.IsActiveOn(end.AddDays(1)))
            {
                problems.Add(new(unit.Code, "successors", new LocalizedText(
                    "The successor {0} is not active on the day after this unit ends.",
                    "Đơn vị kế thừa {0} không có hiệu lực vào ngày sau khi đơn vị này kết thúc.").Format(successor.Code)));
            }
            if (successor.Share is { } share && (share <= 0 || share > 1))
            {
                problems.Add(new(unit.Code, "successors", new LocalizedText("The share for {0} must be above 0 and at most 1.", "Tỷ lệ chuyển cho {0} phải lớn hơn 0 và không quá 1.").Format(successor.Code)));
            }
        }
        if (unit.Successors.Select(s => s.Code).Distinct(StringComparer.Ordinal).Count() != unit.Successors.Count)
        {
            problems.Add(new(unit.Code, "successors", new("A successor is listed twice.", "Một đơn vị kế thừa bị liệt kê hai lần.")));
        }
        if (unit.Successors.Any(s => s.Share is not null))
        {
            if (unit.Successors.Any(s => s.Share is null))
            {
                problems.Add(new(unit.Code, "successors", new("Give a share for every successor or for none.", "Hãy ghi tỷ lệ cho tất cả hoặc không cho đơn vị kế thừa nào.")));
            }
            else if (Math.Abs(unit.Successors.Sum(s => s.Share!.Value) - 1m) > 0.0001m)
            {
                problems.Add(new(unit.Code, "successors", new("The successors' shares must add up to 1.", "Tổng tỷ lệ của các đơn vị kế thừa phải bằng 1.")));
            }
        }
    }

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
