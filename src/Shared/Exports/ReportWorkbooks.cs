using System.Text.Json;
using Qcdc.Periods;
using Qcdc.Problems;
using Qcdc.Submissions;

namespace Qcdc.Exports;

/// <summary>
/// A report as a workbook, out and back in. What comes back is a report write exactly like the JSON one (same checks,
/// If-Match, Idempotency-Key, revision and history), and each problem names the cell it came from.
/// </summary>
public sealed class ReportWorkbooks(SubmissionService submissions, PeriodCatalog periods)
{
    public Task<(ReportForm? Form, Refusal? Refusal)> FormAsync(SubmissionKey key, CancellationToken cancellationToken) =>
        submissions.FormOfAsync(key, cancellationToken);

    public void Write(Stream output, ReportForm form) => FormWorkbook.Write(output, form, VietnameseFormat.Period(form.Period, periods.Title(form.Period)));

    public static string FileName(ReportForm form) => $"{form.Form.Code}_{form.Period.Key}_{form.Unit.Code}.xlsx";

    public async Task<SubmissionResult> SaveAsync(SubmissionKey key, byte[] workbook, WriteRequest request, CancellationToken cancellationToken)
    {
        var (form, refusal) = await submissions.FormOfAsync(key, cancellationToken);
        if (form is null)
        {
            return SubmissionResult.Refuse(refusal!);
        }
        var reading = FormWorkbook.Read(workbook, form);
        var unreadCells = reading.Refusal?.Problems ?? [];
        if (reading.Values is null || (unreadCells.Count > 0 && reading.Values.Count == 0))
        {
            return SubmissionResult.Refuse(reading.Refusal!);
        }
        // A cell that did not read keeps what the report held: it is sent as the report's current value.
        var sent = reading.Values;
        foreach (var code in unreadCells.Select(p => p.Code).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            sent.Remove(code);
            if (form.Current?.Values[code] is { } earlier)
            {
                sent[code] = earlier.DeepClone();
            }
        }
        // The workbook names the revision it was filled from: it stands for If-Match when the request has none (a retry
        // with its Idempotency-Key is still answered as the first time).
        if (request.IfMatch is null && reading.Revision is { } filledFrom && (filledFrom > 0 || form.Current is not null))
        {
            request = request with { IfMatch = $"\"{filledFrom}\"" };
        }
        using var values = JsonDocument.Parse(sent.ToJsonString());
        var result = await submissions.SaveAsync(key, values.RootElement, request, cancellationToken);
        if (result.Refusal is { Kind: RefusalKind.PreconditionFailed } && reading.Revision is { } stale)
        {
            var now = (await submissions.GetAsync(key, cancellationToken))?.Revision ?? 0;
            return SubmissionResult.Refuse(Refusal.About(RefusalKind.PreconditionFailed, "workbook", ExportTexts.StaleWorkbook.Format(stale, now)));
        }
        if (result.Refusal is { } refused)
        {
            return SubmissionResult.Refuse(FormWorkbook.ToCells(refused with { Problems = [.. unreadCells, .. refused.Problems] }, reading.Layout));
        }
        return result with
        {
            Refused = [.. unreadCells, .. FormWorkbook.ToCells(result.Refused, reading.Layout)],
            Checks = [.. result.Checks.Select(c => FormWorkbook.ToCells(c, reading.Layout))],
        };
    }
}
