using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Qcdc.Functions.Hosting;
using Qcdc.Functions.Security;
using Qcdc.Periods;
using Qcdc.Exports;
using Qcdc.Imports;

namespace Qcdc.Functions.Imports;

public sealed class ImportsFunctions(ReportImportService imports, PeriodCatalog periods)
{
    [Function("ImportReports")]
    [Access(AccessRule.Reviewer), Tags("Administration"), BodyLimit(ImportsApi.FileLimit), RequestBudget(120)]
    [RawBody("The rollup export's workbook (its sheet \"Số liệu đơn vị\", one row per report) or CSV (one row per unit, indicator and category), or a DHIS2 data value set (JSON or ADX XML); told apart by their content.",
        Spreadsheet.ContentType, "text/csv", "application/json", "application/adx+xml", "application/xml")]
    [QueryParameter("dryRun", "true (default): answer what would be written and every problem, write nothing; false: write when there is no problem.")]
    [QueryParameter("fileName", "The file's name, for the reports' history (\"imported from the file …\").")]
    [EndpointSummary("Past years in: reports of a form and period from a file, checked whole, each written in one commit, idempotent")]
    [ProducesProblem(400, 403, 413, 422)]
    public Task<Results<Ok<ImportsApi.OutcomeView>, ProblemHttpResult>> ImportReports(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/manage/imports/{form}/{period}")] HttpRequest request, string form, string period) =>
        ImportsApi.Import(form, period, request, imports, periods, request.HttpContext.RequestAborted);
}
