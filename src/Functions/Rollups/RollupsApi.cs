using Microsoft.AspNetCore.Http.HttpResults;
using Qcdc.Functions.Http;
using Qcdc.Functions.Problems;
using Qcdc.Functions.Security;
using Qcdc.Localization;
using Qcdc.Periods;
using Qcdc.Problems;
using Qcdc.Rollups;
using Qcdc.Units;

namespace Qcdc.Functions.Rollups;

public static class RollupsApi
{
    /// <summary>
    /// A read may recompute a stale rollup before it answers: long enough for the first rollup of a country-sized
    /// quarter; when an older snapshot exists it is answered, marked stale, after <see cref="RollupOptions.FreshWait"/>.
    /// </summary>
    public static readonly TimeSpan ReadBudget = TimeSpan.FromSeconds(30);

    public sealed record RunRequest(string Form, string Period);

    internal static async Task<Results<Ok<UnitRollup>, ProblemHttpResult>> GetRollup(
        string form, string period, string unit, RollupService rollups, UnitStore units, PeriodCatalog periods, CancellationToken cancellationToken)
    {
        var (read, refusal) = await ReadAsync(form, period, unit, rollups, periods, cancellationToken);
        return read is null ? refusal! : TypedResults.Ok(RollupViews.ForUnit(read, unit, await units.GetHierarchyAsync(cancellationToken)));
    }

    internal static async Task<Results<Ok<CompletenessListing>, ProblemHttpResult>> GetCompleteness(
        string form, string period, string unit, RollupService rollups, UnitStore units, PeriodCatalog periods, CancellationToken cancellationToken)
    {
        var (read, refusal) = await ReadAsync(form, period, unit, rollups, periods, cancellationToken);
        return read is null ? refusal! : TypedResults.Ok(RollupViews.Completeness(read, unit, await units.GetHierarchyAsync(cancellationToken)));
    }

    private static async Task<(RollupRead? Read, ProblemHttpResult? Refusal)> ReadAsync(
        string form, string period, string unit, RollupService rollups, PeriodCatalog periods, CancellationToken cancellationToken)
    {
        if (!periods.TryResolve(period, out var resolved))
        {
            return (null, ProblemResults.Invalid([new FieldProblem("period", CommonTexts.BadPeriod.Format(period))], CommonTexts.BadPeriod.Format(period)));
        }
        var (refusal, existence) = await rollups.CheckAsync(form, resolved, unit, cancellationToken);
        if (refusal is not null)
        {
            return (null, ProblemResults.Of(refusal, existence is null ? null : [KeyValuePair.Create<string, object?>("unit", existence)]));
        }
        return (await rollups.ReadAsync(form, resolved, cancellationToken), null);
    }

    internal static async Task<Results<Ok<Reconciliation>, ProblemHttpResult>> GetReconciliation(
        string form, string period, string unit, ReconciliationService reconciliation, PeriodCatalog periods, CancellationToken cancellationToken)
    {
        if (!periods.TryResolve(period, out var resolved))
        {
            return ProblemResults.Invalid([new FieldProblem("period", CommonTexts.BadPeriod.Format(period))], CommonTexts.BadPeriod.Format(period));
        }
        var (refusal, result) = await reconciliation.ReconcileAsync(form, resolved, unit, cancellationToken);
        return refusal is not null ? ProblemResults.Of(refusal) : TypedResults.Ok(result!);
    }

    internal static async Task<Results<Ok<RollupSummary>, ProblemHttpResult>> RunRollup(
        RunRequest request, RollupService service, PeriodCatalog periods, CancellationToken cancellationToken)
    {
        if ((KeyParts.Check("form", KeyPart.Form, request.Form) ?? KeyParts.Check("period", KeyPart.Period, request.Period)) is { } malformed)
        {
            return ProblemResults.About(RefusalKind.BadRequest, malformed.Field, malformed.Message);
        }
        if (!periods.TryResolve(request.Period, out var period))
        {
            return ProblemResults.Invalid([new FieldProblem("period", CommonTexts.BadPeriod.Format(request.Period))], CommonTexts.BadPeriod.Format(request.Period));
        }
        var summary = await service.RunAsync(request.Form, period, cancellationToken);
        var notRun = RollupTexts.QuarterOnly.Format(request.Form, request.Period);
        return summary is null ? ProblemResults.Invalid([new FieldProblem("period", notRun)], notRun) : TypedResults.Ok(summary);
    }
}
