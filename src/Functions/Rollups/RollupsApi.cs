using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Qcdc.Functions.Http;
using Qcdc.Functions.Problems;
using Qcdc.Functions.Security;
using Qcdc.Localization;
using Qcdc.Periods;
using Qcdc.Problems;
using Qcdc.Rollups;

namespace Qcdc.Functions.Rollups;

public static class RollupsApi
{
    public static IEndpointRouteBuilder MapRollupsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/api/rollups").WithTags("Rollups")
            .MapGet("/{form}/{period}/{unit}", GetRollup).WithName("GetRollup")
            .WithSummary("Aggregated values over the unit's subtree, with completeness")
            .ProducesProblem(404)
            .RequireAccess(AccessRule.ReadUnit);
        routes.MapGroup("/api/admin/rollups").WithTags("Administration")
            .MapPost("/run", RunRollup).WithName("RunRollup")
            .WithSummary("Run a rollup now ({form, period}) and return its summary")
            .WithBodyLimit(4 * 1024)
            .WithRequestBudget(TimeSpan.FromMinutes(2))
            .ProducesProblem(422)
            .RequireAccess(AccessRule.Admin);
        return routes;
    }

    public sealed record CompletenessView(int Expected, int Submitted, int OnTime, int Late, IReadOnlyList<string> Missing);

    public sealed record RollupView(
        string Form, string Period, string Unit, JsonObject Values, CompletenessView Completeness, DateTimeOffset ComputedAt, IReadOnlyList<string> Notes);

    public sealed record RunRequest(string Form, string Period);

    internal static async Task<Results<Ok<RollupView>, ProblemHttpResult>> GetRollup(
        string form, string period, string unit, RollupStore rollups, CancellationToken cancellationToken)
    {
        var rollup = await rollups.GetAsync(form, period, unit, cancellationToken);
        if (rollup is null)
        {
            return ProblemResults.NotFound(RollupTexts.NeverComputed.Format(form, period, unit));
        }
        var c = rollup.Completeness;
        return TypedResults.Ok(new RollupView(form, period, unit, rollup.Values, new CompletenessView(c.Expected, c.Submitted, c.OnTime, c.Late, c.Missing), rollup.ComputedAt, rollup.Notes));
    }

    internal static async Task<Results<Ok<RollupSummary>, ProblemHttpResult>> RunRollup(
        RunRequest request, RollupService service, PeriodCatalog periods, CancellationToken cancellationToken)
    {
        if (!periods.TryResolve(request.Period, out var period))
        {
            return ProblemResults.Invalid([new FieldProblem("period", CommonTexts.BadPeriod.Format(request.Period))], CommonTexts.BadPeriod.Format(request.Period));
        }
        var summary = period.Type == PeriodType.Quarter
            ? await service.RunQuarterAsync(request.Form, period, cancellationToken)
            : await service.RunPeriodAsync(request.Form, period, cancellationToken);
        var notRun = RollupTexts.QuarterOnly.Format(request.Form, request.Period);
        return summary is null ? ProblemResults.Invalid([new FieldProblem("period", notRun)], notRun) : TypedResults.Ok(summary);
    }
}
