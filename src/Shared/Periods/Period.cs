using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Qcdc.Json;

namespace Qcdc.Periods;

[JsonConverter(typeof(KebabCaseEnumConverter<PeriodType>))]
public enum PeriodType
{
    Quarter,
    HalfYear,
    Year,
    FiveYear,
}

/// <summary>
/// A reporting period: <c>2024Q3</c>, <c>2024H1</c>/<c>2024H2</c>, <c>2024</c>, a calendar five-year window
/// <c>2021-2025</c>, or a named resolution window (e.g. <c>NQ02-2017</c> = 2017Q3–2022Q2). Every period is a run
/// of whole quarters, from <see cref="FirstQuarter"/> to <see cref="LastQuarter"/> (quarter numbers counted from
/// year 0, so that arithmetic and comparison are plain integers).
/// </summary>
public sealed partial record Period : IComparable<Period>
{
    private Period(PeriodType type, string key, int firstQuarter, int lastQuarter)
    {
        Type = type;
        Key = key;
        FirstQuarter = firstQuarter;
        LastQuarter = lastQuarter;
    }

    public PeriodType Type { get; }
    public string Key { get; }
    public int FirstQuarter { get; }
    public int LastQuarter { get; }

    public int Year => LastQuarter / 4;

    /// <summary>First calendar day of the period.</summary>
    public DateOnly Start => new(FirstQuarter / 4, FirstQuarter % 4 * 3 + 1, 1);

    /// <summary>Last calendar day of the period; the hierarchy valid on this day is the one its rollup uses.</summary>
    public DateOnly End => new DateOnly(LastQuarter / 4, LastQuarter % 4 * 3 + 3, 1).AddMonths(1).AddDays(-1);

    /// <summary>Decree 09/2019: a period's data run from the 15th of the month before it…</summary>
    public DateOnly DataStart => Start.AddMonths(-1).AddDays(14);

    /// <summary>…to the 14th of its last month (the data cut-off).</summary>
    public DateOnly Cutoff => new(End.Year, End.Month, 14);

    public static Period Quarter(int year, int quarter) =>
        quarter is < 1 or > 4 || year is < 1900 or > 2999
            ? throw new ArgumentOutOfRangeException(nameof(quarter))
            : new(PeriodType.Quarter, $"{year}Q{quarter}", year * 4 + quarter - 1, year * 4 + quarter - 1);

    public static Period HalfYear(int year, int half) =>
        half is < 1 or > 2 || year is < 1900 or > 2999
            ? throw new ArgumentOutOfRangeException(nameof(half))
            : new(PeriodType.HalfYear, $"{year}H{half}", year * 4 + (half - 1) * 2, year * 4 + (half - 1) * 2 + 1);

    public static Period CalendarYear(int year) =>
        year is < 1900 or > 2999
            ? throw new ArgumentOutOfRangeException(nameof(year))
            : new(PeriodType.Year, year.ToString(CultureInfo.InvariantCulture), year * 4, year * 4 + 3);

    public static Period FiveYears(int firstYear) =>
        firstYear is < 1900 or > 2995
            ? throw new ArgumentOutOfRangeException(nameof(firstYear))
            : new(PeriodType.FiveYear, $"{firstYear}-{firstYear + 4}", firstYear * 4, (firstYear + 4) * 4 + 3);

    /// <summary>
    /// True for the first year of a five-year socio-economic plan period (2016–2020, 2021–2025, 2026–2030 …): the only
    /// five-year periods a key may name. Other windows (a resolution's own years) are named windows.
    /// </summary>
    public static bool IsPlanStart(int year) => (year - 1) % 5 == 0;

    /// <summary>The plan period holding the year: 2026 → 2026–2030, 2025 → 2021–2025.</summary>
    public static Period PlanPeriodOf(int year) => FiveYears(year - (year - 1) % 5);

    /// <summary>A named resolution window of whole quarters, e.g. <c>NQ02-2017</c> = 2017Q3–2022Q2.</summary>
    public static Period Window(string name, Period firstQuarter, Period lastQuarter)
    {
        if (!NamedWindowPattern().IsMatch(name) || FiveYearPattern().IsMatch(name))
        {
            throw new ArgumentException($"'{name}' is not a valid window name (letters, digits and '-', starting with a letter).", nameof(name));
        }
        if (firstQuarter.Type != PeriodType.Quarter || lastQuarter.Type != PeriodType.Quarter || lastQuarter.FirstQuarter < firstQuarter.FirstQuarter)
        {
            throw new ArgumentException("A window runs from one quarter to a later (or the same) quarter.");
        }
        return new(PeriodType.FiveYear, name, firstQuarter.FirstQuarter, lastQuarter.LastQuarter);
    }

    /// <summary>The quarters the period is made of, in order.</summary>
    public IReadOnlyList<Period> Quarters() =>
        [.. Enumerable.Range(FirstQuarter, LastQuarter - FirstQuarter + 1).Select(q => Quarter(q / 4, q % 4 + 1))];

    public bool Contains(Period other) => other.FirstQuarter >= FirstQuarter && other.LastQuarter <= LastQuarter;


    /// <summary>Parses a calendar key; named windows need a <see cref="PeriodCatalog"/>.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out Period? period)
    {
        period = null;
        if (text is null)
        {
            return false;
        }
        var match = CalendarPattern().Match(text);
        if (!match.Success)
        {
            return false;
        }
        var year = int.Parse(match.Groups["year"].Value, CultureInfo.InvariantCulture);
        if (year is < 1900 or > 2999)
        {
            return false;
        }
        if (match.Groups["q"].Success)
        {
            period = Quarter(year, match.Groups["q"].Value[0] - '0');
        }
        else if (match.Groups["h"].Success)
        {
            period = HalfYear(year, match.Groups["h"].Value[0] - '0');
        }
        else if (match.Groups["to"].Success)
        {
            var to = int.Parse(match.Groups["to"].Value, CultureInfo.InvariantCulture);
            if (to != year + 4 || !IsPlanStart(year))
            {
                return false;
            }
            period = FiveYears(year);
        }
        else
        {
            period = CalendarYear(year);
        }
        return true;
    }

    public int CompareTo(Period? other) => other is null ? 1
        : LastQuarter != other.LastQuarter ? LastQuarter.CompareTo(other.LastQuarter)
        : other.FirstQuarter.CompareTo(FirstQuarter) is var byLength and not 0 ? -byLength
        : string.CompareOrdinal(Key, other.Key);

    public override string ToString() => Key;

    [GeneratedRegex("^(?<year>[0-9]{4})(?:Q(?<q>[1-4])|H(?<h>[12])|-(?<to>[0-9]{4}))?\\z")]
    private static partial Regex CalendarPattern();

    [GeneratedRegex("^[0-9]{4}-[0-9]{4}\\z")]
    private static partial Regex FiveYearPattern();

    [GeneratedRegex("^[A-Z][A-Z0-9-]{1,31}\\z")]
    private static partial Regex NamedWindowPattern();
}
