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
/// The form workbook handed back: read after the checks every workbook passes first (<see cref="WorkbookTable.Open"/>),
/// then checked to be this report's form, version, period and unit; each cell of column C read by the same layout
/// that wrote it; problems and checks moved to the cells they concern.
/// </summary>
public static partial class FormWorkbook
{
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
