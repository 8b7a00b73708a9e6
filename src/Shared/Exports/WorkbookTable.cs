using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Qcdc.Localization;

namespace Qcdc.Exports;

/// <summary>A cell's text as the workbook holds it, and whether it was stored as a number.</summary>
public sealed record CellText(string Text, bool IsNumber);

/// <summary>One row of a sheet: its number and its non-empty cells by column (0 = A).</summary>
public sealed record SheetRow(uint Row, IReadOnlyDictionary<int, CellText> Cells)
{
    public string? this[int column] => Cells.TryGetValue(column, out var cell) ? cell.Text : null;
}

/// <summary>A sheet read whole as text, or why the file could not be read.</summary>
public sealed record WorkbookTableReading(string? Sheet, IReadOnlyList<SheetRow> Rows, LocalizedText? Problem);

/// <summary>
/// Reads a sheet of a workbook handed in as rows of text: after the same checks as a form workbook (not a zip, a bomb,
/// too many parts, macros, external links), the first of the wanted sheets the workbook has, else its first sheet.
/// Read forward with the SDK's reader, never loading the sheet's XML whole.
/// </summary>
public static class WorkbookTable
{
    /// <summary>Far above a province's units (one row each), far below what could exhaust memory or time.</summary>
    public const int MaxRows = 100_000;

    public static bool LooksLikeWorkbook(ReadOnlySpan<byte> file) => file.StartsWith("PK\u0003\u0004"u8);

    public static WorkbookTableReading Read(byte[] bytes, IReadOnlyList<string> wantedSheets)
    {
        static WorkbookTableReading Refuse(LocalizedText problem) => new(null, [], problem);
        try
        {
            var (opened, all, problem) = Open(bytes);
            if (problem is not null)
            {
                return Refuse(problem.Value);
            }
            using var document = opened!;
            var workbook = document.WorkbookPart!;
            if (all.Count == 0)
            {
                return Refuse(ExportTexts.NotWorkbook);
            }
            var sheet = wantedSheets.Select(name => all.FirstOrDefault(s => s.Name?.Value == name)).FirstOrDefault(s => s is not null) ?? all[0];
            if (sheet.Id?.Value is not { } id || workbook.GetPartById(id) is not WorksheetPart part)
            {
                return Refuse(ExportTexts.NotWorkbook);
            }
            var strings = workbook.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(i => i.InnerText).ToList() ?? [];
            var rows = new List<SheetRow>();
            Dictionary<int, CellText>? cells = null;
            uint number = 0;
            using var reader = OpenXmlReader.Create(part);
            while (reader.Read())
            {
                if (!reader.IsStartElement)
                {
                    continue;
                }
                if (reader.ElementType == typeof(Row))
                {
                    if (rows.Count >= MaxRows)
                    {
                        return Refuse(ExportTexts.TooManyRows.Format(rows.Count + 1, MaxRows));
                    }
                    var index = reader.Attributes.FirstOrDefault(a => a.LocalName == "r").Value;
                    number = uint.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : number + 1;
                    cells = [];
                    rows.Add(new SheetRow(number, cells));
                    continue;
                }
                if (reader.ElementType != typeof(Cell) || cells is null)
                {
                    continue;
                }
                var cell = (Cell)reader.LoadCurrentElement()!;
                if (Decode(cell, strings) is { } text && text.Text.Length > 0 && ColumnOf(cell.CellReference?.Value, cells.Count) is { } column)
                {
                    cells[column] = text;
                }
            }
            return new WorkbookTableReading(sheet.Name?.Value, rows, null);
        }
        catch (Exception e) when (e is OpenXmlPackageException or InvalidDataException or System.Xml.XmlException or IOException or InvalidOperationException or FormatException
            or ArgumentException or KeyNotFoundException or NotSupportedException)
        {
            return Refuse(ExportTexts.NotWorkbook);
        }
    }

    /// <summary>
    /// A workbook handed in, opened for reading after every check that comes before its content: not a zip, a bomb, too
    /// many parts, macros, external links or connections, too many sheets. The caller disposes the document.
    /// </summary>
    public static (SpreadsheetDocument? Document, List<Sheet> Sheets, LocalizedText? Problem) Open(byte[] bytes)
    {
        if (FormWorkbook.Inspect(bytes) is { } hostile)
        {
            return (null, [], hostile);
        }
        var document = SpreadsheetDocument.Open(new MemoryStream(bytes, writable: false), false,
            new OpenSettings { MaxCharactersInPart = FormWorkbook.MaxEntryBytes, AutoSave = false });
        LocalizedText? problem = null;
        List<Sheet> sheets = [];
        try
        {
            problem = Problem(document, ref sheets);
        }
        catch
        {
            document.Dispose();
            throw;
        }
        if (problem is null)
        {
            return (document, sheets, null);
        }
        document.Dispose();
        return (null, [], problem);
    }

    private static LocalizedText? Problem(SpreadsheetDocument document, ref List<Sheet> sheets)
    {
        LocalizedText? problem = null;
        if (document.DocumentType != SpreadsheetDocumentType.Workbook)
        {
            problem = ExportTexts.Macros;
        }
        else if (document.WorkbookPart?.Workbook.Sheets is not { } listed)
        {
            problem = ExportTexts.NotWorkbook;
        }
        else if (document.WorkbookPart.ExternalWorkbookParts.Any() || document.WorkbookPart.ConnectionsPart is not null)
        {
            problem = ExportTexts.ExternalLinks;
        }
        else if ((sheets = [.. listed.Elements<Sheet>()]).Count > FormWorkbook.MaxSheets)
        {
            problem = ExportTexts.TooManySheets.Format(sheets.Count, FormWorkbook.MaxSheets);
        }
        return problem;
    }

    /// <summary>A cell's value as text: shared, inline and formula strings, booleans as true/false, numbers as stored.</summary>
    public static CellText? Decode(Cell cell, IReadOnlyList<string> strings)
    {
        var raw = cell.CellValue?.Text;
        var type = cell.DataType?.Value;
        if (type == CellValues.SharedString)
        {
            return int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < strings.Count ? new(strings[index], false) : null;
        }
        if (type == CellValues.InlineString)
        {
            return new(cell.InlineString?.InnerText ?? "", false);
        }
        if (type == CellValues.String)
        {
            return raw is null ? null : new(raw, false);
        }
        if (type == CellValues.Boolean)
        {
            return raw is null ? null : new(raw == "1" ? "true" : "false", false);
        }
        return (type is null || type == CellValues.Number) && raw is not null ? new(raw, true) : null;
    }

    /// <summary>The column of a reference ("AB12" → 27); a cell without one follows the previous.</summary>
    public static int? ColumnOf(string? reference, int previous)
    {
        if (string.IsNullOrEmpty(reference))
        {
            return previous;
        }
        var column = 0;
        var i = 0;
        for (; i < reference.Length && char.IsAsciiLetterUpper(reference[i]); i++)
        {
            column = column * 26 + (reference[i] - 'A' + 1);
            if (column > 16_384)
            {
                return null;
            }
        }
        return i == 0 ? null : column - 1;
    }
}
