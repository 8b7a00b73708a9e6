using System.Globalization;
using System.Text.Json.Nodes;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;
using Qcdc.Forms;
using Qcdc.Submissions;

namespace Qcdc.Exports;

/// <summary>
/// A unit's report as a workbook to fill in Excel and hand back: sheet "Báo cáo" lays the form out one figure per row
/// (categories and the two sides of a ratio on rows of their own, narratives as wrapped cells), input cells in column C
/// with data validation, pre-filled with the report as it stands; a very hidden sheet "_qcdc" names the form, version,
/// period and unit. The same layout, computed from the form version, tells where to read each figure back.
/// </summary>
public static partial class FormWorkbook
{
    public const string DataSheet = "Báo cáo";
    public const string IdentitySheet = "_qcdc";
    public const string Format = "qcdc-form-workbook/1";
    private const uint HeaderRow = 6;

    /// <summary>Bounds on a workbook handed in: far above a real form, far below what could exhaust memory or time.</summary>
    public const int MaxEntries = 100;
    public const long MaxEntryBytes = 8 * 1024 * 1024;
    public const long MaxTotalBytes = 24 * 1024 * 1024;
    public const int MaxSheets = 16;
    public const int MaxRows = 1000;

    public enum RowKind
    {
        /// <summary>An input of a plain figure.</summary>
        Value,
        /// <summary>The sum of the category rows below (a formula).</summary>
        Total,
        /// <summary>The ratio's percentage (a formula).</summary>
        Percent,
        /// <summary>An input of a category or a side of a ratio, indented under its indicator.</summary>
        Part,
        /// <summary>A narrative: a wrapped text input.</summary>
        Text,
        /// <summary>A section's heading ("I. Công tác lãnh đạo …"); its indicator is the section's first.</summary>
        Section,
    }

    /// <summary>One row of the form sheet; inputs have a <see cref="Path"/> (<c>dialogues.commune</c>).</summary>
    public sealed record FormRow(uint Row, int? Number, Indicator Indicator, string Label, RowKind Kind, string? Path, uint First = 0, uint Last = 0)
    {
        public string Cell => Spreadsheet.Reference(2, Row);

        public bool IsInput => Path is not null;

        public string InputLabel => Kind != RowKind.Part ? Indicator.Label
            : Path?.Split('.') is [_, "numerator" or "denominator"] ? Indicator.PartLabel(Path.Split('.')[1]) : $"{Indicator.Label} — {Label}";
    }

    public static IReadOnlyList<FormRow> Layout(FormDefinition form)
    {
        var rows = new List<FormRow>();
        var row = HeaderRow;
        var number = 0;
        // The form's sections in order, each under its heading, then the indicators in no section.
        var placed = form.Sections.SelectMany(s => s.Indicators).ToHashSet(StringComparer.Ordinal);
        var ordered = form.Sections
            .SelectMany((s, k) => s.Indicators.Select(form.FindIndicator).OfType<Indicator>().Select((indicator, i) => (indicator, Heading: i == 0 ? $"{s.Number ?? (k + 1).ToString(CultureInfo.InvariantCulture)}. {s.Title}" : null)))
            .Concat(form.Indicators.Where(i => !placed.Contains(i.Code)).Select(i => (indicator: i, Heading: (string?)null)));
        foreach (var (indicator, heading) in ordered)
        {
            if (heading is not null)
            {
                rows.Add(new(++row, null, indicator, heading, RowKind.Section, null));
            }
            number++;
            if (indicator.Type == IndicatorType.Ratio)
            {
                rows.Add(new(++row, number, indicator, indicator.Label, RowKind.Percent, null, row + 1, row + 2));
                rows.Add(new(++row, null, indicator, indicator.NumeratorLabel ?? "tử số", RowKind.Part, $"{indicator.Code}.numerator"));
                rows.Add(new(++row, null, indicator, indicator.DenominatorLabel ?? "mẫu số", RowKind.Part, $"{indicator.Code}.denominator"));
            }
            else if (indicator.Categories.Count > 0)
            {
                var first = row + 2;
                rows.Add(new(++row, number, indicator, indicator.Label, RowKind.Total, null, first, first + (uint)indicator.Categories.Count - 1));
                rows.AddRange(indicator.Categories.Select(c => new FormRow(++row, null, indicator, c.Label, RowKind.Part, $"{indicator.Code}.{c.Code}")));
            }
            else
            {
                rows.Add(new(++row, number, indicator, indicator.Label, indicator.Type == IndicatorType.Text ? RowKind.Text : RowKind.Value, indicator.Code));
            }
        }
        return rows;
    }

    public static void Write(Stream output, ReportForm report, string periodName)
    {
        var form = report.Form;
        using var workbook = new XlsxWriter(output);
        var layout = Layout(form);
        var merges = new List<string>();
        var validations = new List<DataValidation>();
        using (var sheet = workbook.AddSheet(DataSheet, new SheetLayout([6, 52, 18, 12, 34], HeaderRow, 0, Landscape: false), HeaderRow))
        {
            sheet.StartRow(21).Text($"{form.Title} ({form.Code})", CellStyle.Title);
            sheet.StartRow().Text($"Kỳ báo cáo: {periodName}", CellStyle.Default);
            sheet.StartRow().Text($"Đơn vị: {report.Unit.Name} ({report.Unit.Code})", CellStyle.Default);
            sheet.StartRow().Text($"Biểu mẫu {form.Code} phiên bản {form.Version}. Nhập số liệu vào các ô màu vàng ở cột C; không thêm, xóa hay chuyển dòng; "
                + "gửi lại đúng tệp này cho đơn vị của mình và kỳ này. Chỉ tiêu có dấu (*) là bắt buộc.", CellStyle.Note);
            sheet.StartRow();
            sheet.StartRow(30).Text("STT", CellStyle.Header).Text("Chỉ tiêu", CellStyle.Header).Text("Số liệu", CellStyle.Header)
                .Text("Đơn vị tính", CellStyle.Header).Text("Hướng dẫn", CellStyle.Header);
            var values = report.Current?.Values;
            foreach (var row in layout)
            {
                var indicator = row.Indicator;
                sheet.StartRow(row.Kind == RowKind.Text ? 120 : null);
                if (row.Number is { } n)
                {
                    sheet.Number(n);
                }
                else
                {
                    sheet.Empty();
                }
                // A required indicator's label ends with "(*)", as on the paper form.
                sheet.Text(row.Kind is not (RowKind.Part or RowKind.Section) && indicator.Required ? row.Label + " (*)" : row.Label,
                    row.Kind == RowKind.Part ? CellStyle.Indented : CellStyle.Bold);
                var current = row.Path is null ? null : At(values, row.Path);
                switch (row.Kind)
                {
                    case RowKind.Section:
                        merges.Add($"B{row.Row}:E{row.Row}");
                        break;
                    case RowKind.Total:
                        sheet.Formula($"SUM(C{row.First}:C{row.Last})", Spreadsheet.NumberStyle(indicator)).Text(indicator.Unit).Text("Tổng các nhóm (tự tính)", CellStyle.Note);
                        break;
                    case RowKind.Percent:
                        sheet.Formula($"IF(N(C{row.Last})>0,C{row.First}/C{row.Last},\"\")", CellStyle.Percent).Text("%").Text("Tỷ lệ (tự tính)", CellStyle.Note);
                        break;
                    case RowKind.Text:
                        sheet.Text(current is JsonValue text && text.TryGetValue<string>(out var words) ? words : null, CellStyle.InputText).Empty().Empty();
                        merges.Add($"C{row.Row}:E{row.Row}");
                        validations.Add(Validation(row, DataValidationValues.TextLength, DataValidationOperatorValues.LessThanOrEqual,
                            indicator.TextLimit.ToString(CultureInfo.InvariantCulture), null, $"Tối đa {indicator.TextLimit} ký tự."));
                        break;
                    default:
                        Input(sheet, row, current, validations);
                        break;
                }
            }
            sheet.Finish(merges, validations, protect: true);
        }
        using (var sheet = workbook.AddSheet(IdentitySheet, new SheetLayout([14, 30], Hidden: true)))
        {
            sheet.StartRow().Text("Biểu mẫu").Text(form.Code);
            sheet.StartRow().Text("Phiên bản").Number(form.Version);
            sheet.StartRow().Text("Kỳ").Text(report.Period.Key);
            sheet.StartRow().Text("Đơn vị").Text(report.Unit.Code);
            sheet.StartRow().Text("Định dạng").Text(Format);
            // The revision the workbook was filled from: handed back, it changes the report only if nobody saved since.
            sheet.StartRow().Text("Lần sửa").Number(report.Current?.Revision ?? 0);
            sheet.Finish();
        }
    }

    private static void Input(SheetWriter sheet, FormRow row, JsonNode? current, List<DataValidation> validations)
    {
        var indicator = row.Indicator;
        var whole = indicator.Type is IndicatorType.Integer or IndicatorType.Ratio || (indicator.Type == IndicatorType.Money && (indicator.DecimalPlaces ?? 0) == 0);
        if (indicator.Type == IndicatorType.Boolean)
        {
            sheet.Text(current is JsonValue b && b.TryGetValue<bool>(out var flag) ? (flag ? "Có" : "Không") : null, CellStyle.InputText)
                .Text(indicator.Unit).Text("Chọn Có hoặc Không", CellStyle.Note);
            validations.Add(Validation(row, DataValidationValues.List, null, "\"Có,Không\"", null, "Chọn Có hoặc Không."));
            return;
        }
        var min = indicator.Min ?? 0;
        var minimum = min.ToString(CultureInfo.InvariantCulture);
        var maximum = indicator.Max?.ToString(CultureInfo.InvariantCulture);
        var hint = whole
            ? (min >= 0 ? "Số nguyên không âm" : $"Số nguyên từ {VietnameseFormat.Number(min)}")
            : $"Số, tối đa {indicator.DecimalPlaces ?? 6} chữ số thập phân" + (min >= 0 ? ", không âm" : "");
        if (maximum is not null)
        {
            hint += $", không quá {VietnameseFormat.Number(indicator.Max!.Value)}";
        }
        sheet.Number(current is JsonValue v && v.TryGetValue<decimal>(out var number) ? number : null, whole ? CellStyle.Input : CellStyle.InputDecimal)
            .Text(indicator.Type == IndicatorType.Money ? "đồng" : indicator.Unit).Text(hint, CellStyle.Note);
        validations.Add(Validation(row, whole ? DataValidationValues.Whole : DataValidationValues.Decimal,
            maximum is null ? DataValidationOperatorValues.GreaterThanOrEqual : DataValidationOperatorValues.Between, minimum, maximum, hint + "."));
    }

    private static DataValidation Validation(FormRow row, DataValidationValues type, DataValidationOperatorValues? op, string formula1, string? formula2, string error)
    {
        var validation = new DataValidation
        {
            Type = type,
            AllowBlank = true,
            ShowErrorMessage = true,
            ShowInputMessage = true,
            ErrorTitle = "Số liệu không hợp lệ",
            Error = $"{row.InputLabel}: {error}",
            SequenceOfReferences = new ListValue<StringValue> { InnerText = row.Cell },
        };
        if (op is { } o)
        {
            validation.Operator = o;
        }
        validation.Append(new Formula1(formula1));
        if (formula2 is not null)
        {
            validation.Append(new Formula2(formula2));
        }
        return validation;
    }

    private static JsonNode? At(JsonObject? values, string path)
    {
        var dot = path.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? values?[path] : (values?[path[..dot]] as JsonObject)?[path[(dot + 1)..]];
    }
}
