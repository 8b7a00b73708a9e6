using System.Text.RegularExpressions;
using Qcdc.Localization;
using Qcdc.Problems;
using Qcdc.Units;

namespace Qcdc.Forms;

/// <summary>Checks a form definition before a version is published.</summary>
public static partial class FormValidation
{
    [System.Text.RegularExpressions.GeneratedRegex(@"^[a-z0-9][a-z0-9-]{0,63}\z")]
    private static partial System.Text.RegularExpressions.Regex RuleIdPattern();

    public static IReadOnlyList<FieldProblem> Validate(FormDefinition form)
    {
        var problems = new List<FieldProblem>();
        void Add(string field, LocalizedText text, params object?[] args) => problems.Add(new(field, text.Format(args)));

        if (!FormDefinition.IsValidCode(form.Code))
        {
            Add("code", FormTexts.BadCode, form.Code);
        }
        if (string.IsNullOrWhiteSpace(form.Title))
        {
            Add("title", FormTexts.NoTitle);
        }
        if (form.ApplicableKinds.Count == 0)
        {
            Add("applicableKinds", FormTexts.NoKinds);
        }
        foreach (var kind in form.ApplicableKinds.Where(k => !UnitKinds.All.Contains(k)))
        {
            Add("applicableKinds", FormTexts.UnknownKind, kind);
        }
        if (form.Indicators.Count == 0)
        {
            Add("indicators", FormTexts.NoIndicators);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var indicator in form.Indicators)
        {
            var field = $"indicators.{indicator.Code}";
            if (!FormDefinition.IsValidIndicatorCode(indicator.Code))
            {
                Add(field, FormTexts.BadIndicatorCode, indicator.Code);
            }
            if (!seen.Add(indicator.Code))
            {
                Add(field, FormTexts.DuplicateIndicator, indicator.Code);
            }
            if (string.IsNullOrWhiteSpace(indicator.Label))
            {
                Add(field, FormTexts.NoLabel, indicator.Code);
            }
            ValidateRules(indicator, field, Add);
            foreach (var kind in (indicator.AppliesTo ?? []).Concat(indicator.Categories.SelectMany(c => c.AppliesTo ?? [])).Distinct()
                .Where(k => !form.ApplicableKinds.Contains(k, StringComparer.Ordinal)))
            {
                Add($"{field}.appliesTo", FormTexts.AppliesToOutside, indicator.Code, kind);
            }
        }

        ValidateFormRules(form, Add);
        ValidateSections(form, Add);

        if (form.EffectiveFrom is not null && form.EffectiveFromQuarter is null)
        {
            Add("effectiveFrom", FormTexts.BadEffectiveFrom, form.EffectiveFrom);
        }
        if (form.Schedule.LockAfterDays is < 0 or > 3660)
        {
            Add("schedule.lockAfterDays", FormTexts.BadLockDays);
        }
        foreach (var (kind, deadline) in form.Schedule.Deadlines)
        {
            if ((deadline.WorkingDaysAfterCutoff is null) == (deadline.DayOfLastMonth is null)
                || deadline.WorkingDaysAfterCutoff is < 0 or > 60 || deadline.DayOfLastMonth is < 1 or > 31)
            {
                Add($"schedule.deadlines.{kind}", FormTexts.BadDeadline);
            }
            if (kind != ScheduleRule.DefaultKind && !UnitKinds.All.Contains(kind))
            {
                Add($"schedule.deadlines.{kind}", FormTexts.UnknownKind, kind);
            }
        }
        return problems;
    }

    private static void ValidateSections(FormDefinition form, Action<string, LocalizedText, object?[]> add)
    {
        var placed = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < form.Sections.Count; i++)
        {
            var section = form.Sections[i];
            var name = section.Number ?? (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (string.IsNullOrWhiteSpace(section.Title) || section.Title.Length > 200)
            {
                add($"sections[{i}].title", FormTexts.SectionNoTitle, [name]);
            }
            foreach (var code in section.Indicators)
            {
                if (form.FindIndicator(code) is null)
                {
                    add($"sections[{i}].indicators", FormTexts.SectionUnknownIndicator, [name, code]);
                }
                else if (!placed.Add(code))
                {
                    add($"sections[{i}].indicators", FormTexts.SectionTwice, [code]);
                }
            }
        }
        foreach (var indicator in form.Indicators)
        {
            if (indicator.Sentence is not { } sentence)
            {
                continue;
            }
            var names = SentencePlaceholder().Matches(sentence).Select(m => m.Groups[1].Value).ToList();
            var braces = sentence.Count(c => c == '{');
            if (sentence.Length > 300 || braces != names.Count || sentence.Count(c => c == '}') != braces
                || names.Any(n => n is not ("value" or "categories") && form.FindIndicator(n) is null))
            {
                add($"indicators.{indicator.Code}.sentence", FormTexts.BadSentence, [indicator.Code]);
            }
        }
    }

    /// <summary>A placeholder of a sentence template: <c>{value}</c>, <c>{categories}</c> or <c>{indicator_code}</c>.</summary>
    [GeneratedRegex(@"\{([a-z0-9_]{1,40})\}")]
    internal static partial Regex SentencePlaceholder();

    private static void ValidateFormRules(FormDefinition form, Action<string, LocalizedText, object?[]> add)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < form.Rules.Count; i++)
        {
            var rule = form.Rules[i];
            var field = $"rules[{i}]";
            if (rule.Id is { } id && (!RuleIdPattern().IsMatch(id) || !ids.Add(id)))
            {
                add($"{field}.id", FormTexts.BadRuleId, [id]);
            }
            if (rule.Description is { Length: > 500 })
            {
                add($"{field}.description", FormTexts.RuleDescriptionTooLong, []);
            }
            foreach (var (side, text) in new[] { ("left", rule.Left), ("right", rule.Right) })
            {
                if (RuleExpression.TryParse(text, out var error) is not { } expression)
                {
                    add($"{field}.{side}", FormTexts.BadExpression, [text, error]);
                    continue;
                }
                foreach (var cell in expression.Cells)
                {
                    var dot = cell.IndexOf('.', StringComparison.Ordinal);
                    var indicator = form.FindIndicator(dot < 0 ? cell : cell[..dot]);
                    var part = dot < 0 ? null : cell[(dot + 1)..];
                    var fits = indicator switch
                    {
                        null => false,
                        { Type: IndicatorType.Ratio } => part is "numerator" or "denominator",
                        { IsNumeric: true } => part is null || indicator.Categories.Any(c => c.Code == part),
                        { Type: IndicatorType.Boolean } => part is null,
                        _ => false,
                    };
                    if (!fits)
                    {
                        add($"{field}.{side}", FormTexts.RuleNotNumeric, [cell]);
                    }
                }
            }
        }
    }

    private static void ValidateRules(Indicator indicator, string field, Action<string, LocalizedText, object?[]> add)
    {
        var allowedAcross = indicator.Type switch
        {
            IndicatorType.Ratio => new[] { HierarchyAggregation.RatioOfSums, HierarchyAggregation.None },
            IndicatorType.Text => [HierarchyAggregation.None],
            IndicatorType.Boolean => [HierarchyAggregation.Sum, HierarchyAggregation.None],
            _ => Enum.GetValues<HierarchyAggregation>().Where(a => a != HierarchyAggregation.RatioOfSums).ToArray(),
        };
        if (!allowedAcross.Contains(indicator.AcrossHierarchy))
        {
            add(field, FormTexts.BadAcross, [indicator.Code, indicator.AcrossHierarchy]);
        }
        if (indicator.Type == IndicatorType.Text && indicator.OverTime != TimeAggregation.None)
        {
            add(field, FormTexts.TextOverTime, [indicator.Code]);
        }
        if (indicator.Categories.Count > 0)
        {
            if (!indicator.IsNumeric)
            {
                add(field, FormTexts.CategoriesNotNumeric, [indicator.Code]);
            }
            var codes = indicator.Categories.Select(c => c.Code).ToList();
            if (codes.Distinct(StringComparer.Ordinal).Count() != codes.Count || codes.Any(c => !FormDefinition.IsValidIndicatorCode(c) || c == "total"))
            {
                add(field, FormTexts.BadCategories, [indicator.Code]);
            }
        }
        if (indicator.Min is { } min && indicator.Max is { } max && min > max)
        {
            add(field, FormTexts.MinAboveMax, [indicator.Code]);
        }
        if (indicator.DecimalPlaces is < 0 or > 6)
        {
            add(field, FormTexts.BadDecimalPlaces, [indicator.Code]);
        }
        if (indicator.MaxLength is < 1 or > 30000)
        {
            add(field, FormTexts.BadMaxLength, [indicator.Code]);
        }
    }
}
