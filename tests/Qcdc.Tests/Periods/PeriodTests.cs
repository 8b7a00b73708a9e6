using FsCheck;
using FsCheck.Fluent;
using Qcdc.Periods;

namespace Qcdc.Tests.Periods;

public sealed class PeriodTests
{
    private static readonly PeriodCatalog Catalog = new(PeriodCatalog.DefaultWindows);

    [Theory]
    [InlineData("2024Q3", PeriodType.Quarter, "2024-07-01", "2024-09-30", 1)]
    [InlineData("2024H1", PeriodType.HalfYear, "2024-01-01", "2024-06-30", 2)]
    [InlineData("2024H2", PeriodType.HalfYear, "2024-07-01", "2024-12-31", 2)]
    [InlineData("2024", PeriodType.Year, "2024-01-01", "2024-12-31", 4)]
    [InlineData("2021-2025", PeriodType.FiveYear, "2021-01-01", "2025-12-31", 20)]
    [InlineData("NQ02-2017", PeriodType.FiveYear, "2017-07-01", "2022-06-30", 20)]
    public void KeysParseIntoTheirCalendarSpan(string key, PeriodType type, string start, string end, int quarters)
    {
        Assert.True(Catalog.TryResolve(key, out var period));
        Assert.Equal(type, period.Type);
        Assert.Equal(DateOnly.Parse(start), period.Start);
        Assert.Equal(DateOnly.Parse(end), period.End);
        Assert.Equal(quarters, period.Quarters().Count);
        Assert.Equal(key, period.Key);
    }

    [Theory]
    [InlineData("2024Q5")]
    [InlineData("2024Q0")]
    [InlineData("2024H3")]
    [InlineData("2021-2024")]
    [InlineData("24Q1")]
    [InlineData("2024q3")]
    [InlineData("NQ99-2000")]
    [InlineData("")]
    [InlineData("2024Q3 ")]
    public void OtherKeysAreRefused(string key) => Assert.False(Catalog.TryResolve(key, out _));

    [Fact]
    public void TheNamedResolutionWindowRunsFromQ3OfItsFirstYearToQ2FiveYearsLater()
    {
        Catalog.TryResolve("NQ02-2017", out var window);
        var quarters = window!.Quarters();
        Assert.Equal("2017Q3", quarters[0].Key);
        Assert.Equal("2022Q2", quarters[^1].Key);
    }

    [Fact]
    public void Decree09CutOffRunsFromThe15thOfThePreviousMonthToThe14thOfTheLastMonth()
    {
        Period.TryParse("2024Q3", out var q3);
        Assert.Equal(new DateOnly(2024, 6, 15), q3!.DataStart);
        Assert.Equal(new DateOnly(2024, 9, 14), q3.Cutoff);
        Period.TryParse("2024", out var year);
        Assert.Equal(new DateOnly(2023, 12, 15), year!.DataStart);
        Assert.Equal(new DateOnly(2024, 12, 14), year.Cutoff);
        Period.TryParse("2024H1", out var half);
        Assert.Equal(new DateOnly(2024, 6, 14), half!.Cutoff);
    }

    [Fact]
    public void PeriodsOrderByTheirEndThenLongestFirst()
    {
        var keys = new[] { "2024", "2024Q4", "2024H2", "2024Q1", "2021-2025", "2023" };
        var ordered = keys.Select(k => { Period.TryParse(k, out var p); return p!; }).Order().Select(p => p.Key).ToList();
        Assert.Equal(["2023", "2024Q1", "2024", "2024H2", "2024Q4", "2021-2025"], ordered);
    }

    [Fact]
    public void ContainmentFollowsTheQuarters()
    {
        Period.TryParse("2024H2", out var half);
        Assert.True(half!.Contains(Period.Quarter(2024, 3)));
        Assert.False(half.Contains(Period.Quarter(2024, 2)));
        Assert.True(Period.FiveYears(2021).Contains(half));
    }

    [Fact]
    public void EveryPeriodKeyRoundTrips() =>
        Prop.ForAll(
            Gen.Choose(1990, 2100).ToArbitrary(),
            Gen.Choose(0, 7).ToArbitrary(),
            (year, variant) =>
            {
                var period = PeriodOf(year, variant);
                return Period.TryParse(period.Key, out var parsed) && parsed == period;
            }).QuickCheckThrowOnFailure();

    [Fact]
    public void TheQuartersOfAnyPeriodAreContiguousAndCoverItExactly() =>
        Prop.ForAll(
            Gen.Choose(1990, 2100).ToArbitrary(),
            Gen.Choose(0, 7).ToArbitrary(),
            (year, variant) =>
            {
                var period = PeriodOf(year, variant);
                var quarters = period.Quarters();
                return quarters[0].Start == period.Start
                    && quarters[^1].End == period.End
                    && quarters.Zip(quarters.Skip(1)).All(pair => pair.First.End.AddDays(1) == pair.Second.Start)
                    && quarters.All(period.Contains);
            }).QuickCheckThrowOnFailure();

    private static Period PeriodOf(int year, int variant) => variant switch
    {
        < 4 => Period.Quarter(year, variant + 1),
        4 => Period.HalfYear(year, 1),
        5 => Period.HalfYear(year, 2),
        6 => Period.CalendarYear(year),
        _ => Period.PlanPeriodOf(year),
    };

    [Fact]
    public void TheFiveYearPeriodsOfAYearAreItsPlanPeriodAndTheNamedWindowsEndingThen()
    {
        Assert.Equal(["2021-2025", "NQ02-2017"], Catalog.PeriodsOf(PeriodType.FiveYear, 2022).Select(p => p.Key).Order());
        Assert.Equal(["2021-2025"], Catalog.PeriodsOf(PeriodType.FiveYear, 2025).Select(p => p.Key));
        Assert.Equal(["2026-2030"], Catalog.PeriodsOf(PeriodType.FiveYear, 2026).Select(p => p.Key));
        Assert.Equal(["2016-2020"], Catalog.PeriodsOf(PeriodType.FiveYear, 2016).Select(p => p.Key));
    }

    [Theory]
    [InlineData("2016-2020", true)]
    [InlineData("2021-2025", true)]
    [InlineData("2026-2030", true)]
    [InlineData("2022-2026", false)]
    [InlineData("2020-2024", false)]
    public void FiveYearsAreThePlanPeriodsOnly(string key, bool valid)
    {
        Assert.Equal(valid, Period.TryParse(key, out _));
        Assert.Equal(valid, Qcdc.Problems.KeyParts.IsValid(Qcdc.Problems.KeyPart.Period, key));
    }
}
