using System.Text.Json.Nodes;
using Qcdc.Forms;
using Qcdc.Rollups;
using Qcdc.Submissions;

namespace Qcdc.Exports;

/// <summary>
/// The workbook of a unit's rollup: "Tổng hợp" (the totals, one column per child unit), "Tiến độ" (who has reported,
/// and how many of the expected values are filled), "Số liệu đơn vị" (every counted report's figures), "Thuyết minh"
/// (the narratives) and "Kiểm tra số liệu" (every check of those reports: broken rules and outliers, as found when each
/// was last written, with open follow-ups). Sheets are written a row at a time; the counted reports are read once,
/// page by page, and written to the last three sheets as they arrive.
/// </summary>
public static class RollupWorkbook
{
    public const string Summary = "Tổng hợp";
    public const string Progress = "Tiến độ";
    public const string UnitFigures = "Số liệu đơn vị";
    public const string Narratives = "Thuyết minh";
    public const string Reconciled = "Đối chiếu 5 năm";
    public const string Checks = "Kiểm tra số liệu";

    /// <summary>Rows above the header of each sheet: form, period, unit, computed at, and a blank row.</summary>
    private const uint TitleRows = 5;

    public static async Task WriteAsync(Stream output, ExportData data, IAsyncEnumerable<Submission> reports, CancellationToken cancellationToken)
    {
        using var workbook = new XlsxWriter(output);
        using (var summary = workbook.AddSheet(Summary, SummaryLayout(data), TitleRows + 1))
        {
            WriteSummary(summary, data);
        }
        // Columns of codes as wide as the longest code, so that none is cut on screen or on paper.
        var codeWidth = SheetLayout.CodeWidth(data.Snapshot.Units);
        using (var progress = workbook.AddSheet(Progress, new SheetLayout([6, codeWidth, 34, 12, 16, 17, 12, 12, 12, 14, 14], TitleRows + 1, 3), TitleRows + 1))
        {
            WriteProgress(progress, data);
        }
        if (data.Reconciliation is { } reconciliation)
        {
            using var sheet = workbook.AddSheet(Reconciled, new SheetLayout([Math.Max(14, codeWidth), 34, 48, 16, 16, 16, 12, 12], TitleRows + 1, 2), TitleRows + 1);
            WriteReconciliation(sheet, data, reconciliation);
        }
        // The reports are read once: their figures go straight into the package, their narratives to a file of their
        // own (only one part of the package can be open at a time), copied in after.
        var narrativesFile = Path.Combine(Path.GetTempPath(), "qcdc-narratives-" + Guid.NewGuid().ToString("N"));
        var checksFile = Path.Combine(Path.GetTempPath(), "qcdc-checks-" + Guid.NewGuid().ToString("N"));
        try
        {
            var columns = FigureColumns(data.Schema);
            var texts = data.Form.Indicators.Where(i => i.Type == IndicatorType.Text).ToList();
            var narrativesLayout = new SheetLayout([codeWidth, 28, 10, .. texts.Select(_ => 60.0)], TitleRows + 1, 2);
            var checksLayout = new SheetLayout([codeWidth, 28, 10, 11, 12, 22, 40, 70, 40], TitleRows + 1, 2);
            using (var figures = workbook.AddSheet(UnitFigures, new SheetLayout([codeWidth, 30, 10, 12, 17, 9, .. columns.Select(_ => 14.0)], TitleRows + 1, 2), TitleRows + 1))
            using (var narratives = new SheetWriter(new FileStream(narrativesFile, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024), narrativesLayout))
            using (var checks = new SheetWriter(new FileStream(checksFile, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024), checksLayout))
            {
                Titles(checks, data, "Kiểm tra số liệu các báo cáo (lỗi, cảnh báo và giá trị bất thường, như khi báo cáo được lưu lần cuối)");
                checks.StartRow(30).Text("Mã đơn vị", CellStyle.Header).Text("Đơn vị", CellStyle.Header).Text("Kỳ", CellStyle.Header)
                    .Text("Mức độ", CellStyle.Header).Text("Loại", CellStyle.Header).Text("Quy tắc", CellStyle.Header).Text("Ô số liệu", CellStyle.Header)
                    .Text("Nội dung", CellStyle.Header).Text("Đề nghị kiểm tra lại", CellStyle.Header);
                var anyCheck = false;
                Titles(figures, data, "Số liệu các báo cáo được tính vào tổng hợp");
                figures.StartRow(45).Text("Mã đơn vị", CellStyle.Header).Text("Đơn vị", CellStyle.Header).Text("Kỳ", CellStyle.Header)
                    .Text("Trạng thái", CellStyle.Header).Text("Gửi lúc", CellStyle.Header).Text("Phiên bản biểu mẫu", CellStyle.Header);
                foreach (var column in columns)
                {
                    figures.Text(column.Header, CellStyle.Header);
                }
                Titles(narratives, data, "Thuyết minh của các đơn vị");
                narratives.StartRow(30).Text("Mã đơn vị", CellStyle.Header).Text("Đơn vị", CellStyle.Header).Text("Kỳ", CellStyle.Header);
                foreach (var text in texts)
                {
                    narratives.Text(text.Label, CellStyle.Header);
                }
                await foreach (var report in reports.WithCancellation(cancellationToken))
                {
                    var name = data.NameOf(report.Key.Unit);
                    figures.StartRow().Text(report.Key.Unit).Text(name).Text(report.Key.Period)
                        .Text(SubmissionTexts.Status(report.Status).Vi).Date(report.SubmittedAt).Number(report.FormVersion);
                    foreach (var column in columns)
                    {
                        figures.Number(column.Read(report.Values), column.Style);
                    }
                    foreach (var check in report.Checks)
                    {
                        anyCheck = true;
                        var followUp = report.FollowUps.LastOrDefault(f => f.Rule == check.Rule);
                        checks.StartRow().Text(report.Key.Unit).Text(name).Text(report.Key.Period)
                            .Text(check.Severity == CheckSeverity.Error ? "Lỗi" : "Cảnh báo").Text(check.Kind == CheckKind.Rule ? "Quy tắc" : "Bất thường")
                            .Text(check.Rule).Text(string.Join("; ", check.Cells.Select(c => FormChecks.LabelOf(data.Form, c))), CellStyle.Wrapped)
                            .Text(check.Vi, CellStyle.Wrapped)
                            .Text(followUp is null ? null : followUp.Comment + (followUp.Answer is { } answer ? $" — Trả lời: {answer}" : " — chưa trả lời"), CellStyle.Wrapped);
                    }
                    if (texts.Any(t => report.Values[t.Code] is not null))
                    {
                        narratives.StartRow().Text(report.Key.Unit).Text(name).Text(report.Key.Period);
                        foreach (var text in texts)
                        {
                            narratives.Text(report.Values[text.Code] is JsonValue value && value.TryGetValue<string>(out var s) ? s : null, CellStyle.Wrapped);
                        }
                    }
                }
                if (!anyCheck)
                {
                    checks.StartRow().Text("Không có lỗi hay cảnh báo nào.", CellStyle.Note);
                }
                figures.Finish();
                narratives.Finish();
                checks.Finish();
            }
            using (var written = new FileStream(narrativesFile, FileMode.Open, FileAccess.Read, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose))
            {
                workbook.AddSheet(Narratives, written, narrativesLayout, TitleRows + 1);
            }
            using (var written = new FileStream(checksFile, FileMode.Open, FileAccess.Read, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose))
            {
                workbook.AddSheet(Checks, written, checksLayout, TitleRows + 1);
            }
        }
        finally
        {
            File.Delete(narrativesFile);
            File.Delete(checksFile);
        }
    }

    /// <summary>Form, period, unit and when the totals were computed, above every sheet's table.</summary>
    private static void Titles(SheetWriter sheet, ExportData data, string what)
    {
        sheet.StartRow(21).Text($"{data.Form.Title} ({data.Form.Code})", CellStyle.Title);
        sheet.StartRow().Text($"{what} — {data.PeriodName}", CellStyle.Default);
        sheet.StartRow().Text($"Đơn vị: {data.Unit.Name} ({data.Unit.Code})", CellStyle.Default);
        sheet.StartRow().Text($"Số liệu tổng hợp lúc {VietnameseFormat.DateTime(data.Snapshot.ComputedAt)} (giờ Việt Nam)"
            + (data.Read.Stale ? " — chưa kịp cập nhật các thay đổi mới nhất" : ""), CellStyle.Note);
        sheet.StartRow();
    }

    /// <summary>Every figure of every five-year report beside its quarters' total; the ones beyond the threshold marked.</summary>
    private static void WriteReconciliation(SheetWriter sheet, ExportData data, Reconciliation reconciliation)
    {
        Titles(sheet, data, $"Đối chiếu báo cáo 5 năm ({reconciliation.Form}) với tổng các báo cáo quý ({reconciliation.QuarterlyForm}), ngưỡng {VietnameseFormat.Number(reconciliation.ThresholdPercent)} %");
        sheet.StartRow(45).Text("Mã đơn vị", CellStyle.Header).Text("Đơn vị", CellStyle.Header).Text("Chỉ tiêu", CellStyle.Header)
            .Text("Báo cáo 5 năm", CellStyle.Header).Text("Tổng các quý", CellStyle.Header).Text("Chênh lệch", CellStyle.Header)
            .Text("Tỷ lệ chênh lệch (%)", CellStyle.Header).Text("Vượt ngưỡng", CellStyle.Header);
        foreach (var unit in reconciliation.Units.OrderByDescending(u => u.OverThreshold).ThenBy(u => u.Unit, StringComparer.Ordinal))
        {
            foreach (var cell in unit.Cells)
            {
                sheet.StartRow().Text(unit.Unit).Text(unit.Name ?? unit.Unit).Text(cell.Label)
                    .Number(cell.Reported, CellStyle.Decimal).Number(cell.Computed, CellStyle.Decimal).Number(cell.Difference, CellStyle.Decimal)
                    .Number(cell.DifferencePercent, CellStyle.Decimal).Text(cell.OverThreshold ? "Có" : "");
            }
        }
        if (reconciliation.Units.Count == 0)
        {
            sheet.StartRow().Text("Chưa có đơn vị nào gửi báo cáo 5 năm.", CellStyle.Note);
        }
        sheet.Finish();
    }

    private static SheetLayout SummaryLayout(ExportData data) => new([6, 48, 12, 16, .. data.Children.Select(_ => 14.0)], TitleRows + 1, 2);

    private static void WriteSummary(SheetWriter sheet, ExportData data)
    {
        var children = data.Children;
        var snapshot = data.Snapshot;
        var unit = snapshot.IndexOf(data.Unit.Code);
        Titles(sheet, data, "Tổng hợp số liệu");
        sheet.StartRow(45).Text("STT", CellStyle.Header).Text("Chỉ tiêu", CellStyle.Header).Text("Đơn vị tính", CellStyle.Header)
            .Text($"Toàn {data.Unit.Name}", CellStyle.Header);
        foreach (var child in children)
        {
            sheet.Text(data.NameOf(snapshot.Units[child]), CellStyle.Header);
        }
        var number = 0;
        foreach (var indicator in data.Schema.Indicators)
        {
            var definition = indicator.Indicator;
            var style = Spreadsheet.NumberStyle(definition);
            number++;
            if (definition.Type == IndicatorType.Ratio)
            {
                sheet.StartRow().Number(number).Text(definition.Label, CellStyle.Bold).Text("%");
                foreach (var u in (int[])[unit, .. children])
                {
                    var (numerator, denominator) = (data.Figure(u, indicator.FirstSlot), data.Figure(u, indicator.FirstSlot + 1));
                    sheet.Number(numerator is { } n && denominator is { } d && d != 0 ? decimal.Round(n / d, 6) : null, CellStyle.Percent);
                }
                Part(sheet, data, unit, children, "Tử số", definition.Unit, indicator.FirstSlot, style);
                Part(sheet, data, unit, children, "Mẫu số", definition.Unit, indicator.FirstSlot + 1, style);
            }
            else if (definition.Categories.Count > 0)
            {
                sheet.StartRow().Number(number).Text(definition.Label, CellStyle.Bold).Text(definition.Unit);
                foreach (var u in (int[])[unit, .. children])
                {
                    var parts = Enumerable.Range(indicator.FirstSlot, indicator.SlotCount).Select(s => data.Figure(u, s)).Where(v => v is not null).ToList();
                    sheet.Number(parts.Count == 0 ? null : parts.Sum(), style);
                }
                for (var c = 0; c < definition.Categories.Count; c++)
                {
                    Part(sheet, data, unit, children, definition.Categories[c].Label, definition.Unit, indicator.FirstSlot + c, style);
                }
            }
            else
            {
                sheet.StartRow().Number(number).Text(definition.Label, CellStyle.Bold).Text(definition.Unit);
                foreach (var u in (int[])[unit, .. children])
                {
                    sheet.Number(data.Figure(u, indicator.FirstSlot), style);
                }
            }
        }
        var notes = data.View.Notes.Select(n => n.Vi).ToList();
        if (data.View.Carried.Count > 0)
        {
            notes.Add("Chỉ tiêu lấy số liệu kỳ trước của đơn vị chưa báo cáo quý cuối: "
                + string.Join(", ", data.View.Carried.Select(c => data.Schema.Find(c)?.Indicator.Label ?? c)) + ".");
        }
        if (notes.Count > 0)
        {
            sheet.StartRow();
            sheet.StartRow().Skip().Text("Ghi chú:", CellStyle.Note);
            foreach (var note in notes)
            {
                sheet.StartRow().Skip().Text(note, CellStyle.Note);
            }
        }
        sheet.Finish();
    }

    private static void Part(SheetWriter sheet, ExportData data, int unit, IReadOnlyList<int> children, string label, string? measure, int slot, CellStyle style)
    {
        sheet.StartRow().Empty().Text(label, CellStyle.Indented).Text(measure);
        foreach (var u in (int[])[unit, .. children])
        {
            sheet.Number(data.Figure(u, slot), style);
        }
    }

    private static void WriteProgress(SheetWriter sheet, ExportData data)
    {
        var listing = data.Completeness;
        var longer = !data.Snapshot.IsQuarter;
        Titles(sheet, data, "Tiến độ báo cáo");
        sheet.StartRow(30).Text("STT", CellStyle.Header).Text("Mã đơn vị", CellStyle.Header).Text("Đơn vị", CellStyle.Header).Text("Loại", CellStyle.Header)
            .Text("Trạng thái", CellStyle.Header).Text("Gửi lúc", CellStyle.Header).Text("Đúng hạn", CellStyle.Header);
        if (longer)
        {
            sheet.Text("Số quý phải báo cáo", CellStyle.Header).Text("Số quý đã báo cáo", CellStyle.Header);
        }
        var number = 0;
        foreach (var entry in listing.Units)
        {
            sheet.StartRow().Number(++number).Text(entry.Unit).Text(entry.Name).Text(entry.Kind is null ? null : Qcdc.Units.UnitKinds.NameOf(entry.Kind)).Text(Status(entry.Status)).Date(entry.SubmittedAt)
                .Text(entry.Late switch { true => "Trễ hạn", false => "Đúng hạn", null => null });
            if (longer)
            {
                sheet.Number(entry.QuartersExpected).Number(entry.QuartersReported);
            }
        }
        sheet.StartRow();
        sheet.StartRow(30).Empty(CellStyle.Default).Text("Tỷ lệ báo cáo", CellStyle.Header).Text("Đơn vị", CellStyle.Header).Text("Phải báo cáo", CellStyle.Header)
            .Text("Đã báo cáo", CellStyle.Header).Text("Đúng hạn", CellStyle.Header).Text("Tỷ lệ", CellStyle.Header).Text("Tỷ lệ đúng hạn", CellStyle.Header);
        var values = listing.Total.ValuesExpected is not null;
        if (values)
        {
            sheet.Text("Giá trị cần báo cáo", CellStyle.Header).Text("Giá trị đã điền", CellStyle.Header).Text("Tỷ lệ giá trị đã điền", CellStyle.Header);
        }
        foreach (var rate in (ReportingRate[])[.. listing.Children, listing.Total])
        {
            sheet.StartRow().Empty(CellStyle.Default).Text(rate.Unit).Text(rate == listing.Total ? $"Toàn {rate.Name}" : rate.Name)
                .Number(rate.Expected).Number(rate.Reported).Number(rate.OnTime).Number(rate.Rate, CellStyle.Percent).Number(rate.RateOnTime, CellStyle.Percent);
            if (values)
            {
                sheet.Number(rate.ValuesExpected).Number(rate.ValuesFilled).Number(rate.ValuesRate, CellStyle.Percent);
            }
        }
        sheet.Finish();
    }

    public static string Status(CompletenessStatus status) => status switch
    {
        CompletenessStatus.Missing => "Chưa báo cáo",
        CompletenessStatus.Draft => "Nháp",
        CompletenessStatus.Submitted => "Đã gửi",
        CompletenessStatus.Returned => "Bị trả lại",
        CompletenessStatus.Approved => "Đã duyệt",
        CompletenessStatus.Complete => "Đủ các quý",
        CompletenessStatus.Partial => "Thiếu quý",
    };

    /// <summary>A column of "Số liệu đơn vị": one number of a report (a value, a category, one side of a ratio).</summary>
    public sealed record FigureColumn(string Header, CellStyle Style, Func<JsonObject, decimal?> Read);

    public static IReadOnlyList<FigureColumn> FigureColumns(RollupSchema schema) =>
    [
        .. schema.Indicators.SelectMany(indicator => FigureHeaders(indicator.Indicator).Select(figure =>
        {
            var code = indicator.Indicator.Code;
            return new FigureColumn(figure.Header, Spreadsheet.NumberStyle(indicator.Indicator), figure.Part is { } part
                ? v => v[code] is JsonObject parts ? Number(parts[part]) : null
                : v => Number(v[code]));
        })),
    ];

    /// <summary>
    /// The headers of an indicator's columns on "Số liệu đơn vị" and the part of the value each holds (a category, or
    /// numerator and denominator); the import reads the sheet back by them.
    /// </summary>
    public static IEnumerable<(string Header, string? Part)> FigureHeaders(Indicator definition) =>
        definition.Type == IndicatorType.Ratio ? [($"{definition.Label} — tử số", "numerator"), ($"{definition.Label} — mẫu số", "denominator")]
        : definition.Categories.Count > 0 ? definition.Categories.Select(c => ($"{definition.Label} — {c.Label}", (string?)c.Code))
        : [(definition.Label, null)];

    private static decimal? Number(JsonNode? node) => node is JsonValue value
        ? value.TryGetValue<decimal>(out var number) ? number : value.TryGetValue<bool>(out var flag) ? (flag ? 1 : 0) : null
        : null;
}
