using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Qcdc.Functions.Hosting;
using Qcdc.Functions.Http;
using Qcdc.Functions.Security;
using Qcdc.Seeds;
using Qcdc.Units;
using static Qcdc.Functions.Units.UnitsApi;

namespace Qcdc.Functions.Units;

public sealed class UnitsFunctions(UnitStore store, TimeProvider time)
{
    [Function("ListUnits")]
    [Access(AccessRule.Anonymous), Tags("Units"), EndpointSummary("Units under a parent (or the roots) as of a date")]
    [QueryParameter("parent", "The parent unit's code (default: the roots)."), QueryParameter("asOf", "The date, yyyy-MM-dd (default: today in Vietnam).")]
    [ProducesProblem(400, 404)]
    public Task<Results<Ok<UnitList>, ProblemHttpResult>> ListUnits(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/units")] HttpRequest request) =>
        UnitsApi.ListUnits(request.Query("parent"), request.Query("asOf"), store, time, request.HttpContext.RequestAborted);

    [Function("GetUnit")]
    [Access(AccessRule.Anonymous), Tags("Units")]
    [EndpointSummary("One unit with its ancestry, children, validity, successors and predecessors")]
    [QueryParameter("asOf", "The date, yyyy-MM-dd (default: today in Vietnam).")]
    [ProducesProblem(400, 404)]
    public Task<Results<Ok<UnitDetail>, ProblemHttpResult>> GetUnit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/units/{code}")] HttpRequest request, string code) =>
        UnitsApi.GetUnit(code, request.Query("asOf"), store, time, request.HttpContext.RequestAborted);

    [Function("ImportUnits")]
    [Access(AccessRule.Admin), Tags("Administration"), BodyLimit(32 * 1024 * 1024), RequestBudget(120), AcceptsJson(typeof(UnitFile))]
    [EndpointSummary("Import units (the seeds/units.json shape): all validated first, then switched to at once or not at all")]
    [ProducesProblem(409, 422)]
    public Task<Results<Ok<UnitImportResult>, ProblemHttpResult>> ImportUnits(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/manage/units")] HttpRequest request) =>
        UnitsApi.ImportUnits(request.ReadJson<UnitFile>(), store, request.HttpContext.RequestAborted);
}
