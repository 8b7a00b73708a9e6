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

    private static readonly Qcdc.Localization.LocalizedText BadCsvOption = new(
        "headers is vi (the default) or codes; sep is comma (the default) or semicolon.",
        "headers là vi (mặc định) hoặc codes; sep là comma (mặc định) hoặc semicolon.");

    internal static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> GetCsv(
        string form, string period, string unit, HttpRequest request, ExportSource source, CancellationToken cancellationToken)
    {
        var (headers, sep) = (request.Query["headers"].ToString(), request.Query["sep"].ToString());
        if (headers is not ("" or "vi" or "codes") || sep is not ("" or "comma" or "semicolon"))
        {
            return ProblemResults.About(RefusalKind.BadRequest, headers is "" or "vi" or "codes" ? "sep" : "headers", BadCsvOption);
        }
        var (data, problem) = await LoadAsync(form, period, unit, source, cancellationToken);
        if (data is null)
        {
            return problem!;
        }
        var file = TemporaryFile();
        try
        {
            await RollupCsv.WriteAsync(file, data, new CsvLayout(headers == "codes", sep == "semicolon"), source.ReportsAsync(data, cancellationToken), cancellationToken);
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
        var (heading, refusal) = ReportHeading.From(data.Unit, data.Hierarchy, data.Period.LastQuarter / 4, name => query.TryGetValue(name, out var v) && v.Count > 0 ? v[0] : null,
            source.Reports.Recipients);
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
