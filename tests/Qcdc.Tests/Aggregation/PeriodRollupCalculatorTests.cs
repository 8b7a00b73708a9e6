using System.Text.Json.Nodes;
using Qcdc.Periods;
using Qcdc.Rollups;
using Qcdc.Submissions;
using Qcdc.Tests.Infrastructure;
using Qcdc.Units;

namespace Qcdc.Tests.Aggregation;

/// <summary>Multi-quarter rollups from quarterly rollups, across a merge, a split and a unit that ended.</summary>
public sealed class PeriodRollupCalculatorTests
{
    private static readonly Qcdc.Forms.FormDefinition Form = SeedData.QuarterlyForm();
    private static readonly DateOnly Start = new(2008, 1, 1);
    private static readonly DateOnly LastOld = new(2025, 6, 30);
    private static readonly DateOnly FirstNew = new(2025, 7, 1);

    private static readonly UnitHierarchy Reorganised = new(
    [
        new Unit("P", "Tỉnh", "province", Start),
        new Unit("D", "Huyện", "district", Start, "P", LastOld),
        new Unit("C1", "Xã 1", "commune", Start, "D", LastOld, [new Successor("N1")]),
        new Unit("C2", "Xã 2", "commune", Start, "D", LastOld, [new Successor("N1", 0.6m), new Successor("N2", 0.4m)]),
        new Unit("E", "Xã giải thể", "commune", Start, "D", LastOld),
        new Unit("N1", "Xã mới 1", "commune", FirstNew, "P"),
        new Unit("N2", "Xã mới 2", "commune", FirstNew, "P"),
    ]);

    private static readonly Dictionary<(string, string), JsonObject> Quarterly = new()
    {
        [("C1", "2025Q1")] = Values("""{"docs_issued": 10, "ntm_advanced": 1}"""),
        [("C1", "2025Q2")] = Values("""{"docs_issued": 10, "ntm_advanced": 2}"""),
        [("C2", "2025Q1")] = Values("""{"docs_issued": 20, "ntm_advanced": 5}"""),
        [("C2", "2025Q2")] = Values("""{"docs_issued": 20, "ntm_advanced": 6}"""),
        [("E", "2025Q1")] = Values("""{"docs_issued": 4}"""),
        [("E", "2025Q2")] = Values("""{"docs_issued": 5}"""),
        [("N1", "2025Q3")] = Values("""{"docs_issued": 7, "ntm_advanced": 3}"""),
        [("N1", "2025Q4")] = Values("""{"docs_issued": 8, "ntm_advanced": 4}"""),
        [("N2", "2025Q3")] = Values("""{"docs_issued": 1}"""),
        [("N2", "2025Q4")] = Values("""{"docs_issued": 1}"""),
    };

    private static JsonObject Values(string json) => JsonNode.Parse(json)!.AsObject();

    private static PeriodRollup Year(string unit) =>
        PeriodRollupCalculator.Compute(Form, Period.CalendarYear(2025), unit, Reorganised, (u, q) => Quarterly.GetValueOrDefault((u, q.Key)));

    [Fact]
    public void ANewCommuneCountsItsMergedAndSplitPredecessorsBeforeTheChange()
    {
        // Q1 and Q2: C1 whole (10) + 60 % of C2 (12) = 22 each; then its own 7 and 8.
        Assert.Equal(59m, Year("N1").Values["docs_issued"]!.GetValue<decimal>());
        Assert.Equal(18m, Year("N2").Values["docs_issued"]!.GetValue<decimal>());
    }

    [Fact]
    public void ApportionedFlowsAddUpToWhatWasReported() =>
        Assert.Equal(10m * 2 + 20m * 2 + 7 + 8 + 1 + 1,
            Year("N1").Values["docs_issued"]!.GetValue<decimal>() + Year("N2").Values["docs_issued"]!.GetValue<decimal>());

    [Fact]
    public void StocksTakeTheLastQuarterAndGoWholeToTheFirstSuccessorWithANote()
    {
        Assert.Equal(4m, Year("N1").Values["ntm_advanced"]!.GetValue<decimal>());
        var first = PeriodRollupCalculator.Compute(Form, Period.HalfYear(2025, 1), "N1", Reorganised, (u, q) => Quarterly.GetValueOrDefault((u, q.Key)));
        Assert.Equal(8m, first.Values["ntm_advanced"]!.GetValue<decimal>()); // C1's 2 + C2's 6, whole
        var second = PeriodRollupCalculator.Compute(Form, Period.HalfYear(2025, 1), "N2", Reorganised, (u, q) => Quarterly.GetValueOrDefault((u, q.Key)));
        Assert.False(second.Values.ContainsKey("ntm_advanced"));
        Assert.Contains(second.Notes, n => n.Contains("C2 was split", StringComparison.Ordinal));
    }

    [Fact]
    public void AUnitThatEndedShowsItsDataUpToItsEnd() =>
        Assert.Equal(9m, Year("E").Values["docs_issued"]!.GetValue<decimal>());

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

        var rollups = new Dictionary<string, JsonObject>();
        for (var q = 0; q < quarters.Count; q++)
        {
            var reports = communes.Select((commune, c) =>
            {
                var cell = q * communes.Count + c;
                var met = q == quarters.Count - 1 || c < 10 + q / 2 ? 1 : 0;
                return new ReportFigures(commune, SubmissionStatus.Approved, false, new JsonObject
                {
                    ["land_households"] = Share(14_646, cell, cells),
                    ["land_area"] = Share(894_948, cell, cells),
                    ["donation_value"] = Share(82_749_000_000, cell, cells),
                    ["models_built"] = new JsonObject { ["large"] = Share(86, cell, cells), ["medium"] = Share(117, cell, cells), ["small"] = Share(1_013, cell, cells) },
                    ["ntm_communes"] = new JsonObject { ["numerator"] = met, ["denominator"] = 1 },
                });
            });
            var district = RollupCalculator.Compute(Form, quarters[q].End, hierarchy, reports, RollupCalculator.DefaultCountedStatuses).Single(r => r.Unit == "H");
            rollups[quarters[q].Key] = district.Values;
        }

        var five = PeriodRollupCalculator.Compute(Form, window, "H", hierarchy, (u, q) => u == "H" ? rollups.GetValueOrDefault(q.Key) : null).Values;

        Assert.Equal(14_646m, five["land_households"]!.GetValue<decimal>());
        Assert.Equal(894_948m, five["land_area"]!.GetValue<decimal>());
        Assert.Equal(82_749_000_000m, five["donation_value"]!.GetValue<decimal>());
        var models = five["models_built"]!;
        Assert.Equal((86m, 117m, 1_013m, 1_216m), (models["large"]!.GetValue<decimal>(), models["medium"]!.GetValue<decimal>(), models["small"]!.GetValue<decimal>(), models["total"]!.GetValue<decimal>()));
        var ntm = five["ntm_communes"]!;
        Assert.Equal((20m, 20m, 1m), (ntm["numerator"]!.GetValue<decimal>(), ntm["denominator"]!.GetValue<decimal>(), ntm["value"]!.GetValue<decimal>()));
    }
}
