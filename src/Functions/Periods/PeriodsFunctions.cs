using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Qcdc.Forms;
using Qcdc.Functions.Hosting;
using Qcdc.Functions.Http;
using Qcdc.Functions.Security;
using Qcdc.Periods;
using static Qcdc.Functions.Periods.PeriodsApi;

namespace Qcdc.Functions.Periods;

public sealed class PeriodsFunctions(FormStore forms, PeriodCatalog periods, TimeProvider time)
{
    [Function("ListPeriods")]
    [Access(AccessRule.Anonymous), Tags("Periods")]
    [EndpointSummary("The form's periods ending in a year, with data cut-off, deadlines, lock date and whether each is open now")]
    [QueryParameter("year", "The year the periods end in (default: this year).")]
    [ProducesProblem(400, 404)]
    public Task<Results<Ok<PeriodList>, ProblemHttpResult>> ListPeriods(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/periods/{form}")] HttpRequest request, string form) =>
        PeriodsApi.ListPeriods(form, request.Query("year"), forms, periods, time, request.HttpContext.RequestAborted);

    [Function("ListWindows")]
    [Access(AccessRule.Anonymous), Tags("Periods")]
    [EndpointSummary("The named windows (e.g. NQ02-2017) that rollups and exports accept as a period, with their quarters")]
    public Ok<WindowList> ListWindows([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/windows")] HttpRequest request) =>
        PeriodsApi.ListWindows(periods);
}
