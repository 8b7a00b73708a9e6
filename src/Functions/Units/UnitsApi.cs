using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Qcdc.Functions.Problems;
using Qcdc.Functions.Security;
using Qcdc.Localization;
using Qcdc.Periods;
using Qcdc.Problems;
using Qcdc.Seeds;
using Qcdc.Units;

namespace Qcdc.Functions.Units;

public static class UnitsApi
{
    public sealed record SuccessorView(string Code, string? Name, decimal? Share);

    public sealed record UnitView(
        string Code, string Name, string Kind, string? Parent, DateOnly ValidFrom, DateOnly? ValidTo, string? GsoCode,
        IReadOnlyList<SuccessorView> Successors)
    {
        public static UnitView From(Unit unit, UnitHierarchy hierarchy) => new(
            unit.Code, unit.Name, unit.Kind, unit.Parent, unit.ValidFrom, unit.ValidTo, unit.GsoCode,
            [.. unit.Successors.Select(s => new SuccessorView(s.Code, hierarchy.Find(s.Code)?.Name, s.Share))]);
    }

    public sealed record UnitList(DateOnly AsOf, string? Parent, IReadOnlyList<UnitView> Units);

    public sealed record UnitDetail(
        UnitView Unit, DateOnly AsOf, bool Active, IReadOnlyList<UnitView> Ancestry, IReadOnlyList<UnitView> Children,
        IReadOnlyList<SuccessorView> Predecessors);

    internal static async Task<Results<Ok<UnitList>, ProblemHttpResult>> ListUnits(
        string? parent, string? asOf, UnitStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!TryParseDate(asOf, time, out var date))
        {
            return ProblemResults.About(RefusalKind.BadRequest, "asOf", UnitTexts.BadDate);
        }
        var hierarchy = await store.GetHierarchyAsync(cancellationToken);
        if (parent is null)
        {
            return TypedResults.Ok(new UnitList(date, null, [.. hierarchy.RootsAsOf(date).Select(u => UnitView.From(u, hierarchy))]));
        }
        if (hierarchy.Find(parent) is null)
        {
            return ProblemResults.NotFound(CommonTexts.UnknownUnit.Format(parent));
        }
        return TypedResults.Ok(new UnitList(date, parent, [.. hierarchy.ChildrenAsOf(parent, date).Select(u => UnitView.From(u, hierarchy))]));
    }

    internal static async Task<Results<Ok<UnitDetail>, ProblemHttpResult>> GetUnit(
        string code, string? asOf, UnitStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!TryParseDate(asOf, time, out var date))
        {
            return ProblemResults.About(RefusalKind.BadRequest, "asOf", UnitTexts.BadDate);
        }
        var hierarchy = await store.GetHierarchyAsync(cancellationToken);
        if (hierarchy.Find(code) is not { } unit)
        {
            return ProblemResults.NotFound(CommonTexts.UnknownUnit.Format(code));
        }
        var predecessors = hierarchy.Predecessors(code)
            .Select(p => new SuccessorView(p.Code, p.Name, p.Successors.First(s => s.Code == code).Share))
            .ToList();
        return TypedResults.Ok(new UnitDetail(
            UnitView.From(unit, hierarchy),
            date,
            unit.IsActiveOn(date),
            [.. hierarchy.Ancestry(code, date).Select(u => UnitView.From(u, hierarchy))],
            [.. hierarchy.ChildrenAsOf(code, date).Select(u => UnitView.From(u, hierarchy))],
            predecessors));
    }

    internal static async Task<Results<Ok<UnitImportResult>, ProblemHttpResult>> ImportUnits(
        UnitFile file, UnitStore store, CancellationToken cancellationToken)
    {
        UnitImportResult? result;
        IReadOnlyList<FieldProblem> problems;
        try
        {
            (result, problems) = await store.ImportAsync(file.Units, cancellationToken);
        }
        catch (UnitImportConflictException)
        {
            return ProblemResults.Of(RefusalKind.Concurrent, UnitTexts.ImportRace);
        }
        if (result is null)
        {
            return ProblemResults.Invalid(problems, UnitTexts.InvalidImport.Format(problems.Count));
        }
        return TypedResults.Ok(result);
    }

    private static bool TryParseDate(string? text, TimeProvider time, out DateOnly date)
    {
        if (string.IsNullOrEmpty(text))
        {
            date = VietnamTime.Today(time);
            return true;
        }
        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
    }
}
