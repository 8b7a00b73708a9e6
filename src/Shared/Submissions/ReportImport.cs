using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Qcdc.Forms;
using Qcdc.Json;
using Qcdc.Localization;
using Qcdc.Periods;
using Qcdc.Problems;
using Qcdc.Security;
using Qcdc.Units;

namespace Qcdc.Submissions;

/// <summary>A problem of an imported file: the row (1 = the header of a CSV, the first value of a data value set) and column.</summary>
public sealed record ImportProblem(int Row, string Column, LocalizedText Message);

/// <summary>What an import does, or would do, to one unit's report.</summary>
public enum ImportAction
{
    Create,
    Update,
    Unchanged,
}

/// <summary>One report of the file: its unit, what happens to it, the rows it is made of, its values.</summary>
public sealed record ImportedReport(string Unit, string? Name, ImportAction Action, IReadOnlyList<int> Rows, JsonObject Values);

/// <summary>
/// The answer to an import: every report with its action and every problem at once (by row and column). A dry run
/// writes nothing; a real run writes only when there is no problem at all, each report in one commit.
/// </summary>
public sealed record ImportOutcome(
    string Form, string Period, string FileName, bool DryRun, int Rows, IReadOnlyList<ImportedReport> Reports,
    IReadOnlyList<ImportProblem> Problems, IReadOnlyList<string> SkippedTotals, int Written);

public static class ImportTexts
{
    public static readonly LocalizedText NotCsvOrJson = new("The file is neither a CSV with the rollup export's columns nor a DHIS2 data value set (JSON).", "Tệp không phải CSV theo các cột của tệp xuất tổng hợp, cũng không phải tập giá trị dữ liệu DHIS2 (JSON).");
    public static readonly LocalizedText MissingColumn = new("The column {0} is missing.", "Thiếu cột {0}.");
    public static readonly LocalizedText UnknownIndicator = new("The form has no indicator {0} for this period.", "Biểu mẫu không có chỉ tiêu {0} trong kỳ này.");
    public static readonly LocalizedText UnknownCategory = new("{0} has no category {1}.", "Chỉ tiêu {0} không có phân loại {1}.");
    public static readonly LocalizedText UnknownUnit = new("There is no unit {0} in this period.", "Không có đơn vị {0} trong kỳ này.");
    public static readonly LocalizedText NotYours = new("{0} is not among the units you review.", "Đơn vị {0} không thuộc phạm vi bạn duyệt.");
    public static readonly LocalizedText NotANumber = new("'{0}' is not a number (write 1234.5).", "'{0}' không phải là số (viết dạng 1234.5).");
    public static readonly LocalizedText Twice = new("{0} of {1} is given twice (also row {2}).", "Chỉ tiêu {0} của {1} có hai lần (cả ở dòng {2}).");
    public static readonly LocalizedText OtherPeriod = new("The value is for {0}, not {1}.", "Giá trị thuộc kỳ {0}, không phải {1}.");
    public static readonly LocalizedText RatioPart = new("A ratio needs its numerator and denominator.", "Tỷ lệ cần có tử số và mẫu số.");
    public static readonly LocalizedText FormApplies = new("The form does not apply to {0}.", "Biểu mẫu không áp dụng cho {0}.");
    public static readonly LocalizedText Source = new("imported from the file {0} by {1}", "nhập từ tệp {0} bởi {1}");
}

/// <summary>
/// Reads past years into reports: the rollup export's CSV (one row per unit, indicator and category; the rows of a
/// unit with units below it are its subtree's totals and are skipped) or a DHIS2 data value set (JSON: dataElement =
/// indicator, categoryOptionCombo = category or numerator/denominator, orgUnit = unit code, period = the period).
/// </summary>
public sealed class ReportImportService(SubmissionService submissions, FormStore forms, UnitStore units)
{
    private sealed record Cell(string Unit, string Indicator, string? Part, string Value, int Row, string Column);

    public async Task<ImportOutcome> ImportAsync(
        string form, Period period, string fileName, ReadOnlyMemory<byte> file, Actor actor, bool dryRun, CancellationToken cancellationToken)
    {
        var problems = new List<ImportProblem>();
        var cells = Parse(file, period, problems, out var rows);
        var catalog = await forms.GetCatalogAsync(cancellationToken);
        var definition = catalog.ForPeriod(form, period);
        var hierarchy = await units.GetHierarchyAsync(cancellationToken);
        var byUnit = new Dictionary<string, (JsonObject Values, List<int> Rows)>(StringComparer.Ordinal);
        var seen = new Dictionary<(string, string, string?), int>();
        var skipped = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var cell in cells)
        {
            if (!KeyParts.IsValid(KeyPart.Unit, cell.Unit) || hierarchy.Find(cell.Unit) is not { } unit || !unit.IsActiveDuring(period.Start, period.End))
            {
                problems.Add(new(cell.Row, "unit", ImportTexts.UnknownUnit.Format(cell.Unit)));
                continue;
            }
            if (period.Quarters().Any(q => hierarchy.ChildrenAsOf(unit.Code, q.End.CompareTo(unit.ValidTo ?? q.End) > 0 ? unit.ValidTo!.Value : q.End).Count > 0))
            {
                skipped.Add(unit.Code); // the totals of the units below it, not a report of its own
                continue;
            }
            if (actor.Role == Roles.Reviewer && !hierarchy.IsInSubtreeDuring(unit.Code, actor.Unit!, period))
            {
                problems.Add(new(cell.Row, "unit", ImportTexts.NotYours.Format(unit.Code)));
                continue;
            }
            if (definition is null || !definition.AppliesTo(unit.Kind))
            {
                problems.Add(new(cell.Row, "unit", ImportTexts.FormApplies.Format(unit.Code)));
                continue;
            }
            if (definition.FindIndicator(cell.Indicator) is not { } indicator || indicator.Type == IndicatorType.Text)
            {
                problems.Add(new(cell.Row, cell.Column, ImportTexts.UnknownIndicator.Format(cell.Indicator)));
                continue;
            }
            var part = cell.Part is { Length: > 0 } p ? p : null;
            if (indicator.Categories.Count > 0 && part is null)
            {
                continue; // the total of its categories
            }
            if (part is not null && indicator.Type != IndicatorType.Ratio && indicator.Categories.All(c => c.Code != part))
            {
                problems.Add(new(cell.Row, "category", ImportTexts.UnknownCategory.Format(indicator.Code, part)));
                continue;
            }
            if (!decimal.TryParse(cell.Value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                problems.Add(new(cell.Row, cell.Column == "value" || cell.Column == "numerator" || cell.Column == "denominator" ? cell.Column : "value", ImportTexts.NotANumber.Format(cell.Value)));
                continue;
            }
            if (seen.TryGetValue((unit.Code, indicator.Code, part), out var earlier))
            {
                problems.Add(new(cell.Row, cell.Column, ImportTexts.Twice.Format(indicator.Code, unit.Code, earlier)));
                continue;
            }
            seen[(unit.Code, indicator.Code, part)] = cell.Row;
            if (!byUnit.TryGetValue(unit.Code, out var report))
            {
                byUnit[unit.Code] = report = (new JsonObject(), []);
            }
            report.Rows.Add(cell.Row);
            if (part is null)
            {
                report.Values[indicator.Code] = number;
            }
            else
            {
                var parts = report.Values[indicator.Code] as JsonObject ?? new JsonObject();
                parts[part] = number;
                report.Values[indicator.Code] = parts;
            }
        }

        var reports = new List<ImportedReport>();
        foreach (var (code, (values, reportRows)) in byUnit.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            foreach (var ratio in definition!.Indicators.Where(i => i.Type == IndicatorType.Ratio && values[i.Code] is JsonObject))
            {
                if (values[ratio.Code] is JsonObject parts && (parts["numerator"] is null || parts["denominator"] is null))
                {
                    problems.Add(new(reportRows.Min(), ratio.Code, ImportTexts.RatioPart));
                }
            }
            var key = new SubmissionKey(form, period.Key, code);
            if (await submissions.CheckImportAsync(key, actor, cancellationToken) is { } refusal)
            {
                problems.Add(new(reportRows.Min(), refusal.Problems.FirstOrDefault()?.Field ?? "period", refusal.Message));
            }
            var (_, valueProblems) = SubmissionValues.Validate(definition, JsonSerializer.SerializeToElement(values, QcdcJson.Context.JsonObject));
            foreach (var problem in valueProblems)
            {
                var indicatorCode = problem.Code ?? problem.Field.Split('.').ElementAtOrDefault(1) ?? "";
                problems.Add(new(seen.Where(s => s.Key.Item1 == code && s.Key.Item2 == indicatorCode).Select(s => s.Value).DefaultIfEmpty(reportRows.Min()).Min(),
                    indicatorCode, problem.Message));
            }
            var current = await submissions.GetAsync(key, cancellationToken);
            var action = current is null ? ImportAction.Create
                : current.Status == SubmissionStatus.Approved && current.FormVersion == definition.Version && JsonNode.DeepEquals(Normalized(current.Values, definition), Normalized(values, definition))
                    ? ImportAction.Unchanged : ImportAction.Update;
            reports.Add(new ImportedReport(code, hierarchy.Find(code)?.Name, action, reportRows, values));
        }
        problems.Sort((a, b) => a.Row != b.Row ? a.Row.CompareTo(b.Row) : string.CompareOrdinal(a.Column, b.Column));

        var written = 0;
        if (!dryRun && problems.Count == 0)
        {
            var source = ImportTexts.Source.Format(fileName, actor.Name ?? actor.Label ?? actor.KeyId);
            foreach (var report in reports.Where(r => r.Action != ImportAction.Unchanged))
            {
                var result = await submissions.ImportAsync(new SubmissionKey(form, period.Key, report.Unit),
                    JsonSerializer.SerializeToElement(report.Values, QcdcJson.Context.JsonObject), source.Current, actor, cancellationToken);
                if (result.Refusal is { } refusal)
                {
                    problems.AddRange(refusal.Problems.DefaultIfEmpty(new FieldProblem("unit", refusal.Message))
                        .Select(p => new ImportProblem(report.Rows.Min(), p.Field, p.Message)));
                    continue;
                }
                written++;
            }
        }
        return new ImportOutcome(form, period.Key, fileName, dryRun, rows, reports, problems, [.. skipped], written);
    }

    /// <summary>The values as they compare: numbers by value, whatever the file or the store wrote (4 and 4.0 alike).</summary>
    private static JsonObject Normalized(JsonObject values, FormDefinition form) => new(values
        .Where(p => form.FindIndicator(p.Key) is { Type: not IndicatorType.Text })
        .OrderBy(p => p.Key, StringComparer.Ordinal)
        .Select(p => KeyValuePair.Create(p.Key, p.Value switch
        {
            JsonObject parts => (JsonNode?)new JsonObject(parts.Where(x => x.Key != "value").OrderBy(x => x.Key, StringComparer.Ordinal)
                .Select(x => KeyValuePair.Create(x.Key, (JsonNode?)JsonValue.Create(Number(x.Value))))),
            var other => JsonValue.Create(Number(other)),
        })));

    private static decimal? Number(JsonNode? node) => JsonNumbers.ToDecimal(node);

    private static List<Cell> Parse(ReadOnlyMemory<byte> file, Period period, List<ImportProblem> problems, out int rows)
    {
        var span = file.Span;
        if (span.StartsWith("\uFEFF"u8))
        {
            span = span[3..];
        }
        var trimmed = span.TrimStart(" \t\r\n"u8);
        rows = 0;
        if (trimmed.Length > 0 && trimmed[0] == (byte)'{')
        {
            return ParseDataValueSet(trimmed.ToArray(), period, problems, out rows);
        }
        return ParseCsv(Encoding.UTF8.GetString(span), problems, out rows);
    }

    private static List<Cell> ParseDataValueSet(byte[] json, Period period, List<ImportProblem> problems, out int rows)
    {
        var cells = new List<Cell>();
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
            problems.Add(new(1, "dataValues", ImportTexts.NotCsvOrJson));
            return cells;
        }
        foreach (var node in values)
        {
            var row = ++rows;
            if (node is not JsonObject item)
            {
                problems.Add(new(row, "dataValues", ImportTexts.NotCsvOrJson));
                continue;
            }
            string? Text(string name) => item[name] is JsonValue v ? (v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString()) : null;
            if (Text("period") is { } given && given != period.Key)
            {
                problems.Add(new(row, "period", ImportTexts.OtherPeriod.Format(given, period.Key)));
                continue;
            }
            cells.Add(new Cell(Text("orgUnit") ?? "", Text("dataElement") ?? "", Text("categoryOptionCombo"), Text("value") ?? "", row, "value"));
        }
        return cells;
    }

    private static readonly (string Name, string En, string Vi)[] Columns =
    [
        ("unit", "unit_code", "ma_don_vi"), ("indicator", "indicator_code", "ma_chi_tieu"), ("category", "category", "phan_loai"),
        ("value", "value", "gia_tri"), ("numerator", "numerator", "tu_so"), ("denominator", "denominator", "mau_so"),
    ];

    private static List<Cell> ParseCsv(string text, List<ImportProblem> problems, out int rows)
    {
        var cells = new List<Cell>();
        var lines = Csv(text).ToList();
        rows = Math.Max(0, lines.Count - 1);
        if (lines.Count == 0)
        {
            problems.Add(new(1, "", ImportTexts.NotCsvOrJson));
            return cells;
        }
        var header = lines[0];
        var at = Columns.ToDictionary(c => c.Name, c => header.FindIndex(h => string.Equals(h.Trim(), c.En, StringComparison.OrdinalIgnoreCase) || string.Equals(h.Trim(), c.Vi, StringComparison.OrdinalIgnoreCase)));
        foreach (var required in new[] { "unit", "indicator", "value" })
        {
            if (at[required] < 0)
            {
                problems.Add(new(1, required, ImportTexts.MissingColumn.Format(Columns.First(c => c.Name == required).En)));
            }
        }
        if (problems.Count > 0)
        {
            return cells;
        }
        for (var i = 1; i < lines.Count; i++)
        {
            var line = lines[i];
            string Get(string name) => at[name] >= 0 && at[name] < line.Count ? line[at[name]].Trim() : "";
            if (line.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }
            var row = i + 1;
            var (unit, indicator, category) = (Get("unit"), Get("indicator"), Get("category"));
            if (Get("numerator") is { Length: > 0 } numerator || Get("denominator").Length > 0)
            {
                cells.Add(new Cell(unit, indicator, "numerator", Get("numerator"), row, "numerator"));
                cells.Add(new Cell(unit, indicator, "denominator", Get("denominator"), row, "denominator"));
            }
            else
            {
                cells.Add(new Cell(unit, indicator, category, Get("value"), row, "value"));
            }
        }
        return cells;
    }

    /// <summary>RFC 4180 records: quoted fields may hold commas, quotes (doubled) and line breaks.</summary>
    private static IEnumerable<List<string>> Csv(string text)
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
            else if (c == ',')
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
