using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Qcdc.Exports;
using Qcdc.Functions.Hosting;
using Qcdc.Functions.Security;

namespace Qcdc.Functions.Exports;

/// <summary>What the province takes away: the rollup as a workbook or CSV, and the draft report as a Word document.</summary>
public sealed class ExportsFunctions(ExportSource source)
{
    /// <summary>A country's quarterly workbook reads every report of the quarter: minutes, not the usual seconds.</summary>
    private const double ExportSeconds = 120;

    [Function("ExportRollupWorkbook")]
    [Access(AccessRule.ReadUnit), Tags("Exports"), RequestBudget(ExportSeconds), ProducesFile(Spreadsheet.ContentType)]
    [EndpointSummary("The rollup as a workbook: totals by child unit, progress, every counted report's figures, the narratives")]
    [ProducesProblem(404, 422)]
    public Task<Results<FileStreamHttpResult, ProblemHttpResult>> ExportRollupWorkbook(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/exports/{form}/{period}/{unit}.xlsx")] HttpRequest request,
        string form, string period, string unit) =>
        ExportsApi.GetWorkbook(form, period, unit, source, request.HttpContext.RequestAborted);

    [Function("ExportRollupCsv")]
    [Access(AccessRule.ReadUnit), Tags("Exports"), RequestBudget(ExportSeconds), ProducesFile("text/csv")]
    [EndpointSummary("The rollup in long format: one line per unit of the subtree and figure, then the reports' narratives (UTF-8 with BOM, RFC 4180)")]
    [QueryParameter("headers", "vi (default): Vietnamese headers; codes: unit_code, indicator_code, … for programs.")]
    [QueryParameter("sep", "comma (default), or semicolon (with a first line sep=;) for Excel set to the Vietnamese locale.")]
    [ProducesProblem(404, 422)]
    public Task<Results<FileStreamHttpResult, ProblemHttpResult>> ExportRollupCsv(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/exports/{form}/{period}/{unit}.csv")] HttpRequest request,
        string form, string period, string unit) =>
        ExportsApi.GetCsv(form, period, unit, request, source, request.HttpContext.RequestAborted);

    [Function("ExportReportDocument")]
    [Access(AccessRule.ReadUnit), Tags("Exports"), RequestBudget(ExportSeconds), ProducesFile(ReportDocument.ContentType)]
    [EndpointSummary("The draft report (Decree 30/2020 layout); issuer, parent, number, place, date (yyyy-MM-dd), signer and title may be given")]
    [QueryParameter("issuer", "The issuing body (default: the unit's People's Committee)."), QueryParameter("parent", "The body above the issuer.")]
    [QueryParameter("number", "The document's number."), QueryParameter("place", "The place of issue."), QueryParameter("date", "The date of issue, yyyy-MM-dd.")]
    [QueryParameter("signer", "Who signs."), QueryParameter("title", "The signer's title.")]
    [ProducesProblem(404, 422)]
    public Task<Results<FileStreamHttpResult, ProblemHttpResult>> ExportReportDocument(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/reports/{form}/{period}/{unit}.docx")] HttpRequest request,
        string form, string period, string unit) =>
        ExportsApi.GetReport(form, period, unit, request.HttpContext, source, request.HttpContext.RequestAborted);
}
