using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using Qcdc.Exports;
using Qcdc.Forms;
using Qcdc.Periods;

namespace Qcdc.Imports;

/// <summary>
/// One number of an imported file, before it is checked: the unit, the indicator, the category or side of a ratio, the
/// value as written (numbers in invariant form where the file typed them otherwise), and where it stands in the file.
/// </summary>
public sealed record ImportCell(string Unit, string Indicator, string? Part, string Value, int Row, string Column, string? Cell = null, bool IsText = false);

/// <summary>
/// The files an import reads, told apart by their first bytes: a workbook (the rollup export's "Số liệu đơn vị" sheet,
/// one row per report and one column per figure, or a sheet with the CSV's columns), a DHIS2 data value set as JSON
/// or as ADX XML, else the rollup export's CSV (one row per unit, indicator and category).
/// </summary>
public static class ImportFiles
{
    public static List<ImportCell> Parse(ReadOnlyMemory<byte> file, Period period, FormDefinition? form, List<ImportProblem> problems, out int rows)
    {
        var span = file.Span;
        rows = 0;
        if (WorkbookTable.LooksLikeWorkbook(span))
        {
            return ParseWorkbook(file.ToArray(), period, form, problems, out rows);
        }
        if (span.StartsWith("\uFEFF"u8))
        {
            span = span[3..];
        }
        var trimmed = span.TrimStart(" \t\r\n"u8);
        if (trimmed.Length > 0 && trimmed[0] == (byte)'{')
        {
            return ParseDataValueSet(trimmed.ToArray(), period, problems, out rows);
        }
        if (trimmed.Length > 0 && trimmed[0] == (byte)'<')
        {
            return ParseAdx(trimmed.ToArray(), period, problems, out rows);
        }
        // Written for Excel in the Vietnamese locale: a first line "sep=;" and semicolons between the fields.
        var text = Encoding.UTF8.GetString(span);
        var semicolon = text.StartsWith("sep=;", StringComparison.Ordinal);
        var lines = Csv(text, semicolon ? ';' : ',').Select((fields, i) => (Row: i + 1, Fields: fields)).Skip(semicolon ? 1 : 0).ToList();
        return ParseLong(lines, problems, out rows);
    }

    private static List<ImportCell> ParseDataValueSet(byte[] json, Period period, List<ImportProblem> problems, out int rows)
    {
        var cells = new List<ImportCell>();
        rows = 0;
        JsonArray? values;
        try
        {
            values = (JsonNode.Parse(json) as JsonObject)?["dataValues"] as JsonArray;
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            values = null; // not JSON, or an object repeating a key
        }
        if (values is null)
        {
            problems.Add(new(1, "dataValues", ImportTexts.NotAFile));
            return cells;
        }
        foreach (var node in values)
        {
            var row = ++rows;
            if (node is not JsonObject item)
            {
                problems.Add(new(row, "dataValues", ImportTexts.NotAFile));
                continue;
            }
            string? Text(string name) => item[name] is JsonValue v ? (v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString()) : null;
            if (Text("period") is { } given && given != period.Key)
            {
                problems.Add(new(row, "period", ImportTexts.OtherPeriod.Format(given, period.Key)));
                continue;
            }
            cells.Add(new ImportCell(Text("orgUnit") ?? "", Text("dataElement") ?? "", Text("categoryOptionCombo"), Text("value") ?? "", row, "value"));
        }
        return cells;
    }

    /// <summary>
    /// ADX (IHE's aggregate data exchange, which DHIS2 reads and writes): <c>group</c> elements with an orgUnit and a
    /// period written as start and duration (<c>2024-07-01/P3M</c>), each holding <c>dataValue</c>s; a category is the
    /// value of any other attribute of a data value (<c>dialogues</c> with <c>level="commune"</c>).
    /// </summary>
    private static List<ImportCell> ParseAdx(byte[] xml, Period period, List<ImportProblem> problems, out int rows)
    {
        var cells = new List<ImportCell>();
        rows = 0;
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true, MaxCharactersInDocument = 64L * 1024 * 1024 };
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(xml, writable: false), settings);
            var (sawAdx, unit, groupPeriod) = (false, "", "");
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element)
                {
                    continue;
                }
                switch (reader.LocalName)
                {
                    case "adx":
                        sawAdx = true;
                        break;
                    case "group" when sawAdx:
                        (unit, groupPeriod) = (reader.GetAttribute("orgUnit") ?? "", reader.GetAttribute("period") ?? "");
                        break;
                    case "dataValue" when sawAdx:
                        var row = ++rows;
                        if (AdxPeriod(groupPeriod) is not { } key || key != period.Key)
                        {
                            problems.Add(new(row, "period", ImportTexts.OtherPeriod.Format(groupPeriod, period.Key)));
                            break;
                        }
                        string? part = null;
                        for (var more = reader.MoveToFirstAttribute(); more; more = reader.MoveToNextAttribute())
                        {
                            if (reader.LocalName is not ("dataElement" or "value" or "annotation") && reader.NamespaceURI.Length == 0)
                            {
                                part = reader.Value;
                            }
                        }
                        reader.MoveToElement();
                        cells.Add(new ImportCell(unit, reader.GetAttribute("dataElement") ?? "", part, reader.GetAttribute("value") ?? "", row, "value"));
                        break;
                }
            }
            if (!sawAdx)
            {
                problems.Add(new(1, "adx", ImportTexts.NotAFile));
            }
        }
        catch (XmlException)
        {
            problems.Add(new(Math.Max(rows, 1), "adx", ImportTexts.NotAFile));
        }
        return cells;
    }

    /// <summary>An ADX period ("2024-07-01/P3M", "2025-01-01/P6M", "2021-01-01/P5Y") as the period key it names.</summary>
    private static string? AdxPeriod(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !DateOnly.TryParseExact(text[..slash], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start) || start.Day != 1)
        {
            return null;
        }
        var (year, month) = (start.Year, start.Month);
        return text[(slash + 1)..] switch
        {
            "P3M" when (month - 1) % 3 == 0 => $"{year}Q{(month + 2) / 3}",
            "P6M" when month is 1 or 7 => $"{year}H{(month + 5) / 6}",
            "P1Y" or "P12M" when month == 1 => $"{year}",
            "P5Y" when month == 1 => $"{year}-{year + 4}",
            _ => null,
        };
    }

    /// <summary>Each column of the long format by its code, and the names the export has written it under (codes first).</summary>
    private static readonly (string Name, string[] Names)[] Columns =
    [
        ("unit", ["unit_code", "ma_don_vi", "Mã đơn vị"]), ("indicator", ["indicator_code", "ma_chi_tieu", "Mã chỉ tiêu"]),
        ("category", ["category", "phan_loai", "Phân loại"]), ("value", ["value", "gia_tri", "Giá trị"]),
        ("numerator", ["numerator", "tu_so", "Tử số"]), ("denominator", ["denominator", "mau_so", "Mẫu số"]), ("text", ["text", "Thuyết minh"]),
    ];

    /// <summary>The long format of the rollup export: a header line, then one line per unit, indicator and category.</summary>
    private static List<ImportCell> ParseLong(List<(int Row, List<string> Fields)> lines, List<ImportProblem> problems, out int rows, Func<int, int, string>? cellOf = null)
    {
        var cells = new List<ImportCell>();
        rows = Math.Max(0, lines.Count - 1);
        if (lines.Count == 0)
        {
            problems.Add(new(1, "", ImportTexts.NotAFile));
            return cells;
        }
        var header = lines[0].Fields;
        var at = Columns.ToDictionary(c => c.Name, c => header.FindIndex(h => c.Names.Any(n => string.Equals(h.Trim().Normalize(), n, StringComparison.OrdinalIgnoreCase))));
        foreach (var required in new[] { "unit", "indicator", "value" })
        {
            if (at[required] < 0)
            {
                problems.Add(new(lines[0].Row, required, ImportTexts.MissingColumn.Format(Columns.First(c => c.Name == required).Names[0])));
            }
        }
        if (problems.Count > 0)
        {
            return cells;
        }
        foreach (var (row, line) in lines.Skip(1))
        {
            string Get(string name) => at[name] >= 0 && at[name] < line.Count ? line[at[name]].Trim() : "";
            string? Where(string name) => cellOf?.Invoke(at[name], row);
            if (line.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }
            var (unit, indicator, category) = (Get("unit"), Get("indicator"), Get("category"));
            if (Get("text") is { Length: > 0 } narrative && Get("value").Length == 0)
            {
                cells.Add(new ImportCell(unit, indicator, null, narrative, row, "text", Where("text"), IsText: true));
            }
            else if (Get("numerator").Length > 0 || Get("denominator").Length > 0)
            {
                cells.Add(new ImportCell(unit, indicator, "numerator", Get("numerator"), row, "numerator", Where("numerator")));
                cells.Add(new ImportCell(unit, indicator, "denominator", Get("denominator"), row, "denominator", Where("denominator")));
            }
            else
            {
                cells.Add(new ImportCell(unit, indicator, category, Get("value"), row, "value", Where("value")));
            }
        }
        return cells;
    }

    /// <summary>
    /// A workbook: the rollup export's "Số liệu đơn vị" (found by its header "Mã đơn vị"; a column per figure, named as
    /// the export names it; the "Kỳ" column must be the imported period), or a sheet with the CSV's columns.
    /// </summary>
    private static List<ImportCell> ParseWorkbook(byte[] bytes, Period period, FormDefinition? form, List<ImportProblem> problems, out int rows)
    {
        rows = 0;
        var table = WorkbookTable.Read(bytes, [RollupWorkbook.UnitFigures]);
        if (table.Problem is { } problem)
        {
            problems.Add(new(1, "", problem));
            return [];
        }
        static string Text(CellText cell) => cell.IsNumber || FormWorkbook.ParseNumber(cell) is not { } typed
            ? cell.Text.Trim() : typed.ToString(CultureInfo.InvariantCulture);
        var headerIndex = table.Rows.ToList().FindIndex(r => r.Cells.Values.Any(c => c.Text.Trim() is "Mã đơn vị"));
        if (headerIndex < 0)
        {
            var lines = table.Rows.Select(r => ((int)r.Row, Enumerable.Range(0, r.Cells.Count == 0 ? 0 : r.Cells.Keys.Max() + 1)
                .Select(c => r.Cells.TryGetValue(c, out var cell) ? Text(cell) : "").ToList())).ToList();
            return ParseLong(lines, problems, out rows, (column, row) => Spreadsheet.Reference(column, (uint)row));
        }
        var header = table.Rows[headerIndex];
        var figures = form is null ? [] : FigureColumns(form);
        int? unitColumn = null, periodColumn = null;
        var columns = new Dictionary<int, (string Indicator, string? Part)>();
        foreach (var (column, cell) in header.Cells)
        {
            var name = cell.Text.Trim();
            if (name == "Mã đơn vị")
            {
                unitColumn = column;
            }
            else if (name == "Kỳ")
            {
                periodColumn = column;
            }
            else if (figures.TryGetValue(name, out var figure))
            {
                columns[column] = figure;
            }
            else if (column >= FirstFigureColumn && form is not null)
            {
                problems.Add(new((int)header.Row, name, ImportTexts.UnknownColumn.Format(name), Spreadsheet.Reference(column, header.Row)));
            }
        }
        var cells = new List<ImportCell>();
        foreach (var row in table.Rows.Skip(headerIndex + 1))
        {
            if (row[unitColumn!.Value] is not { } unit || string.IsNullOrWhiteSpace(unit))
            {
                continue;
            }
            rows++;
            if (periodColumn is { } p && row[p] is { } given && given.Trim() != period.Key)
            {
                problems.Add(new((int)row.Row, "period", ImportTexts.OtherPeriod.Format(given.Trim(), period.Key), Spreadsheet.Reference(p, row.Row)));
                continue;
            }
            foreach (var (column, (indicator, part)) in columns)
            {
                if (row.Cells.TryGetValue(column, out var cell))
                {
                    cells.Add(new ImportCell(unit.Trim(), indicator, part, Text(cell), (int)row.Row, indicator, Spreadsheet.Reference(column, row.Row)));
                }
            }
        }
        return cells;
    }

    /// <summary>Where the figures start on "Số liệu đơn vị": after code, name, period, status, sent at and form version.</summary>
    private const int FirstFigureColumn = 6;

    /// <summary>The figure columns' headers as the rollup workbook writes them for this form version.</summary>
    private static Dictionary<string, (string Indicator, string? Part)> FigureColumns(FormDefinition form)
    {
        var columns = new Dictionary<string, (string, string?)>(StringComparer.Ordinal);
        foreach (var indicator in form.Indicators.Where(i => i.Type != IndicatorType.Text))
        {
            foreach (var (header, part) in RollupWorkbook.FigureHeaders(indicator))
            {
                columns.TryAdd(header, (indicator.Code, part));
            }
        }
        return columns;
    }

    /// <summary>RFC 4180 records: quoted fields may hold commas, quotes (doubled) and line breaks.</summary>
    private static IEnumerable<List<string>> Csv(string text, char separator)
    {
        var record = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == separator)
            {
                record.Add(field.ToString());
                field.Clear();
            }
            else if (c is '\n' or '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }
                record.Add(field.ToString());
                field.Clear();
                yield return record;
                record = [];
            }
            else
            {
                field.Append(c);
            }
        }
        if (field.Length > 0 || record.Count > 0)
        {
            record.Add(field.ToString());
            yield return record;
        }
    }
}
