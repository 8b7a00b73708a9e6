using Qcdc.Rollups;
using Qcdc.Tests.Infrastructure;
using Qcdc.Units;

namespace Qcdc.Tests.Aggregation;

/// <summary>
/// Stocks over time go per reporting unit first (its last reported value in the period, carried when the last quarter
/// is missing), then across the hierarchy. Every expectation is computed by hand.
/// </summary>
public sealed class StockPerUnitTests
{
    private static readonly DateOnly Start = new(2008, 1, 1);

    private static readonly UnitHierarchy Tree = new(
    [
        new Unit("P", "Tỉnh", "province", Start),
        new Unit("D", "Huyện", "district", Start, "P"),
        new Unit("C1", "Xã 1", "commune", Start, "D"),
        new Unit("C2", "Xã 2", "commune", Start, "D"),
        new Unit("C3", "Xã 3", "commune", Start, "D"),
    ]);

    private static RollupEngine Engine() => new(Tree, SeedData.QuarterlyForm());

    [Fact]
    public void AUnitMissingTheLastQuarterKeepsItsLastValueFlaggedAsCarried()
    {
        var engine = Engine()
            .Report("2024Q1", "C1", """{"ntm_advanced": 1}""").Report("2024Q2", "C1", """{"ntm_advanced": 2}""").Report("2024Q3", "C1", """{"ntm_advanced": 3}""")
            .Report("2024Q1", "C2", """{"ntm_advanced": 5}""").Report("2024Q2", "C2", """{"ntm_advanced": 5}""")
            .Report("2024Q3", "C2", """{"ntm_advanced": 6}""").Report("2024Q4", "C2", """{"ntm_advanced": 7}""");

        var province = engine.View("2024", "P");
        var c2 = engine.View("2024", "C2");

        // C1's 3 (from Q3) + C2's 7; the last quarter's aggregate alone would say 7.
        Assert.Equal(10m, province.Values.Number("ntm_advanced"));
        Assert.Equal(7m, engine.Values("2024Q4", "P").Number("ntm_advanced"));
        Assert.Contains("ntm_advanced", province.Carried);
        Assert.Contains(RollupTexts.Carried, province.Notes);
        Assert.Empty(c2.Carried);
        Assert.DoesNotContain(RollupTexts.Carried, c2.Notes);
    }

    [Fact]
    public void WhileAYearIsUnderWayAValueOfTheLatestQuarterThatHasBegunIsNotCarried()
    {
        var engine = Engine().BegunThrough("2024Q2")
            .Report("2024Q1", "C1", """{"ntm_advanced": 1}""").Report("2024Q2", "C1", """{"ntm_advanced": 2}""")
            .Report("2024Q1", "C2", """{"ntm_advanced": 5}""");

        var province = engine.View("2024", "P");
        var c1 = engine.View("2024", "C1");
        var c2 = engine.View("2024", "C2");

        // In June, C1's June figure is its current one; C2 has not reported June, its March figure is carried.
        Assert.Equal(7m, province.Values.Number("ntm_advanced"));
        Assert.Empty(c1.Carried);
        Assert.DoesNotContain(RollupTexts.Carried, c1.Notes);
        Assert.Equal(["ntm_advanced"], c2.Carried);
        Assert.Contains(RollupTexts.Carried, province.Notes);
    }

    [Fact]
    public void AUnitThatReportedOnlyInTheFirstQuarterStillCounts()
    {
        var engine = Engine()
            .Report("2024Q1", "C3", """{"ocop_products": 4, "docs_issued": 2}""")
            .Report("2024Q4", "C1", """{"ocop_products": 1}""");

        Assert.Equal(5m, engine.Values("2024", "P").Number("ocop_products"));
        Assert.Equal(4m, engine.Values("2024", "C3").Number("ocop_products"));
        Assert.Equal(["ocop_products"], engine.View("2024", "C3").Carried);
        var listing = engine.Completeness("2024", "D");
        var c3 = listing.Units.Single(u => u.Unit == "C3");
        Assert.Equal((4, 1, CompletenessStatus.Partial), (c3.QuartersExpected!.Value, c3.QuartersReported!.Value, c3.Status));
    }

    [Fact]
    public void ARatioStockIsEachUnitsLastRatioThenTheRatioOfTheirSums()
    {
        // As seen in 2025: only C2 had reported in Q4 (20/100), and the province showed 20/100.
        var engine = Engine()
            .Report("2024Q1", "C1", """{"cadres_briefed": {"numerator": 5, "denominator": 10}}""")
            .Report("2024Q3", "C1", """{"cadres_briefed": {"numerator": 9, "denominator": 10}}""")
            .Report("2024Q4", "C2", """{"cadres_briefed": {"numerator": 20, "denominator": 100}}""")
            .Report("2024Q2", "C3", """{"cadres_briefed": {"numerator": 50, "denominator": 50}}""");

        var province = engine.Values("2024", "P");

        Assert.Equal((79m, 160m, 0.49375m),
            (province.Number("cadres_briefed.numerator"), province.Number("cadres_briefed.denominator"), province.Number("cadres_briefed.value")));
    }

    [Fact]
    public void AnAverageOfUnitsStockTakesEachUnitsLastValueThenAverages()
    {
        var engine = Engine()
            .Report("2024Q1", "C1", """{"income_per_capita": 38000000}""")
            .Report("2024Q3", "C1", """{"income_per_capita": 40000000}""")
            .Report("2024Q4", "C2", """{"income_per_capita": 42000000}""");

        Assert.Equal(41_000_000m, engine.Values("2024", "P").Number("income_per_capita"));
    }

    [Fact]
    public void FlowsAreUnchangedByMissingQuarters()
    {
        var engine = Engine()
            .Report("2024Q1", "C1", """{"docs_issued": 3}""")
            .Report("2024Q4", "C2", """{"docs_issued": 4}""");

        Assert.Equal(7m, engine.Values("2024", "P").Number("docs_issued"));
        Assert.Empty(engine.View("2024", "P").Carried);
    }

    [Fact]
    public void AcrossAMergeTheNewCommuneCarriesItsPredecessorsStocksUntilItReports()
    {
        // N1 (C1 merged whole, and the first successor of C2) has not reported yet in the second half of 2025.
        var engine = new RollupEngine(PeriodRollupTests.Reorganised, SeedData.QuarterlyForm(), SeedData.QuarterlyFormFrom2025Q3())
            .Report("2025Q1", "C1", """{"ntm_advanced": 1}""")
            .Report("2025Q2", "C1", """{"ntm_advanced": 2}""")
            .Report("2025Q2", "C2", """{"ntm_advanced": 6}""")
            .Report("2025Q3", "N2", """{"ntm_advanced": 1}""");

        var province = engine.View("2025", "P");
        var n1 = engine.View("2025", "N1");

        Assert.Equal(8m, n1.Values.Number("ntm_advanced")); // C1's 2 + C2's 6, carried from June
        Assert.Equal(["ntm_advanced"], n1.Carried);
        Assert.Equal(9m, province.Values.Number("ntm_advanced")); // and N2's own 1 from Q3, carried too
        Assert.Contains("ntm_advanced", province.Carried);
    }

    [Fact]
    public void AcrossASplitTheSecondSuccessorKeepsOnlyItsOwnStocks()
    {
        var engine = new RollupEngine(PeriodRollupTests.Reorganised, SeedData.QuarterlyForm(), SeedData.QuarterlyFormFrom2025Q3())
            .Report("2025Q2", "C2", """{"ocop_products": 5}""")
            .Report("2025Q3", "N2", """{"ocop_products": 2}""")
            .Report("2025Q4", "N1", """{"ocop_products": 6}""");

        Assert.Equal(2m, engine.Values("2025", "N2").Number("ocop_products"));
        Assert.Equal(6m, engine.Values("2025", "N1").Number("ocop_products")); // its own Q4 value replaces C2's 5
        Assert.Equal(8m, engine.Values("2025", "P").Number("ocop_products"));
    }

    [Fact]
    public void CategoriesAcrossTheVersionChangeAreEachShownForTheQuartersThatHadThem()
    {
        var engine = new RollupEngine(Tree, SeedData.QuarterlyForm(), SeedData.QuarterlyFormFrom2025Q3());
        foreach (var quarter in new[] { "2025Q1", "2025Q2" })
        {
            engine.Report(quarter, "C1", """{"dialogues": {"district": 1, "commune": 2}, "dvk_models": {"province": 0, "district": 3, "grassroots": 4}}""");
        }
        foreach (var quarter in new[] { "2025Q3", "2025Q4" })
        {
            engine.Report(quarter, "C1", """{"dialogues": {"province": 5, "commune": 6}, "dvk_models": {"province": 1, "grassroots": 7}}""");
        }

        var year = engine.View("2021-2025", "P");

        Assert.Equal((2m, 10m, 16m, 28m),
            (year.Values.Number("dialogues.district"), year.Values.Number("dialogues.province"), year.Values.Number("dialogues.commune"), year.Values.Number("dialogues.total")));
        Assert.Equal((6m, 2m, 22m, 30m),
            (year.Values.Number("dvk_models.district"), year.Values.Number("dvk_models.province"), year.Values.Number("dvk_models.grassroots"), year.Values.Number("dvk_models.total")));
        Assert.Contains(year.Notes, n => n.En.Contains("(dialogues.district) exists only in 2021Q1–2025Q2", StringComparison.Ordinal));
        Assert.Contains(year.Notes, n => n.En.Contains("(dialogues.province) exists only in 2025Q3–2025Q4", StringComparison.Ordinal));
        Assert.Contains(year.Notes, n => n.Vi.Contains("(dvk_models.district) chỉ có trong 2021Q1–2025Q2", StringComparison.Ordinal));
        Assert.DoesNotContain(year.Notes, n => n.En.Contains("dialogues.commune", StringComparison.Ordinal));
        Assert.Empty(engine.View("2025Q4", "P").Notes);
        Assert.Equal([1, 2], year.FormVersions);
        Assert.Equal([2], engine.View("2025Q4", "P").FormVersions);
    }
}
