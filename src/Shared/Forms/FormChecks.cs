using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Qcdc.Json;
using Qcdc.Localization;

namespace Qcdc.Forms;

[JsonConverter(typeof(KebabCaseEnumConverter<CheckKind>))]
public enum CheckKind
{
    /// <summary>A validation rule of the form.</summary>
    Rule,
    /// <summary>A value far from the unit's own history, or outside the bounds set for its kind.</summary>
    Outlier,
}

/// <summary>
/// One finding about a report: which rule (or <c>outlier:{cell}</c>), its kind and severity, the cells it concerns
/// (<c>complaints_resolved</c>, <c>dialogues.commune</c>) and what it means, in the reader's language.
/// </summary>
public sealed record Check(string Rule, CheckKind Kind, CheckSeverity Severity, IReadOnlyList<string> Cells)
{
    private LocalizedText? _message;
    private Func<LocalizedText>? _describe;

    public Check(string rule, CheckKind kind, CheckSeverity severity, IReadOnlyList<string> cells, LocalizedText message)
        : this(rule, kind, severity, cells) => _message = message;

    /// <summary>A check whose words are written when first read: a whole quarter's checks are counted far more often than read.</summary>
    public static Check Described(string rule, CheckKind kind, CheckSeverity severity, IReadOnlyList<string> cells, Func<LocalizedText> describe) =>
        new(rule, kind, severity, cells) { _describe = describe };

    public LocalizedText Message
    {
        get => _message ??= _describe!();
        init => _message = value;
    }
}

/// <summary>A form version's rules, parsed and bound to its cells once, evaluated against any number of reports.</summary>
public sealed class FormChecks
{
    private sealed record Compiled(
        FormRule Rule, RuleExpression.BoundExpression Left, RuleExpression.BoundExpression Right, IReadOnlyList<string> Cells, int[][] Slots,
        string LeftText, string RightText);

    private static readonly CultureInfo Vietnamese = CultureInfo.GetCultureInfo("vi-VN");

    private readonly List<Compiled> _rules = [];

    public FormChecks(FormDefinition form)
    {
        Form = form;
        Layout = new CellLayout(form);
        foreach (var rule in form.EffectiveRules())
        {
            if (RuleExpression.TryParse(rule.Left, out _) is { } left && RuleExpression.TryParse(rule.Right, out _) is { } right)
            {
                var cells = left.Cells.Union(right.Cells).ToList();
                _rules.Add(new Compiled(rule, left.Bind(Layout), right.Bind(Layout), cells, [.. cells.Select(Layout.CellsOf)],
                    Describe(form, left), Describe(form, right)));
            }
        }
    }

    public FormDefinition Form { get; }

    public CellLayout Layout { get; }

    /// <summary>Every rule the values break, each once, in the form's order.</summary>
    public List<Check> Evaluate(JsonObject values)
    {
        var row = new decimal[Layout.Count];
        var present = new bool[Layout.Count];
        Layout.Load(values, row, present);
        return Evaluate(row, present);
    }

    /// <summary>Every rule a row of cells (<see cref="CellLayout"/>) breaks, each once, in the form's order.</summary>
    public List<Check> Evaluate(ReadOnlySpan<decimal> row, ReadOnlySpan<bool> present)
    {
        var checks = new List<Check>();
        foreach (var compiled in _rules)
        {
            if (Evaluate(compiled, row, present) is { } check)
            {
                checks.Add(check);
            }
        }
        return checks;
    }

    private static Check? Evaluate(Compiled compiled, ReadOnlySpan<decimal> row, ReadOnlySpan<bool> present)
    {
        var rule = compiled.Rule;
        if (rule.Operator == RuleOperator.BothOrNeither)
        {
            var leftFilled = AllFilled(compiled.Left.Cells, present);
            var rightFilled = AllFilled(compiled.Right.Cells, present);
            return leftFilled == rightFilled ? null : Broken(compiled, () => Message(compiled,
                $"{compiled.LeftText}: {(leftFilled ? "đã ghi" : "chưa ghi")}; {compiled.RightText}: {(rightFilled ? "đã ghi" : "chưa ghi")}",
                $"{compiled.LeftText}: {(leftFilled ? "filled" : "empty")}; {compiled.RightText}: {(rightFilled ? "filled" : "empty")}"));
        }
        var filled = 0;
        foreach (var slots in compiled.Slots)
        {
            filled += RuleExpression.BoundExpression.IsFilled(slots, present) ? 1 : 0;
        }
        var skip = rule.Missing switch
        {
            MissingValueStrategy.SkipIfAnyMissing => filled < compiled.Slots.Length,
            MissingValueStrategy.SkipIfAllMissing => filled == 0 && compiled.Slots.Length > 0,
            _ => false,
        };
        if (skip || compiled.Left.Evaluate(row, present) is not { } left || compiled.Right.Evaluate(row, present) is not { } right)
        {
            return null;
        }
        var holds = rule.Operator switch
        {
            RuleOperator.Le => left <= right,
            RuleOperator.Lt => left < right,
            RuleOperator.Ge => left >= right,
            RuleOperator.Gt => left > right,
            RuleOperator.Eq => left == right,
            _ => left != right,
        };
        return holds ? null : Broken(compiled, () => Message(compiled,
            $"{compiled.LeftText} = {Number(left, Vietnamese)}, {compiled.RightText} = {Number(right, Vietnamese)}",
            $"{compiled.LeftText} = {Number(left, CultureInfo.InvariantCulture)}, {compiled.RightText} = {Number(right, CultureInfo.InvariantCulture)}"));
    }

    private static bool AllFilled(int[][] cells, ReadOnlySpan<bool> present)
    {
        foreach (var slots in cells)
        {
            if (!RuleExpression.BoundExpression.IsFilled(slots, present))
            {
                return false;
            }
        }
        return true;
    }

    private static Check Broken(Compiled compiled, Func<LocalizedText> message) =>
        Check.Described(compiled.Rule.Id!, CheckKind.Rule, compiled.Rule.Severity, compiled.Cells, message);

    private static LocalizedText Message(Compiled compiled, string vi, string en)
    {
        var rule = compiled.Rule;
        var description = string.IsNullOrWhiteSpace(rule.Description)
            ? $"{compiled.LeftText} {Symbol(rule.Operator)} {compiled.RightText}"
            : rule.Description;
        return new LocalizedText(
            $"{description} (rule: {compiled.LeftText} {Symbol(rule.Operator)} {compiled.RightText}; now {en}).",
            $"{description} (đang ghi: {vi}).");
    }

    public static string Symbol(RuleOperator op) => op switch
    {
        RuleOperator.Le => "≤",
        RuleOperator.Lt => "<",
        RuleOperator.Ge => "≥",
        RuleOperator.Gt => ">",
        RuleOperator.Eq => "=",
        RuleOperator.Ne => "≠",
        _ => "cùng ghi hoặc cùng để trống với",
    };

    /// <summary>A side in words: each cell by its label ("Hội nghị đối thoại — Cấp xã"), constants and operators as written.</summary>
    public static string Describe(FormDefinition form, RuleExpression expression)
    {
        var text = expression.Text.Trim();
        foreach (var cell in expression.Cells.OrderByDescending(c => c.Length))
        {
            text = text.Replace(cell, LabelOf(form, cell), StringComparison.Ordinal);
        }
        return text;
    }

    /// <summary>A cell's label as the form shows it.</summary>
    public static string LabelOf(FormDefinition form, string cell)
    {
        var dot = cell.IndexOf('.', StringComparison.Ordinal);
        var indicator = form.FindIndicator(dot < 0 ? cell : cell[..dot]);
        if (indicator is null)
        {
            return cell;
        }
        if (dot < 0)
        {
            return indicator.Label;
        }
        var part = cell[(dot + 1)..];
        // A ratio's counts by the names the form gives them; a category after its indicator.
        return part is "numerator" or "denominator"
            ? indicator.PartLabel(part)
            : $"{indicator.Label} — {indicator.Categories.FirstOrDefault(c => c.Code == part)?.Label ?? part}";
    }

    public static string Number(decimal value, CultureInfo culture) =>
        value.ToString(decimal.Round(value) == value ? "#,##0" : "#,##0.######", culture);
}
