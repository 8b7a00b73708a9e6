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
