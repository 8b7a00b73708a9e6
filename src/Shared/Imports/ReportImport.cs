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
using Qcdc.Submissions;
using Qcdc.Units;

namespace Qcdc.Imports;

/// <summary>
/// A problem of an imported file: the row (1 = the header of a CSV, the first value of a data value set), the column
/// (a column's key, or the indicator's code) and, in a workbook, the cell ("H12").
/// </summary>
public sealed record ImportProblem(int Row, string Column, LocalizedText Message, string? Cell = null);

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
    public static readonly LocalizedText NotAFile = new(
        "The file is none of: the rollup export's workbook (.xlsx) or CSV, a DHIS2 data value set (JSON or ADX XML).",
        "Tệp không phải là tệp Excel (.xlsx) hay CSV xuất từ trang Tổng hợp, cũng không phải tập giá trị dữ liệu DHIS2 (JSON hoặc ADX XML).");
    public static readonly LocalizedText UnknownColumn = new("The form has no figure named '{0}' for this period.", "Biểu mẫu kỳ này không có số liệu nào tên là '{0}'.");
    public static readonly LocalizedText MissingColumn = new("The column {0} is missing.", "Thiếu cột {0}.");
    public static readonly LocalizedText UnknownIndicator = new("The form has no indicator {0} for this period.", "Biểu mẫu không có chỉ tiêu {0} trong kỳ này.");
    public static readonly LocalizedText UnknownCategory = new("{0} has no category {1}.", "Chỉ tiêu {0} không có phân loại {1}.");
    public static readonly LocalizedText NotAsked = new(
        "{0}{1} is not asked of {2}: leave it empty or 0.",
        "{0}{1} không áp dụng cho {2}: để trống hoặc ghi 0.");
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
    public async Task<ImportOutcome> ImportAsync(
        string form, Period period, string fileName, ReadOnlyMemory<byte> file, Actor actor, bool dryRun, CancellationToken cancellationToken)
    {
        var problems = new List<ImportProblem>();
        var catalog = await forms.GetCatalogAsync(cancellationToken);
        var definition = catalog.ForPeriod(form, period);
        var cells = ImportFiles.Parse(file, period, definition, problems, out var rows);
        var hierarchy = await units.GetHierarchyAsync(cancellationToken);
        var byUnit = new Dictionary<string, (JsonObject Values, List<int> Rows)>(StringComparer.Ordinal);
        var seen = new Dictionary<(string, string, string?), (int Row, string? Cell)>();
        var skipped = new SortedSet<string>(StringComparer.Ordinal);
        var formOf = new Dictionary<string, FormDefinition>(StringComparer.Ordinal);
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
            if (definition.FindIndicator(cell.Indicator) is not { } indicator || (indicator.Type == IndicatorType.Text) != cell.IsText)
            {
                problems.Add(new(cell.Row, cell.Column, ImportTexts.UnknownIndicator.Format(cell.Indicator), cell.Cell));
                continue;
            }
            // The form as this kind of unit fills it: a cell it is not asked (the export's layout has the column for every
            // unit) may be empty or 0, as the report's page leaves it.
            if (!formOf.TryGetValue(unit.Kind, out var formOfKind))
            {
                formOf[unit.Kind] = formOfKind = definition.For(unit.Kind);
            }
            var asked = formOfKind.FindIndicator(indicator.Code);
            if (cell.IsText)
            {
                if (asked is null)
                {
                    if (!string.IsNullOrWhiteSpace(cell.Value))
                    {
                        problems.Add(new(cell.Row, cell.Column, ImportTexts.NotAsked.Format(indicator.Code, "", unit.Code), cell.Cell));
                    }
                    continue;
                }
                // A narrative, as the export writes it (its apostrophe before a formula sign taken off again).
                if (!byUnit.TryGetValue(unit.Code, out var withText))
                {
                    byUnit[unit.Code] = withText = (new JsonObject(), []);
                }
                withText.Rows.Add(cell.Row);
                withText.Values[indicator.Code] = cell.Value.Length > 1 && cell.Value[0] == '\'' && cell.Value[1] is '=' or '+' or '-' or '@' ? cell.Value[1..] : cell.Value;
                continue;
            }
            var part = cell.Part is { Length: > 0 } p ? p : null;
            if (indicator.Categories.Count > 0 && part is null)
            {
                continue; // the total of its categories
            }
            if (part is not null && indicator.Type != IndicatorType.Ratio && indicator.Categories.All(c => c.Code != part))
            {
                problems.Add(new(cell.Row, "category", ImportTexts.UnknownCategory.Format(indicator.Code, part), cell.Cell));
                continue;
            }
            if (!decimal.TryParse(cell.Value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                problems.Add(new(cell.Row, cell.Column, ImportTexts.NotANumber.Format(cell.Value), cell.Cell));
                continue;
            }
            if (asked is null || (part is not null && indicator.Type != IndicatorType.Ratio && asked.Categories.All(c => c.Code != part)))
            {
                if (number != 0)
                {
                    problems.Add(new(cell.Row, cell.Column, ImportTexts.NotAsked.Format(indicator.Code, part is null ? "" : "." + part, unit.Code), cell.Cell));
                }
                continue;
            }
            if (seen.TryGetValue((unit.Code, indicator.Code, part), out var earlier))
            {
                problems.Add(new(cell.Row, cell.Column, ImportTexts.Twice.Format(indicator.Code, unit.Code, earlier.Row), cell.Cell));
                continue;
            }
            seen[(unit.Code, indicator.Code, part)] = (cell.Row, cell.Cell);
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
        var rulesOf = new Dictionary<string, FormChecks>(StringComparer.Ordinal);
        foreach (var (code, (values, reportRows)) in byUnit.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            // Checked as the unit's kind fills the form, as its writes are.
            var kind = hierarchy.Find(code)!.Kind;
            var asked = formOf[kind]; // narrowed when the unit's first cell was read
            if (!rulesOf.TryGetValue(kind, out var rules))
            {
                rulesOf[kind] = rules = new FormChecks(asked);
            }
            foreach (var ratio in asked.Indicators.Where(i => i.Type == IndicatorType.Ratio && values[i.Code] is JsonObject))
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
            var (_, valueProblems) = SubmissionValues.Validate(asked, JsonSerializer.SerializeToElement(values, QcdcJson.Context.JsonObject));
            // A file states approved figures: a rule of error severity they break is a problem of the file, as on submission.
            var broken = rules.Evaluate(values).Where(c => c.Severity == CheckSeverity.Error)
                .Select(c => new FieldProblem($"values.{c.Cells.FirstOrDefault()}", c.Message, c.Cells.FirstOrDefault()?.Split('.')[0]));
            foreach (var problem in valueProblems.Concat(broken))
            {
                var indicatorCode = problem.Code ?? problem.Field.Split('.').ElementAtOrDefault(1) ?? "";
                var at = seen.Where(s => s.Key.Item1 == code && s.Key.Item2 == indicatorCode).Select(s => s.Value)
                    .DefaultIfEmpty((Row: reportRows.Min(), Cell: (string?)null)).MinBy(s => s.Row);
                problems.Add(new(at.Row, indicatorCode, problem.Message, at.Cell));
            }
            var current = await submissions.GetAsync(key, cancellationToken);
            var action = current is null ? ImportAction.Create
                : current.Status == SubmissionStatus.Approved && current.FormVersion == definition!.Version && JsonNode.DeepEquals(Normalized(current.Values, definition), Normalized(values, definition))
                    ? ImportAction.Unchanged : ImportAction.Update;
            reports.Add(new ImportedReport(code, hierarchy.Find(code)?.Name, action, reportRows, values));
        }
        // A row of a workbook holds a whole report: an unknown unit is one problem of the row, not one per figure.
        problems = [.. problems.DistinctBy(p => (p.Row, p.Column, p.Message.En, p.Cell))
            .OrderBy(p => p.Row).ThenBy(p => p.Column, StringComparer.Ordinal).ThenBy(p => p.Cell, StringComparer.Ordinal)];

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
        .Where(p => form.FindIndicator(p.Key) is not null)
        .OrderBy(p => p.Key, StringComparer.Ordinal)
        .Select(p => KeyValuePair.Create(p.Key, p.Value switch
        {
            JsonValue text when form.FindIndicator(p.Key)!.Type == IndicatorType.Text => (JsonNode?)JsonValue.Create(SubmissionValues.CleanText(text.ToString())),
            JsonObject parts => (JsonNode?)new JsonObject(parts.Where(x => x.Key != "value").OrderBy(x => x.Key, StringComparer.Ordinal)
                .Select(x => KeyValuePair.Create(x.Key, (JsonNode?)JsonValue.Create(Number(x.Value))))),
            var other => JsonValue.Create(Number(other)),
        })));

    private static decimal? Number(JsonNode? node) => JsonNumbers.ToDecimal(node);
}
