using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Qcdc.Functions.Hosting;
using Qcdc.Functions.Http;
using Qcdc.Functions.Security;
using Qcdc.Periods;
using Qcdc.Rollups;
using Qcdc.Units;
using static Qcdc.Functions.Rollups.RollupsApi;

namespace Qcdc.Functions.Rollups;

public sealed class RollupsFunctions(RollupService rollups, UnitStore units, PeriodCatalog periods, ReconciliationService reconciliation)
{
    /// <summary>
    /// A read may recompute a stale rollup before it answers: long enough for the first rollup of a country-sized
    /// quarter; when an older snapshot exists it is answered, marked stale, after <see cref="RollupOptions.FreshWait"/>.
    /// </summary>
    public const double ReadSeconds = 30;

    [Function("GetRollup")]
    [Access(AccessRule.ReadUnit), Tags("Rollups"), RequestBudget(ReadSeconds)]
    [EndpointSummary("Aggregated values over the unit's subtree, up to date, with completeness")]
    [EndpointDescription("Recomputed first when a report, the hierarchy or the form changed since the last snapshot; "
        + "when that cannot be done in time the last snapshot is answered with stale: true.")]
    [ProducesProblem(404, 422)]
    public Task<Results<Ok<UnitRollup>, ProblemHttpResult>> GetRollup(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/rollups/{form}/{period}/{unit}")] HttpRequest request,
        string form, string period, string unit) =>
        RollupsApi.GetRollup(form, period, unit, rollups, units, periods, request.HttpContext.RequestAborted);

    [Function("GetCompleteness")]
    [Access(AccessRule.ReadUnit), Tags("Rollups"), RequestBudget(ReadSeconds)]
    [EndpointSummary("Every reporting unit expected under the unit, where its report stands, and the reporting rates")]
    [ProducesProblem(404, 422)]
    public Task<Results<Ok<CompletenessListing>, ProblemHttpResult>> GetCompleteness(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/completeness/{form}/{period}/{unit}")] HttpRequest request,
        string form, string period, string unit) =>
        RollupsApi.GetCompleteness(form, period, unit, rollups, units, periods, request.HttpContext.RequestAborted);

    [Function("GetReconciliation")]
    [Access(AccessRule.ReadUnit), Tags("Rollups"), RequestBudget(ReadSeconds)]
    [EndpointSummary("A five-year form's reports under the unit beside what their quarterly reports add up to over the window")]
    [EndpointDescription("Each figure of each five-year report (its number, categories, or a ratio's numerator and denominator) with "
        + "the figure computed from the quarterly form over the same window by the rollup's rules, the difference and its percentage; "
        + "unitsOverThreshold lists the units with a difference beyond the threshold (Rollups:ReconcileThresholdPercent, default 10).")]
    [ProducesProblem(404, 422)]
    public Task<Results<Ok<Reconciliation>, ProblemHttpResult>> GetReconciliation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/reconciliation/{form}/{period}/{unit}")] HttpRequest request,
        string form, string period, string unit) =>
        RollupsApi.GetReconciliation(form, period, unit, reconciliation, periods, request.HttpContext.RequestAborted);

    [Function("RunRollup")]
    [Access(AccessRule.Admin), Tags("Administration"), BodyLimit(4 * 1024), RequestBudget(120), AcceptsJson(typeof(RunRequest))]
    [EndpointSummary("Recompute a rollup now ({form, period}) and return its summary")]
    [ProducesProblem(422)]
    public Task<Results<Ok<RollupSummary>, ProblemHttpResult>> RunRollup(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/manage/rollups/run")] HttpRequest request) =>
        RollupsApi.RunRollup(request.ReadJson<RunRequest>(), rollups, periods, request.HttpContext.RequestAborted);
}
