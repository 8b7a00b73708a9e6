using System.Globalization;
using System.IO.Compression;
using System.Text.Json.Nodes;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Qcdc.Forms;
using Qcdc.Localization;
using Qcdc.Problems;
using Qcdc.Submissions;

namespace Qcdc.Exports;

/// <summary>
/// A unit's report as a workbook to fill in Excel and hand back: sheet "Báo cáo" lays the form out one figure per row
/// (categories and the two sides of a ratio on rows of their own, narratives as wrapped cells), input cells in column C
/// with data validation, pre-filled with the report as it stands; a very hidden sheet "_qcdc" names the form, version,
/// period and unit. The same layout, computed from the form version, tells where to read each figure back.
/// </summary>
public static class FormWorkbook
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
    }

    /// <summary>One row of the form sheet; inputs have a <see cref="Path"/> (<c>dialogues.commune</c>).</summary>
    public sealed record FormRow(uint Row, int? Number, Indicator Indicator, string Label, RowKind Kind, string? Path, uint First = 0, uint Last = 0)
    {
        public string Cell => Spreadsheet.Reference(2, Row);

        public bool IsInput => Path is not null;

        public string InputLabel => Kind == RowKind.Part ? $"{Indicator.Label} — {Label}" : Indicator.Label;
    }

    public static IReadOnlyList<FormRow> Layout(FormDefinition form)
    {
        var rows = new List<FormRow>();
        var row = HeaderRow;
        var number = 0;
        foreach (var indicator in form.Indicators)
        {
            number++;
            if (indicator.Type == IndicatorType.Ratio)
            {
                rows.Add(new(++row, number, indicator, indicator.Label, RowKind.Percent, null, row + 1, row + 2));
                rows.Add(new(++row, null, indicator, "tử số", RowKind.Part, $"{indicator.Code}.numerator"));
                rows.Add(new(++row, null, indicator, "mẫu số", RowKind.Part, $"{indicator.Code}.denominator"));
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
                + "gửi lại đúng tệp này cho đơn vị của mình và kỳ này.", CellStyle.Note);
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
                sheet.Text(row.Label, row.Kind == RowKind.Part ? CellStyle.Indented : CellStyle.Bold);
                var current = row.Path is null ? null : At(values, row.Path);
                switch (row.Kind)
                {
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

    /// <summary>
    /// A workbook handed in, read: the values of the cells that read well, and every problem (each naming its cell);
    /// no values at all when the file is not a workbook of this report.
    /// </summary>
    public sealed record Reading(JsonObject? Values, Refusal? Refusal, IReadOnlyList<FormRow> Layout)
    {
        /// <summary>The report's revision when the workbook was downloaded (0: before it existed); null for a workbook made before this was written.</summary>
        public int? Revision { get; init; }
    }

    /// <summary>
    /// Reads a workbook handed in for <paramref name="expected"/>: refuses what is not a workbook, a zip bomb, too many
    /// parts, sheets or rows, macros and external links before anything else, then a workbook of another form, version,
    /// period or unit; then reads column C of the form sheet.
    /// </summary>
    public static Reading Read(byte[] bytes, ReportForm expected)
    {
        var layout = Layout(expected.Form);
        Reading Refuse(LocalizedText message) => new(null, Refusal.About(RefusalKind.Invalid, "workbook", message), layout);
        try
        {
            var (document, all, problem) = WorkbookTable.Open(bytes);
            if (problem is not null)
            {
                return Refuse(problem.Value);
            }
            using var opened = document!;
            var workbook = opened.WorkbookPart!;
            var strings = workbook.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(i => i.InnerText).ToList() ?? [];
            WorksheetPart? Part(string name) => all.FirstOrDefault(s => s.Name?.Value == name)?.Id?.Value is { } id ? workbook.GetPartById(id) as WorksheetPart : null;
            if (Part(IdentitySheet) is not { } identityPart || Part(DataSheet) is not { } dataPart)
            {
                return Refuse(ExportTexts.NotOurWorkbook);
            }
            var (identity, identityRows) = Cells(identityPart, strings, column: 1);
            var (cells, rows) = Cells(dataPart, strings, column: 2);
            if (identityRows > MaxRows || rows > MaxRows)
            {
                return Refuse(ExportTexts.TooManyRows.Format(Math.Max(rows, identityRows), MaxRows));
            }
            var (form, version, period, unit) = (identity.GetValueOrDefault(1u)?.Text, identity.GetValueOrDefault(2u)?.Text, identity.GetValueOrDefault(3u)?.Text, identity.GetValueOrDefault(4u)?.Text);
            if (identity.GetValueOrDefault(5u)?.Text != Format || form is null || period is null || unit is null)
            {
                return Refuse(ExportTexts.NotOurWorkbook);
            }
            var expectedVersion = expected.Form.Version.ToString(CultureInfo.InvariantCulture);
            if (form != expected.Form.Code || version != expectedVersion || period != expected.Period.Key || unit != expected.Unit.Code)
            {
                return Refuse(ExportTexts.OtherWorkbook.Format(form, version ?? "?", period, unit, expected.Form.Code, expectedVersion, expected.Period.Key, expected.Unit.Code));
            }
            var revision = identity.GetValueOrDefault(6u) is { IsNumber: true } given
                && int.TryParse(given.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : (int?)null;
            return Values(layout, cells) with { Revision = revision };
        }
        catch (Exception e) when (e is OpenXmlPackageException or InvalidDataException or System.Xml.XmlException or IOException or InvalidOperationException or FormatException
            or ArgumentException or KeyNotFoundException or NotSupportedException)
        {
            return Refuse(ExportTexts.NotWorkbook);
        }
    }

    private static Reading Values(IReadOnlyList<FormRow> layout, Dictionary<uint, CellText> cells)
    {
        var values = new JsonObject();
        var problems = new List<FieldProblem>();
        foreach (var row in layout.Where(r => r.IsInput))
        {
            if (cells.GetValueOrDefault(row.Row) is not { } cell || string.IsNullOrWhiteSpace(cell.Text))
            {
                continue;
            }
            JsonNode? node;
            var indicator = row.Indicator;
            if (indicator.Type == IndicatorType.Text)
            {
                node = JsonValue.Create(Unprefixed(cell.Text));
            }
            else if (indicator.Type == IndicatorType.Boolean)
            {
                node = cell.Text.Trim().ToLowerInvariant() switch
                {
                    "có" or "co" or "1" or "true" or "x" => JsonValue.Create(true),
                    "không" or "khong" or "0" or "false" => JsonValue.Create(false),
                    _ => null,
                };
                if (node is null)
                {
                    problems.Add(Problem(row, SubmissionTexts.ExpectedBoolean.Format(row.InputLabel)));
                    continue;
                }
            }
            else if (ParseNumber(cell) is { } number)
            {
                node = JsonValue.Create(number);
            }
            else
            {
                problems.Add(Problem(row, SubmissionTexts.ExpectedNumber.Format(row.InputLabel)));
                continue;
            }
            var dot = row.Path!.IndexOf('.', StringComparison.Ordinal);
            if (dot < 0)
            {
                values[row.Path] = node;
            }
            else
            {
                var code = row.Path[..dot];
                if (values[code] is not JsonObject parts)
                {
                    values[code] = parts = [];
                }
                parts[row.Path[(dot + 1)..]] = node;
            }
        }
        return new(values, problems.Count > 0 ? new Refusal(RefusalKind.Invalid, SubmissionTexts.InvalidValues.Format(problems.Count), problems) : null, layout);
    }

    /// <summary>A problem the report's checks found, moved to the cell it came from ("C14 — Số hộ hiến đất: …").</summary>
    public static Refusal ToCells(Refusal refusal, IReadOnlyList<FormRow> layout) => refusal with { Problems = ToCells(refusal.Problems, layout) };

    public static IReadOnlyList<FieldProblem> ToCells(IEnumerable<FieldProblem> problems, IReadOnlyList<FormRow> layout)
    {
        var byPath = layout.Where(r => r.IsInput).ToDictionary(r => "values." + r.Path, StringComparer.Ordinal);
        var byIndicator = layout.GroupBy(r => "values." + r.Indicator.Code, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return [.. problems.Select(p =>
            (byPath.GetValueOrDefault(p.Field) ?? byIndicator.GetValueOrDefault(p.Field)) is { } row ? Problem(row, p.Message) with { Code = p.Code, Label = p.Label } : p)];
    }

    /// <summary>A check with the cells of the workbook it concerns before its message ("C14, C15 — …").</summary>
    public static Check ToCells(Check check, IReadOnlyList<FormRow> layout)
    {
        var cells = check.Cells.Select(c => layout.FirstOrDefault(r => r.Path == c || (r.Kind != RowKind.Part && r.Indicator.Code == c && r.IsInput))?.Cell)
            .OfType<string>().ToList();
        return cells.Count == 0 ? check : check with
        {
            Message = new LocalizedText($"{string.Join(", ", cells)} — {check.Message.En}", $"{string.Join(", ", cells)} — {check.Message.Vi}"),
        };
    }

    private static FieldProblem Problem(FormRow row, LocalizedText message) =>
        new(row.Cell, new LocalizedText($"{row.Cell} — {message.En}", $"{row.Cell} — {message.Vi}"), row.Indicator.Code, row.InputLabel);

    /// <summary>A text cell written with a leading apostrophe (so no spreadsheet takes it for a formula) reads back without it.</summary>
    private static string Unprefixed(string text) =>
        text.Length > 1 && text[0] == '\'' && text[1] is '=' or '+' or '-' or '@' ? text[1..] : text;

    public static decimal? ParseNumber(CellText cell)
    {
        var text = cell.Text.Trim();
        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return cell.IsNumber ? decimal.Round(number, 10) : number;
        }
        // Typed as text the Vietnamese way: "14.646", "894.948,5".
        return !cell.IsNumber && decimal.TryParse(text, NumberStyles.Number, CultureInfo.GetCultureInfo("vi-VN"), out number) ? number : null;
    }

    /// <summary>The cells of one column of a sheet, by row, read forward without loading the sheet; and how many rows it has.</summary>
    private static (Dictionary<uint, CellText> Cells, int Rows) Cells(WorksheetPart part, IReadOnlyList<string> strings, int column)
    {
        var cells = new Dictionary<uint, CellText>();
        var rows = 0;
        var wanted = Spreadsheet.Column(column);
        using var reader = OpenXmlReader.Create(part);
        while (reader.Read())
        {
            if (!reader.IsStartElement)
            {
                continue;
            }
            if (reader.ElementType == typeof(Row))
            {
                if (++rows > MaxRows)
                {
                    break;
                }
                continue;
            }
            if (reader.ElementType != typeof(Cell))
            {
                continue;
            }
            var cell = (Cell)reader.LoadCurrentElement()!;
            var reference = cell.CellReference?.Value ?? "";
            var letters = reference.TrimEnd("0123456789".ToCharArray());
            if (letters != wanted || !uint.TryParse(reference.AsSpan(letters.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var row))
            {
                continue;
            }
            var text = WorkbookTable.Decode(cell, strings);
            if (text is not null)
            {
                cells[row] = text;
            }
        }
        return (cells, rows);
    }

    /// <summary>Why a file must not be opened as a workbook at all: not a zip, a bomb, too many parts, macros, external links.</summary>
    public static LocalizedText? Inspect(byte[] bytes)
    {
        try
        {
            using var zip = new ZipArchive(new MemoryStream(bytes, writable: false), ZipArchiveMode.Read);
            if (zip.Entries.Count > MaxEntries)
            {
                return ExportTexts.TooManyParts.Format(zip.Entries.Count, MaxEntries);
            }
            long total = 0;
            var buffer = new byte[81920];
            foreach (var entry in zip.Entries)
            {
                var name = entry.FullName;
                if (name.EndsWith("vbaProject.bin", StringComparison.OrdinalIgnoreCase) || name.Contains("macrosheets/", StringComparison.OrdinalIgnoreCase))
                {
                    return ExportTexts.Macros;
                }
                if (name.StartsWith("xl/externalLinks/", StringComparison.OrdinalIgnoreCase))
                {
                    return ExportTexts.ExternalLinks;
                }
                if (entry.Length > MaxEntryBytes || (total += entry.Length) > MaxTotalBytes)
                {
                    return ExportTexts.TooLarge;
                }
                // Sizes in the zip directory can lie: count what the entry really expands to, and stop at the bound.
                using var content = entry.Open();
                long read = 0;
                int n;
                while ((n = content.Read(buffer, 0, buffer.Length)) > 0)
                {
                    if ((read += n) > MaxEntryBytes)
                    {
                        return ExportTexts.TooLarge;
                    }
                }
                if (name.Equals("[Content_Types].xml", StringComparison.Ordinal))
                {
                    using var types = new StreamReader(entry.Open());
                    if (types.ReadToEnd().Contains("macroEnabled", StringComparison.OrdinalIgnoreCase))
                    {
                        return ExportTexts.Macros;
                    }
                }
            }
            return null;
        }
        catch (InvalidDataException)
        {
            return ExportTexts.NotWorkbook;
        }
    }
}
