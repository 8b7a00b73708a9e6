using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Qcdc.Forms;
using Qcdc.Localization;

namespace Qcdc.Submissions;

/// <summary>
/// Checks a submission's values against its form version and returns them normalised (text in Unicode NFC with
/// control characters removed), or every problem at once. Nothing is partially accepted.
/// </summary>
public static class SubmissionValues
{
    private const decimal MaxNumber = 1_000_000_000_000_000m; // 10^18: more than any real total, far below decimal's range

    public static (JsonObject Values, IReadOnlyList<ValueProblem> Problems) Validate(FormDefinition form, JsonElement values)
    {
        var problems = new List<ValueProblem>();
        var normalised = new JsonObject();
        if (values.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new("values", null, null, new("values must be a JSON object keyed by indicator code.", "values phải là đối tượng JSON theo mã chỉ tiêu.")));
            return (normalised, problems);
        }
        foreach (var property in values.EnumerateObject())
        {
            var indicator = form.FindIndicator(property.Name);
            if (indicator is null)
            {
                problems.Add(new($"values.{property.Name}", property.Name, null,
                    new LocalizedText("{0} is not an indicator of form {1} version {2}.", "{0} không phải chỉ tiêu của biểu mẫu {1} phiên bản {2}.")
                        .Format(property.Name, form.Code, form.Version)));
                continue;
            }
            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                continue; // null clears the indicator
            }
            if (ValidateOne(indicator, property.Value, problems) is { } node)
            {
                normalised[indicator.Code] = node;
            }
        }
        if (problems.Count == 0)
        {
            CheckRules(form, normalised, problems);
        }
        return (normalised, problems);
    }

    /// <summary>The required indicators that have no value: submitting needs every one.</summary>
    public static IReadOnlyList<ValueProblem> MissingRequired(FormDefinition form, JsonObject values) =>
        [.. form.Indicators.Where(i => i.Required && values[i.Code] is null).Select(i => new ValueProblem(
            $"values.{i.Code}", i.Code, i.Label, new LocalizedText("{0} is required before submitting.", "Cần nhập {0} trước khi gửi báo cáo.").Format(i.Label)))];

    /// <summary>The total of a numeric or disaggregated value (its categories summed), for rules and rollups.</summary>
    public static decimal? Total(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<decimal>(out var number) => number,
        JsonObject categories when categories["numerator"] is null => categories.Where(c => c.Key != "total").Sum(c => c.Value!.GetValue<decimal>()),
        _ => null,
    };

    private static JsonNode? ValidateOne(Indicator indicator, JsonElement value, List<ValueProblem> problems)
    {
        var field = $"values.{indicator.Code}";
        void Add(string where, string en, string vi, params object?[] args) =>
            problems.Add(new(where, indicator.Code, indicator.Label, new LocalizedText(en, vi).Format([indicator.Label, .. args])));

        switch (indicator.Type)
        {
            case IndicatorType.Text:
                if (value.ValueKind != JsonValueKind.String)
                {
                    Add(field, "{0}: expected text.", "{0}: cần nhập văn bản.");
                    return null;
                }
                var text = CleanText(value.GetString()!);
                if (text.Length > indicator.TextLimit)
                {
                    Add(field, "{0}: at most {1} characters (got {2}).", "{0}: tối đa {1} ký tự (đã nhập {2}).", indicator.TextLimit, text.Length);
                    return null;
                }
                return JsonValue.Create(text);

            case IndicatorType.Boolean:
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    Add(field, "{0}: expected true or false.", "{0}: cần nhập true hoặc false.");
                    return null;
                }
                return JsonValue.Create(value.GetBoolean());

            case IndicatorType.Ratio:
                return ValidateRatio(indicator, value, field, Add);

            default:
                if (indicator.Categories.Count > 0)
                {
                    return ValidateCategories(indicator, value, field, Add);
                }
                return Number(indicator, value, field, Add) is { } number ? JsonValue.Create(number) : null;
        }
    }

    private static JsonObject? ValidateRatio(Indicator indicator, JsonElement value, string field, Action<string, string, string, object?[]> add)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            add(field, "{0}: expected {{\"numerator\": n, \"denominator\": d}}.", "{0}: cần nhập dạng {{\"numerator\": tử số, \"denominator\": mẫu số}}.", []);
            return null;
        }
        var extra = value.EnumerateObject().Select(p => p.Name).Where(n => n is not ("numerator" or "denominator")).ToList();
        foreach (var name in extra)
        {
            add($"{field}.{name}", "{0}: '{1}' is not part of a ratio (numerator, denominator).", "{0}: '{1}' không thuộc tỷ lệ (numerator, denominator).", [name]);
        }
        var ok = value.TryGetProperty("numerator", out var n) & value.TryGetProperty("denominator", out var d);
        if (!ok)
        {
            add(field, "{0}: give both numerator and denominator.", "{0}: cần nhập cả tử số và mẫu số.", []);
            return null;
        }
        var numerator = Number(indicator, n, $"{field}.numerator", add);
        var denominator = Number(indicator, d, $"{field}.denominator", add);
        if (numerator is null || denominator is null || extra.Count > 0)
        {
            return null;
        }
        if (numerator > denominator)
        {
            add(field, "{0}: the numerator ({1}) is larger than the denominator ({2}).", "{0}: tử số ({1}) lớn hơn mẫu số ({2}).", [numerator, denominator]);
            return null;
        }
        return new JsonObject { ["numerator"] = numerator, ["denominator"] = denominator };
    }

    private static JsonObject? ValidateCategories(Indicator indicator, JsonElement value, string field, Action<string, string, string, object?[]> add)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            add(field, "{0}: expected an object of categories ({1}).", "{0}: cần nhập theo các nhóm ({1}).", [string.Join(", ", indicator.Categories.Select(c => c.Code))]);
            return null;
        }
        var result = new JsonObject();
        var valid = true;
        decimal? total = null;
        foreach (var property in value.EnumerateObject())
        {
            if (property.Name == "total")
            {
                total = Number(indicator, property.Value, $"{field}.total", add);
                valid &= total is not null;
            }
            else if (indicator.Categories.All(c => c.Code != property.Name))
            {
                add($"{field}.{property.Name}", "{0}: '{1}' is not one of its categories ({2}).", "{0}: '{1}' không phải nhóm của chỉ tiêu ({2}).",
                    [property.Name, string.Join(", ", indicator.Categories.Select(c => c.Code))]);
                valid = false;
            }
            else if (Number(indicator, property.Value, $"{field}.{property.Name}", add) is { } number)
            {
                result[property.Name] = number;
            }
            else
            {
                valid = false;
            }
        }
        foreach (var missing in indicator.Categories.Where(c => !value.TryGetProperty(c.Code, out _)))
        {
            add($"{field}.{missing.Code}", "{0}: give the category '{1}' ({2}), 0 if none.", "{0}: cần nhập nhóm '{1}' ({2}), ghi 0 nếu không có.", [missing.Code, missing.Label]);
            valid = false;
        }
        if (!valid)
        {
            return null;
        }
        var sum = result.Sum(c => c.Value!.GetValue<decimal>());
        if (total is { } given && given != sum)
        {
            add($"{field}.total", "{0}: total {1} is not the sum of its categories ({2}).", "{0}: tổng {1} không bằng tổng các nhóm ({2}).", [given, sum]);
            return null;
        }
        return result;
    }

    private static decimal? Number(Indicator indicator, JsonElement value, string field, Action<string, string, string, object?[]> add)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var number))
        {
            add(field, "{0}: expected a number.", "{0}: cần nhập số.", []);
            return null;
        }
        var places = indicator.Type switch
        {
            IndicatorType.Integer => 0,
            IndicatorType.Money => indicator.DecimalPlaces ?? 0,
            _ => indicator.DecimalPlaces ?? 6,
        };
        if (number < (indicator.Min ?? 0))
        {
            add(field, "{0}: must not be negative or below {1} (got {2}).", "{0}: không được âm hoặc nhỏ hơn {1} (đã nhập {2}).", [indicator.Min ?? 0, number]);
            return null;
        }
        if (number > (indicator.Max ?? MaxNumber))
        {
            add(field, "{0}: must be at most {1} (got {2}).", "{0}: không được lớn hơn {1} (đã nhập {2}).", [indicator.Max ?? MaxNumber, number]);
            return null;
        }
        if (decimal.Round(number, places) != number)
        {
            add(field, places == 0 ? "{0}: must be a whole number (got {2})." : "{0}: at most {1} decimal places (got {2}).",
                places == 0 ? "{0}: phải là số nguyên (đã nhập {2})." : "{0}: tối đa {1} chữ số thập phân (đã nhập {2}).", [places, number]);
            return null;
        }
        return number;
    }

    private static void CheckRules(FormDefinition form, JsonObject values, List<ValueProblem> problems)
    {
        foreach (var rule in form.Rules)
        {
            if (Total(values[rule.Left]) is not { } left || Total(values[rule.Right]) is not { } right)
            {
                continue;
            }
            var holds = rule.Operator switch
            {
                RuleOperator.Le => left <= right,
                RuleOperator.Lt => left < right,
                RuleOperator.Ge => left >= right,
                RuleOperator.Gt => left > right,
                _ => left == right,
            };
            if (!holds)
            {
                var leftLabel = form.FindIndicator(rule.Left)!.Label;
                var rightLabel = form.FindIndicator(rule.Right)!.Label;
                var symbol = rule.Operator switch { RuleOperator.Le => "≤", RuleOperator.Lt => "<", RuleOperator.Ge => "≥", RuleOperator.Gt => ">", _ => "=" };
                problems.Add(new($"values.{rule.Left}", rule.Left, leftLabel, new LocalizedText(
                    "{0} ({1}) must be {2} {3} ({4}).", "{0} ({1}) phải {2} {3} ({4}).").Format(leftLabel, left, symbol, rightLabel, right)));
            }
        }
    }

    /// <summary>Unicode NFC, without control characters other than line breaks and tabs.</summary>
    public static string CleanText(string text)
    {
        var normalised = text.Normalize(NormalizationForm.FormC);
        var builder = new StringBuilder(normalised.Length);
        foreach (var c in normalised)
        {
            if (!char.IsControl(c) || c is '\n' or '\r' or '\t')
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }

}
