using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Qcdc.Json;
using Qcdc.Periods;
using Qcdc.Problems;

namespace Qcdc.Forms;

[JsonConverter(typeof(KebabCaseEnumConverter<IndicatorType>))]
public enum IndicatorType
{
    Integer,
    Decimal,
    Money,
    /// <summary>Numerator and denominator; never stored as a percentage.</summary>
    Ratio,
    Boolean,
    Text,
}

/// <summary>How values of units combine up the hierarchy.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<HierarchyAggregation>))]
public enum HierarchyAggregation
{
    Sum,
    RatioOfSums,
    Min,
    Max,
    AverageOfUnits,
    None,
}

/// <summary>How quarterly values combine into longer periods: flows are summed, stocks take the last value.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<TimeAggregation>))]
public enum TimeAggregation
{
    Sum,
    Last,
    Max,
    Average,
    None,
}

/// <summary>A category of an indicator; <paramref name="AppliesTo"/> names the unit kinds asked it (none: every kind the indicator is asked of).</summary>
public sealed record Category(string Code, string Label, IReadOnlyList<string>? AppliesTo = null)
{
    public bool AppliesToKind(string kind) => AppliesTo is not { Count: > 0 } kinds || kinds.Contains(kind, StringComparer.Ordinal);
}

/// <summary>Which part of the draft report a section's indicators go to.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<ReportPart>))]
public enum ReportPart
{
    /// <summary>I. Results: a sentence per figure; the units' own words on results after them.</summary>
    Results,
    /// <summary>II. Limitations and their causes (the units' own words, synthesised).</summary>
    Limitations,
    /// <summary>III. Directions and tasks (the units' own words, synthesised).</summary>
    Directions,
}

/// <summary>
/// A numbered section of a form ("I", "1", "1.2" as on the paper form): its title, its indicators in order, and the
/// part of the draft report they go to.
/// </summary>
public sealed record FormSection(string Title, IReadOnlyList<string> Indicators, string? Number = null, ReportPart Part = ReportPart.Results);

/// <summary>One figure of a form. A disaggregated indicator's total is the sum of its categories.</summary>
public sealed record Indicator(
    string Code,
    string Label,
    IndicatorType Type,
    HierarchyAggregation AcrossHierarchy,
    TimeAggregation OverTime,
    string? Unit = null,
    IReadOnlyList<Category>? Categories = null,
    bool Required = false,
    decimal? Min = null,
    decimal? Max = null,
    int? DecimalPlaces = null,
    int? MaxLength = null,
    string? Sentence = null,
    IReadOnlyList<string>? AppliesTo = null,
    string? NumeratorLabel = null,
    string? DenominatorLabel = null)
{
    /// <summary>The unit kinds asked this indicator; none: every kind the form applies to.</summary>
    public IReadOnlyList<string>? AppliesTo { get; init; } = AppliesTo;

    public bool AppliesToKind(string kind) => AppliesTo is not { Count: > 0 } kinds || kinds.Contains(kind, StringComparer.Ordinal);

    /// <summary>How a ratio's two counts are asked ("Số xã đạt chuẩn", "Tổng số xã"); without them, "label — tử số/mẫu số".</summary>
    public string PartLabel(string part) => part switch
    {
        "numerator" => NumeratorLabel ?? $"{Label} — tử số",
        "denominator" => DenominatorLabel ?? $"{Label} — mẫu số",
        _ => Label,
    };

    /// <summary>
    /// How the draft report says this figure in a sentence (optional): <c>{value}</c> is the figure with its unit
    /// ("20 mô hình"), <c>{categories}</c> ", trong đó …" with the categories that are not zero (nothing when none is),
    /// <c>{other_code}</c> another indicator's figure, said here and not again. Without one, the report writes
    /// "label: figure".
    /// </summary>
    public string? Sentence { get; init; } = Sentence;

    public IReadOnlyList<Category> Categories { get; init; } = Categories ?? [];

    [JsonIgnore]
    public bool IsNumeric => Type is IndicatorType.Integer or IndicatorType.Decimal or IndicatorType.Money;

    /// <summary>Text indicators hold at most this many characters unless the form says otherwise.</summary>
    public const int DefaultMaxTextLength = 8000;

    [JsonIgnore]
    public int TextLimit => MaxLength ?? DefaultMaxTextLength;
}

[JsonConverter(typeof(KebabCaseEnumConverter<RuleOperator>))]
public enum RuleOperator
{
    Le,
    Lt,
    Ge,
    Gt,
    Eq,
    Ne,
    /// <summary>Both sides filled, or neither (DHIS2's "compulsory pair").</summary>
    BothOrNeither,
}

/// <summary>What a broken rule or an outlier does: an error blocks submission, a warning is shown and never blocks.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<CheckSeverity>))]
public enum CheckSeverity
{
    Error,
    Warning,
}

/// <summary>When a rule is not evaluated because of empty cells (DHIS2's missing value strategies); an empty cell counts 0 otherwise.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<MissingValueStrategy>))]
public enum MissingValueStrategy
{
    /// <summary>Skip when any cell the rule reads is empty (the default).</summary>
    SkipIfAnyMissing,
    /// <summary>Skip only when every cell the rule reads is empty.</summary>
    SkipIfAllMissing,
    /// <summary>Always evaluate, empty cells as 0.</summary>
    NeverSkip,
}

/// <summary>
/// A validation rule of a form version: <c>left operator right</c> over cells and constants
/// (<see cref="RuleExpression"/>), e.g. <c>complaints_resolved ≤ complaints_received</c>, with an id, a Vietnamese
/// description shown beside the cells it concerns, a severity and a missing-value strategy. A rule stored before ids
/// existed is read with the id <c>rule-N</c> (its place in the list), an error, skipped when a side is empty: its meaning then.
/// </summary>
public sealed record FormRule(
    string Left,
    RuleOperator Operator,
    string Right,
    string? Id = null,
    string? Description = null,
    CheckSeverity Severity = CheckSeverity.Error,
    MissingValueStrategy Missing = MissingValueStrategy.SkipIfAnyMissing);

/// <summary>A version of a form (data set). Versions never change once published; a new one may add or retire indicators.</summary>
public sealed partial record FormDefinition(
    string Code,
    string Title,
    PeriodType PeriodType,
    IReadOnlyList<string> ApplicableKinds,
    IReadOnlyList<Indicator> Indicators,
    IReadOnlyList<FormRule>? Rules = null,
    ScheduleRule? Schedule = null,
    int Version = 0,
    DateTimeOffset? PublishedAt = null,
    string? EffectiveFrom = null,
    IReadOnlyList<FormSection>? Sections = null)
{
    /// <summary>The form's numbered sections, as on the paper form; empty: one list of indicators.</summary>
    public IReadOnlyList<FormSection> Sections { get; init; } = Sections ?? [];

    /// <summary>
    /// The first quarter (<c>2025Q3</c>) whose reports are filed against this version; null: every period. Reports of
    /// earlier quarters keep the version that was in force for them.
    /// </summary>
    [JsonIgnore]
    public Period? EffectiveFromQuarter => Period.TryParse(EffectiveFrom, out var quarter) && quarter.Type == PeriodType.Quarter ? quarter : null;

    /// <summary>True when this version is in force for reports of <paramref name="period"/>.</summary>
    public bool AppliesToPeriod(Period period) => EffectiveFromQuarter is not { } from || period.FirstQuarter >= from.FirstQuarter;

    public IReadOnlyList<FormRule> Rules { get; init; } = Rules ?? [];

    public ScheduleRule Schedule { get; init; } = Schedule ?? ScheduleRule.Decree09Default;

    /// <summary>The rules a report of this version is checked by, each with its id (<c>rule-N</c> for a rule stored without one).</summary>
    public IReadOnlyList<FormRule> EffectiveRules() => [.. Rules.Select((r, i) => r.Id is null ? r with { Id = $"rule-{i + 1}" } : r)];

    public Indicator? FindIndicator(string code) => Indicators.FirstOrDefault(i => string.Equals(i.Code, code, StringComparison.Ordinal));

    public bool AppliesTo(string unitKind) => ApplicableKinds.Contains(unitKind, StringComparer.Ordinal);

    /// <summary>
    /// The form as a unit of this kind fills it: only the indicators and categories asked of the kind, the sections that
    /// keep any, the rules whose cells all remain. Validation, the required indicators, the form's workbook and the page
    /// all read this.
    /// </summary>
    public FormDefinition For(string unitKind)
    {
        if (Indicators.All(i => i.AppliesToKind(unitKind) && i.Categories.All(c => c.AppliesToKind(unitKind))))
        {
            return this;
        }
        // An indicator of categories none of which the kind is asked is not asked either.
        var kept = Indicators.Where(i => i.AppliesToKind(unitKind) && (i.Categories.Count == 0 || i.Categories.Any(c => c.AppliesToKind(unitKind))))
            .Select(i => i with { Categories = [.. i.Categories.Where(c => c.AppliesToKind(unitKind))] }).ToList();
        var codes = kept.Select(i => i.Code).ToHashSet(StringComparer.Ordinal);
        bool Keeps(string? expression) => expression is null || RuleExpression.TryParse(expression, out _) is not { } parsed
            || parsed.Cells.All(cell => codes.Contains(cell.Split('.')[0]) && (cell.Split('.') is not [var code, var part]
                || part is "numerator" or "denominator" || kept.First(i => i.Code == code).Categories.Any(c => c.Code == part)));
        return this with
        {
            Indicators = kept,
            Sections = [.. Sections.Select(s => s with { Indicators = [.. s.Indicators.Where(codes.Contains)] }).Where(s => s.Indicators.Count > 0)],
            // Ids first, so that a rule stored without one keeps its rule-N whatever a kind is not asked.
            Rules = [.. EffectiveRules().Where(r => Keeps(r.Left) && Keeps(r.Right))],
            NotAsked = [.. Indicators.Where(i => !kept.Any(k => k.Code == i.Code))],
            AskedOf = unitKind,
        };
    }

    /// <summary>After <see cref="For"/> narrowed the form: the kind of unit it is the form of (null: the whole form).</summary>
    [JsonIgnore]
    public string? AskedOf { get; init; }

    /// <summary>After <see cref="For"/>: the indicators the form has but does not ask of that kind of unit.</summary>
    [JsonIgnore]
    public IReadOnlyList<Indicator> NotAsked { get; init; } = [];

    public static bool IsValidCode(string? code) => KeyParts.IsValid(KeyPart.Form, code);

    public static bool IsValidIndicatorCode(string? code) => KeyParts.IsValid(KeyPart.Indicator, code);
}
