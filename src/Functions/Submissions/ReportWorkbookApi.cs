using Microsoft.AspNetCore.Http.HttpResults;
using Qcdc.Exports;
using Qcdc.Functions.Http;
using Qcdc.Functions.OpenApi;
using Qcdc.Functions.Problems;
using Qcdc.Functions.Security;
using Qcdc.Submissions;
using static Qcdc.Functions.Submissions.SubmissionsApi;

namespace Qcdc.Functions.Submissions;

/// <summary>A report as an Excel workbook: download the form pre-filled, fill it in, hand it back (a report write like PUT).</summary>
public static class ReportWorkbookApi
{
    /// <summary>A filled-in form is tens of kilobytes; three narratives at their limit stay far below this.</summary>
    public const int WorkbookLimit = 2 * 1024 * 1024;

    public const string MacroWorkbookType = "application/vnd.ms-excel.sheet.macroEnabled.12";

    public static IEndpointRouteBuilder MapReportWorkbookApi(this IEndpointRouteBuilder routes)
    {
        var workbook = routes.MapGroup("/api/submissions/{form}/{period}/{unit}/workbook").WithTags("Submissions");
        workbook.MapGet("", GetWorkbook).WithName("GetReportWorkbook")
            .WithSummary("The unit's form as an Excel workbook, pre-filled with the report as it stands, to fill in and send back with PUT")
            .Produces(200, contentType: Spreadsheet.ContentType)
            .ProducesProblem(404).ProducesProblem(422)
            .RequireAccess(AccessRule.ReadUnit);
        // No Accepts<>: routing would answer 415 before the access rule runs; the handler checks the media type.
        workbook.MapPut("", PutWorkbook).WithName("SaveReportWorkbook").WithBodyLimit(WorkbookLimit)
            .WithSummary("Write the report from its filled-in workbook (the body, as .xlsx): same checks and conditions as PUT; problems name their cells")
            .WithRawBody("The filled-in workbook downloaded from GET …/workbook.", Spreadsheet.ContentType)
            .WithWriteConditions()
            .ProducesProblem(404).ProducesProblem(409).ProducesProblem(412).ProducesProblem(413).ProducesProblem(415).ProducesProblem(422).ProducesProblem(428)
            .RequireAccess(AccessRule.WriteUnit);
        return routes;
    }

    internal static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> GetWorkbook(
        string form, string period, string unit, ReportWorkbooks workbooks, CancellationToken cancellationToken)
    {
        var (report, refusal) = await workbooks.FormAsync(new SubmissionKey(form, period, unit), cancellationToken);
        if (report is null)
        {
            return ProblemResults.Of(refusal!);
        }
        var content = new MemoryStream();
        workbooks.Write(content, report);
        content.Position = 0;
        return TypedResults.Stream(content, Spreadsheet.ContentType, ReportWorkbooks.FileName(report));
    }

    internal static async Task<Results<Ok<ReportView>, Created<ReportView>, ProblemHttpResult>> PutWorkbook(
        string form, string period, string unit, HttpContext http, ReportWorkbooks workbooks, CancellationToken cancellationToken)
    {
        var type = http.Request.ContentType?.Split(';')[0].Trim();
        if (string.Equals(type, MacroWorkbookType, StringComparison.OrdinalIgnoreCase))
        {
            return ProblemResults.UnsupportedMediaType(ExportTexts.Macros);
        }
        if (!string.Equals(type, Spreadsheet.ContentType, StringComparison.OrdinalIgnoreCase))
        {
            return ProblemResults.UnsupportedMediaType(ExportTexts.SendWorkbook);
        }
        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body, cancellationToken);
        var bytes = body.ToArray();
        var (request, problem) = WriteConditions.Read(http, bytes);
        if (problem is not null)
        {
            return problem;
        }
        return Answer(await workbooks.SaveAsync(new SubmissionKey(form, period, unit), bytes, request!, cancellationToken), http);
    }
}
