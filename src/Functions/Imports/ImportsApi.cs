using Microsoft.AspNetCore.Http.HttpResults;
using Qcdc.Functions.Problems;
using Qcdc.Functions.Security;
using Qcdc.Localization;
using Qcdc.Periods;
using Qcdc.Problems;
using Qcdc.Imports;

namespace Qcdc.Functions.Imports;

public static class ImportsApi
{
    public const long FileLimit = 16 * 1024 * 1024;

    public sealed record ImportProblemView(int Row, string Column, string Message, string? Cell);

    public sealed record ImportedReportView(string Unit, string? Name, string Action, IReadOnlyList<int> Rows, System.Text.Json.Nodes.JsonObject Values);

    public sealed record OutcomeView(
        string Form, string Period, string FileName, bool DryRun, int Rows, IReadOnlyList<ImportedReportView> Reports, IReadOnlyList<ImportProblemView> Problems,
        IReadOnlyList<string> SkippedTotals, int Written);

    private static readonly LocalizedText BadDryRun = new("dryRun is true or false.", "dryRun là true hoặc false.");
    private static readonly LocalizedText Refused = new("The file has {0} problem(s); nothing was written.", "Tệp có {0} lỗi; chưa có dữ liệu nào được ghi.");

    internal static async Task<Results<Ok<OutcomeView>, ProblemHttpResult>> Import(
        string form, string period, HttpRequest request, ReportImportService imports, PeriodCatalog periods, CancellationToken cancellationToken)
    {
        var dryRunText = request.Query["dryRun"].ToString();
        if (dryRunText.Length > 0 && !bool.TryParse(dryRunText, out _))
        {
            return ProblemResults.About(RefusalKind.BadRequest, "dryRun", BadDryRun);
        }
        var dryRun = dryRunText.Length == 0 || bool.Parse(dryRunText);
        if (!periods.TryResolve(period, out var resolved))
        {
            return ProblemResults.Invalid([new FieldProblem("period", CommonTexts.BadPeriod.Format(period))], CommonTexts.BadPeriod.Format(period));
        }
        var fileName = UserText.ForFiles(request.Query["fileName"].ToString()) is { Length: > 0 } given ? given : "tệp tải lên";
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        var outcome = await imports.ImportAsync(form, resolved, fileName, buffer.GetBuffer().AsMemory(0, (int)buffer.Length),
            request.HttpContext.User.ToActor()!, dryRun, cancellationToken);
        if (!dryRun && outcome.Problems.Count > 0)
        {
            return ProblemResults.Invalid([.. outcome.Problems.Select(p => new FieldProblem(p.Cell ?? $"rows[{p.Row}].{p.Column}", p.Message))], Refused.Format(outcome.Problems.Count));
        }
        return TypedResults.Ok(new OutcomeView(outcome.Form, outcome.Period, outcome.FileName, outcome.DryRun, outcome.Rows,
            [.. outcome.Reports.Select(r => new ImportedReportView(r.Unit, r.Name, r.Action.ToString().ToLowerInvariant(), r.Rows, r.Values))],
            [.. outcome.Problems.Select(p => new ImportProblemView(p.Row, p.Column, p.Message.Current, p.Cell))], outcome.SkippedTotals, outcome.Written));
    }
}
