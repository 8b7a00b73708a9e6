using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Qcdc.Exports;
using Qcdc.Functions.Hosting;
using Qcdc.Functions.Security;
using static Qcdc.Functions.Submissions.SubmissionsApi;

namespace Qcdc.Functions.Submissions;

/// <summary>A report as an Excel workbook: download the form pre-filled, fill it in, hand it back (a report write like PUT).</summary>
public sealed class ReportWorkbookFunctions(ReportWorkbooks workbooks)
{
    private const string Route = "api/submissions/{form}/{period}/{unit}/workbook";

    [Function("GetReportWorkbook")]
    [Access(AccessRule.ReadUnit), Tags("Submissions"), ProducesFile(Spreadsheet.ContentType)]
    [EndpointSummary("The unit's form as an Excel workbook, pre-filled with the report as it stands, to fill in and send back with PUT")]
    [ProducesProblem(404, 422)]
    public Task<Results<FileStreamHttpResult, ProblemHttpResult>> GetReportWorkbook(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Route)] HttpRequest request, string form, string period, string unit) =>
        ReportWorkbookApi.GetWorkbook(form, period, unit, workbooks, request.HttpContext.RequestAborted);

    // No accepted media type: the access rule runs before the handler checks that the body is a workbook.
    [Function("SaveReportWorkbook")]
    [Access(AccessRule.WriteUnit), Tags("Submissions"), BodyLimit(ReportWorkbookApi.WorkbookLimit), WriteConditions]
    [RawBody("The filled-in workbook downloaded from GET …/workbook.", Spreadsheet.ContentType)]
    [EndpointSummary("Write the report from its filled-in workbook (the body, as .xlsx): same checks and conditions as PUT; problems name their cells")]
    [ProducesProblem(404, 409, 412, 413, 415, 422, 428)]
    public Task<Results<Ok<ReportView>, Created<ReportView>, ProblemHttpResult>> SaveReportWorkbook(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = Route)] HttpRequest request, string form, string period, string unit) =>
        ReportWorkbookApi.PutWorkbook(form, period, unit, request.HttpContext, workbooks, request.HttpContext.RequestAborted);
}
