using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Qcdc.Exports;
using Qcdc.Functions.Http;
using Qcdc.Functions.Problems;
using Qcdc.Functions.Security;
using Qcdc.Problems;
using Qcdc.Rollups;

namespace Qcdc.Functions.Exports;

/// <summary>What the province takes away: the rollup as a workbook or CSV, and the draft report as a Word document.</summary>
public static class ExportsApi
{
    /// <summary>A country's quarterly workbook reads every report of the quarter: minutes, not the usual seconds.</summary>
    private static readonly TimeSpan ExportBudget = TimeSpan.FromMinutes(2);

    public static IEndpointRouteBuilder MapExportsApi(this IEndpointRouteBuilder routes)
    {
        var exports = routes.MapGroup("/api/exports/{form}/{period}").WithTags("Exports");
        exports.MapGet("/{unit}.xlsx", GetWorkbook).WithName("ExportRollupWorkbook")
            .WithSummary("The rollup as a workbook: totals by child unit, progress, every counted report's figures, the narratives")
            .WithRequestBudget(ExportBudget)
            .Produces(200, contentType: Spreadsheet.ContentType)
            .ProducesProblem(404).ProducesProblem(422)
            .RequireAccess(AccessRule.ReadUnit);
        exports.MapGet("/{unit}.csv", GetCsv).WithName("ExportRollupCsv")
            .WithSummary("The rollup in long format: one line per unit of the subtree and figure (UTF-8 with BOM, RFC 4180)")
            .WithRequestBudget(ExportBudget)
            .Produces(200, contentType: "text/csv")
            .ProducesProblem(404).ProducesProblem(422)
            .RequireAccess(AccessRule.ReadUnit);
        routes.MapGroup("/api/reports/{form}/{period}").WithTags("Exports")
            .MapGet("/{unit}.docx", GetReport).WithName("ExportReportDocument")
            .WithSummary("The draft report (Decree 30/2020 layout); issuer, parent, number, place, date (yyyy-MM-dd), signer and title may be given")
            .WithRequestBudget(ExportBudget)
            .Produces(200, contentType: ReportDocument.ContentType)
            .ProducesProblem(404).ProducesProblem(422)
            .RequireAccess(AccessRule.ReadUnit);
        return routes;
    }

    internal static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> GetWorkbook(
        string form, string period, string unit, ExportSource source, CancellationToken cancellationToken)
    {
        var (data, problem) = await LoadAsync(form, period, unit, source, cancellationToken);
        if (data is null)
        {
            return problem!;
        }
        var file = TemporaryFile();
        try
        {
            await RollupWorkbook.WriteAsync(file, data, source.ReportsAsync(data, cancellationToken), cancellationToken);
            return Send(file, Spreadsheet.ContentType, data, "xlsx");
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    internal static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> GetCsv(
        string form, string period, string unit, ExportSource source, CancellationToken cancellationToken)
    {
        var (data, problem) = await LoadAsync(form, period, unit, source, cancellationToken);
        if (data is null)
        {
            return problem!;
        }
        var file = TemporaryFile();
        try
        {
            await RollupCsv.WriteAsync(file, data, CultureInfo.CurrentUICulture, cancellationToken);
            return Send(file, RollupCsv.ContentType, data, "csv");
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    internal static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> GetReport(
        string form, string period, string unit, HttpContext http, ExportSource source, CancellationToken cancellationToken)
    {
        var (data, problem) = await LoadAsync(form, period, unit, source, cancellationToken);
        if (data is null)
        {
            return problem!;
        }
        var query = http.Request.Query;
        var (heading, refusal) = ReportHeading.From(data.Unit, data.Hierarchy, data.Period.LastQuarter / 4, name => query.TryGetValue(name, out var v) && v.Count > 0 ? v[0] : null);
        if (heading is null)
        {
            return ProblemResults.Of(refusal!);
        }
        var latest = await source.LatestReportsAsync(data, cancellationToken);
        var file = TemporaryFile();
        try
        {
            ReportDocument.Write(file, data, heading, latest);
            return Send(file, ReportDocument.ContentType, data, "docx");
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    private static async Task<(ExportData? Data, ProblemHttpResult? Problem)> LoadAsync(
        string form, string period, string unit, ExportSource source, CancellationToken cancellationToken)
    {
        var (data, refusal, existence) = await source.LoadAsync(form, period, unit, cancellationToken);
        return data is not null
            ? (data, null)
            : (null, ProblemResults.Of(refusal!, existence is null ? null : [KeyValuePair.Create<string, object?>("unit", existence)]));
    }

    /// <summary>Exports are written to a file that goes away when it is closed, so a large one never sits in memory.</summary>
    private static FileStream TemporaryFile() => new(
        Path.Combine(Path.GetTempPath(), "qcdc-export-" + Guid.NewGuid().ToString("N")), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None,
        64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);

    private static FileStreamHttpResult Send(FileStream file, string contentType, ExportData data, string extension)
    {
        file.Position = 0;
        return TypedResults.Stream(file, contentType, $"{data.Form.Code}_{data.Period.Key}_{data.Unit.Code}.{extension}");
    }
}
