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
        if (reading.Refusal is { } unreadable)
        {
            return SubmissionResult.Refuse(unreadable);
        }
        using var values = JsonDocument.Parse(reading.Values!.ToJsonString());
        var result = await submissions.SaveAsync(key, values.RootElement, request, cancellationToken);
        return result.Refusal is { } refused ? SubmissionResult.Refuse(FormWorkbook.ToCells(refused, reading.Layout)) : result;
    }
}
