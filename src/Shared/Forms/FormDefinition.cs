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

public sealed record Category(string Code, string Label);

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
    int? MaxLength = null)
{
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
}

/// <summary>A rule between two indicators' totals, e.g. complaints resolved ≤ complaints received.</summary>
public sealed record FormRule(string Left, RuleOperator Operator, string Right);

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
    string? EffectiveFrom = null)
{
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

    public Indicator? FindIndicator(string code) => Indicators.FirstOrDefault(i => string.Equals(i.Code, code, StringComparison.Ordinal));

    public bool AppliesTo(string unitKind) => ApplicableKinds.Contains(unitKind, StringComparer.Ordinal);

    public static bool IsValidCode(string? code) => KeyParts.IsValid(KeyPart.Form, code);

    public static bool IsValidIndicatorCode(string? code) => KeyParts.IsValid(KeyPart.Indicator, code);
}
