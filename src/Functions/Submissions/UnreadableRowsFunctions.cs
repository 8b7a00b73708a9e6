using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Qcdc.Functions.Hosting;
using Qcdc.Functions.Problems;
using Qcdc.Functions.Security;
using Qcdc.Localization;
using Qcdc.Periods;
using Qcdc.Problems;
using Qcdc.Submissions;

namespace Qcdc.Functions.Submissions;

/// <summary>Stored report rows that cannot be read (readers skip them), listed for an administrator to repair.</summary>
public sealed class UnreadableRowsFunctions(SubmissionStore store, PeriodCatalog periods)
{
    public sealed record UnreadableList(string Form, string Period, IReadOnlyList<UnreadableRow> Rows);

    [Function("ListUnreadableRows")]
    [Access(AccessRule.Admin), Tags("Administration")]
    [EndpointSummary("The stored rows of a form and period that cannot be read (readers skip them), with their keys, for repair")]
    [ProducesProblem(400)]
    public async Task<Results<Ok<UnreadableList>, ProblemHttpResult>> ListUnreadableRows(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/manage/unreadable/{form}/{period}")] HttpRequest request, string form, string period)
    {
        if (!periods.TryResolve(period, out _))
        {
            return ProblemResults.About(RefusalKind.BadRequest, "period", CommonTexts.BadPeriod.Format(period));
        }
        return TypedResults.Ok(new UnreadableList(form, period, await store.FindUnreadableAsync(form, period, request.HttpContext.RequestAborted)));
    }
}
