using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Qcdc.Forms;
using Qcdc.Localization;
using Qcdc.Problems;

namespace Qcdc.Submissions;

/// <summary>
/// Checks each of a submission's values against its form version (type, range, categories, length) and returns the
/// ones that pass, normalised (text in Unicode NFC with control characters removed), with every field's problem at
/// once. A problem concerns its field only; rules between fields are checks (<see cref="FormChecks"/>), not refusals.
/// </summary>
public static class SubmissionValues
{
    private const decimal MaxNumber = 1_000_000_000_000_000m; // 10^18: more than any real total, far below decimal's range

    public static (JsonObject Values, IReadOnlyList<FieldProblem> Problems) Validate(FormDefinition form, JsonElement values)
    {
        var problems = new List<FieldProblem>();
        var normalised = new JsonObject();
        if (values.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new("values", SubmissionTexts.ValuesNotObject));
            return (normalised, problems);
        }
        foreach (var property in values.EnumerateObject())
        {
            var indicator = form.FindIndicator(property.Name);
            if (indicator is null)
            {
                problems.Add(form.NotAsked.FirstOrDefault(i => i.Code == property.Name) is { } notAsked
                    ? new($"values.{property.Name}", SubmissionTexts.NotAsked.Format(notAsked.Label), property.Name, notAsked.Label)
                    : new($"values.{property.Name}", SubmissionTexts.UnknownIndicator.Format(property.Name, form.Code, form.Version), property.Name));
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
        return (normalised, problems);
    }

    /// <summary>The required indicators that have no value: submitting needs every one.</summary>
    public static IReadOnlyList<FieldProblem> MissingRequired(FormDefinition form, JsonObject values) =>
        [.. form.Indicators.Where(i => i.Required && values[i.Code] is null).Select(i => new FieldProblem(
            $"values.{i.Code}", SubmissionTexts.Required.Format(i.Label), i.Code, i.Label))];

    /// <summary>The total of a numeric or disaggregated value (its categories summed), for rules and rollups.</summary>
    public static decimal? Total(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<decimal>(out var number) => number,
        JsonObject categories when categories["numerator"] is null => categories.Where(c => c.Key != "total").Sum(c => c.Value!.GetValue<decimal>()),
        _ => null,
    };

    private static JsonNode? ValidateOne(Indicator indicator, JsonElement value, List<FieldProblem> problems)
    {
        var field = $"values.{indicator.Code}";
        void Add(string where, LocalizedText text, params object?[] args) =>
            problems.Add(new(where, text.Format([indicator.Label, .. args]), indicator.Code, indicator.Label));

        switch (indicator.Type)
        {
            case IndicatorType.Text:
                if (value.ValueKind != JsonValueKind.String)
                {
                    Add(field, SubmissionTexts.ExpectedText);
                    return null;
                }
                var typed = value.GetString()!;
                if (UserText.Flaw(typed, multiline: true) is { } flaw)
                {
                    Add(field, CommonTexts.BadCharacter, UserText.Describe(flaw));
                    return null;
                }
                var text = CleanText(typed);
                if (text.Length > indicator.TextLimit)
                {
                    Add(field, SubmissionTexts.TextTooLong, indicator.TextLimit, text.Length);
                    return null;
                }
                return JsonValue.Create(text);

            case IndicatorType.Boolean:
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    Add(field, SubmissionTexts.ExpectedBoolean);
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

    private static JsonObject? ValidateRatio(Indicator indicator, JsonElement value, string field, Action<string, LocalizedText, object?[]> add)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            add(field, SubmissionTexts.ExpectedRatio, []);
            return null;
        }
        var extra = value.EnumerateObject().Select(p => p.Name).Where(n => n is not ("numerator" or "denominator")).ToList();
        foreach (var name in extra)
        {
            add($"{field}.{name}", SubmissionTexts.NotRatioPart, [name]);
        }
        var ok = value.TryGetProperty("numerator", out var n) & value.TryGetProperty("denominator", out var d);
        if (!ok)
        {
            add(field, SubmissionTexts.RatioParts, []);
            return null;
        }
        var numerator = Number(indicator, n, $"{field}.numerator", add);
        var denominator = Number(indicator, d, $"{field}.denominator", add);
        if (numerator is null || denominator is null || extra.Count > 0)
        {
            return null;
        }
        return new JsonObject { ["numerator"] = numerator, ["denominator"] = denominator };
    }

    private static JsonObject? ValidateCategories(Indicator indicator, JsonElement value, string field, Action<string, LocalizedText, object?[]> add)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            add(field, SubmissionTexts.ExpectedCategories, [string.Join(", ", indicator.Categories.Select(c => c.Code))]);
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
                add($"{field}.{property.Name}", SubmissionTexts.UnknownCategory, [property.Name, string.Join(", ", indicator.Categories.Select(c => c.Code))]);
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
            add($"{field}.{missing.Code}", SubmissionTexts.MissingCategory, [missing.Code, missing.Label]);
            valid = false;
        }
        if (!valid)
        {
            return null;
        }
        var sum = result.Sum(c => c.Value!.GetValue<decimal>());
        if (total is { } given && given != sum)
        {
            add($"{field}.total", SubmissionTexts.TotalMismatch, [given, sum]);
            return null;
        }
        return result;
    }

    private static decimal? Number(Indicator indicator, JsonElement value, string field, Action<string, LocalizedText, object?[]> add)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var number))
        {
            add(field, SubmissionTexts.ExpectedNumber, []);
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
            add(field, SubmissionTexts.BelowMinimum, [indicator.Min ?? 0, number]);
            return null;
        }
        if (number > (indicator.Max ?? MaxNumber))
        {
            add(field, SubmissionTexts.AboveMaximum, [indicator.Max ?? MaxNumber, number]);
            return null;
        }
        if (decimal.Round(number, places) != number)
        {
            add(field, places == 0 ? SubmissionTexts.WholeNumber : SubmissionTexts.DecimalPlaces, [places, number]);
            return null;
        }
        return number;
    }

    /// <summary>Unicode NFC, without control characters other than line breaks and tabs.</summary>
    public static string CleanText(string text)
    {
        // Never throws: characters normalisation cannot take (noncharacters, unpaired surrogates) are dropped first.
        var normalised = UserText.ForFiles(text);
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
