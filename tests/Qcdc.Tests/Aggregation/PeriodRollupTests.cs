using System.Text.Json.Nodes;
using Qcdc.Periods;
using Qcdc.Rollups;
using Qcdc.Submissions;
using Qcdc.Tests.Infrastructure;
using Qcdc.Units;

namespace Qcdc.Tests.Aggregation;

/// <summary>Multi-quarter rollups from quarterly snapshots, across a merge, a split and a unit that ended.</summary>
public sealed class PeriodRollupTests
{
    private static readonly DateOnly Start = new(2008, 1, 1);
    private static readonly DateOnly LastOld = new(2025, 6, 30);
    private static readonly DateOnly FirstNew = new(2025, 7, 1);

    internal static readonly UnitHierarchy Reorganised = new(
    [
        new Unit("P", "Tỉnh", "province", Start),
        new Unit("D", "Huyện", "district", Start, "P", LastOld),
        new Unit("C1", "Xã 1", "commune", Start, "D", LastOld, [new Successor("N1")]),
        new Unit("C2", "Xã 2", "commune", Start, "D", LastOld, [new Successor("N1", 0.6m), new Successor("N2", 0.4m)]),
        new Unit("E", "Xã giải thể", "commune", Start, "D", LastOld),
        new Unit("N1", "Xã mới 1", "commune", FirstNew, "P"),
        new Unit("N2", "Xã mới 2", "commune", FirstNew, "P"),
    ]);

    private static RollupEngine Year2025() => new RollupEngine(Reorganised, SeedData.QuarterlyForm(), SeedData.QuarterlyFormFrom2025Q3())
        .Report("2025Q1", "C1", """{"docs_issued": 10, "ntm_advanced": 1}""")
        .Report("2025Q2", "C1", """{"docs_issued": 10, "ntm_advanced": 2}""")
        .Report("2025Q1", "C2", """{"docs_issued": 20, "ntm_advanced": 5}""")
        .Report("2025Q2", "C2", """{"docs_issued": 20, "ntm_advanced": 6}""")
        .Report("2025Q1", "E", """{"docs_issued": 4}""")
        .Report("2025Q2", "E", """{"docs_issued": 5}""")
        .Report("2025Q3", "N1", """{"docs_issued": 7, "ntm_advanced": 3}""")
        .Report("2025Q4", "N1", """{"docs_issued": 8, "ntm_advanced": 4}""")
        .Report("2025Q3", "N2", """{"docs_issued": 1}""")
        .Report("2025Q4", "N2", """{"docs_issued": 1}""");

    [Fact]
    public void ANewCommuneCountsItsMergedAndSplitPredecessorsBeforeTheChange()
    {
        var engine = Year2025();
        // Q1 and Q2: C1 whole (10) + 60 % of C2 (12) = 22 each; then its own 7 and 8.
        Assert.Equal(59m, engine.Values("2025", "N1").Number("docs_issued"));
        Assert.Equal(18m, engine.Values("2025", "N2").Number("docs_issued"));
    }

    [Fact]
    public void ApportionedFlowsAddUpToWhatWasReported()
    {
        var engine = Year2025();
        Assert.Equal(10m * 2 + 20m * 2 + 7 + 8 + 1 + 1, engine.Values("2025", "N1").Number("docs_issued") + engine.Values("2025", "N2").Number("docs_issued"));
        Assert.Equal(10m * 2 + 20m * 2 + 4 + 5 + 7 + 8 + 1 + 1, engine.Values("2025", "P").Number("docs_issued"));
    }

    [Fact]
    public void StocksGoWholeToTheFirstSuccessorWithANote()
    {
        var engine = Year2025();
        Assert.Equal(4m, engine.Values("2025", "N1").Number("ntm_advanced"));
        Assert.Equal(4m, engine.Values("2025", "P").Number("ntm_advanced")); // N1's own last value; N2 reports none
        Assert.Equal(8m, engine.Values("2025H1", "P").Number("ntm_advanced")); // C1's 2 + C2's 6 at the end of June
        var n2 = engine.View("2025", "N2");
        Assert.False(n2.Values.ContainsKey("ntm_advanced"));
        Assert.Contains(n2.Notes, n => n.En.Contains("C2 was split", StringComparison.Ordinal) && n.Vi.Contains("C2 đã được chia tách", StringComparison.Ordinal));
    }

    [Fact]
    public void AnApportionedFigureIsShownRoundedWhileTheTotalsAboveUseTheExactShares()
    {
        var engine = new RollupEngine(Reorganised, SeedData.QuarterlyForm(), SeedData.QuarterlyFormFrom2025Q3())
            .Report("2025Q1", "C2", """{"docs_issued": 21}""")
            .Report("2025Q2", "C2", """{"docs_issued": 21}""")
            .Report("2025Q3", "N2", """{"docs_issued": 1}""");

        var n1 = engine.View("2025", "N1");
        var n2 = engine.View("2025", "N2");
        var province = engine.View("2025", "P");

        // Exact: N1 = 12.6 × 2 = 25.2, N2 = 8.4 × 2 + 1 = 17.8; shown 25 and 18. The province adds the exact 43.
        Assert.Equal((25m, 18m, 43m), (n1.Values.Number("docs_issued"), n2.Values.Number("docs_issued"), province.Values.Number("docs_issued")));
        Assert.True(n2.Apportioned);
        Assert.Contains(RollupTexts.Apportioned, n2.Notes);
        Assert.False(province.Apportioned);
        var year = engine.Snapshot("2025");
        Assert.Equal(25.2m, Micro.ToDecimal(year.Aggregate[year.IndexOf("N1") * year.Schema.SlotCount + year.Schema.SlotOf("docs_issued", SlotPart.Value)]));
    }

    [Fact]
    public void AUnitThatEndedShowsItsDataUpToItsEnd() =>
        Assert.Equal(9m, Year2025().Values("2025", "E").Number("docs_issued"));

    [Fact]
    public void UnitsThatOpenedOrClosedInThePeriodAreExpectedOnlyForTheQuartersTheyExisted()
    {
        var listing = Year2025().Completeness("2025", "P");
        var byUnit = listing.Units.ToDictionary(u => u.Unit);

        Assert.Equal((2, 2, CompletenessStatus.Complete), (byUnit["E"].QuartersExpected!.Value, byUnit["E"].QuartersReported!.Value, byUnit["E"].Status));
        Assert.Equal((2, 2, CompletenessStatus.Complete), (byUnit["N1"].QuartersExpected!.Value, byUnit["N1"].QuartersReported!.Value, byUnit["N1"].Status));
        Assert.Equal((2, 0, CompletenessStatus.Missing), (byUnit["D"].QuartersExpected!.Value, byUnit["D"].QuartersReported!.Value, byUnit["D"].Status));
        Assert.Equal((4, 0), (byUnit["P"].QuartersExpected!.Value, byUnit["P"].QuartersReported!.Value));
        // Unit-quarters: P 4 + D, C1, C2, E 2 each + N1, N2 2 each = 16; reported: C1, C2, E, N1, N2 twice = 10.
        Assert.Equal((16, 10), (listing.Total.Expected, listing.Total.Reported));
    }

    /// <summary>
    /// Built from published figures: a district of 20 communes whose five years of quarterly reports under
    /// Resolution 02-NQ/TU (2017Q3–2022Q2) add up to 14,646 households donating 894,948 m² of land worth
    /// 82,749,000,000 VND and 1,216 models (86 large, 117 medium, 1,013 small), with 20/20 communes meeting the
    /// new-rural standards at the end.
    /// </summary>
    [Fact]
    public void FiveYearsOfQuarterlyReportsAddUpToThePublishedDistrictFigures()
    {
        var communes = Enumerable.Range(1, 20).Select(i => $"H-{i:D2}").ToList();
        var hierarchy = new UnitHierarchy([new Unit("H", "Huyện", "district", Start), .. communes.Select(c => new Unit(c, "Xã " + c, "commune", Start, "H"))]);
        new PeriodCatalog(PeriodCatalog.DefaultWindows).TryResolve("NQ02-2017", out var window);
        var quarters = window!.Quarters();
        var cells = communes.Count * quarters.Count;
        static decimal Share(decimal total, int cell, int cells) => Math.Floor(total / cells) + (cell < total % cells ? 1 : 0);
        var engine = new RollupEngine(hierarchy, SeedData.QuarterlyForm());
        for (var q = 0; q < quarters.Count; q++)
        {
            for (var c = 0; c < communes.Count; c++)
            {
                var cell = q * communes.Count + c;
                var met = q == quarters.Count - 1 || c < 10 + q / 2 ? 1 : 0;
                engine.Report(quarters[q].Key, communes[c], new JsonObject
                {
                    ["land_households"] = Share(14_646, cell, cells),
                    ["land_area"] = Share(894_948, cell, cells),
                    ["donation_value"] = Share(82_749_000_000, cell, cells),
                    ["models_built"] = new JsonObject { ["large"] = Share(86, cell, cells), ["medium"] = Share(117, cell, cells), ["small"] = Share(1_013, cell, cells) },
                    ["ntm_communes"] = new JsonObject { ["numerator"] = met, ["denominator"] = 1 },
                }.ToJsonString(), SubmissionStatus.Approved);
            }
        }

        var five = engine.Values("NQ02-2017", "H");

        Assert.Equal(14_646m, five.Number("land_households"));
        Assert.Equal(894_948m, five.Number("land_area"));
        Assert.Equal(82_749_000_000m, five.Number("donation_value"));
        Assert.Equal((86m, 117m, 1_013m, 1_216m), (five.Number("models_built.large"), five.Number("models_built.medium"), five.Number("models_built.small"), five.Number("models_built.total")));
        Assert.Equal((20m, 20m, 1m), (five.Number("ntm_communes.numerator"), five.Number("ntm_communes.denominator"), five.Number("ntm_communes.value")));
    }
}
