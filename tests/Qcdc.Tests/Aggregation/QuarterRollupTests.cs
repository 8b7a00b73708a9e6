using Qcdc.Rollups;
using Qcdc.Submissions;
using Qcdc.Tests.Infrastructure;
using Qcdc.Units;

namespace Qcdc.Tests.Aggregation;

/// <summary>A quarter over a three-level tree with agencies at two levels, computed by hand.</summary>
public sealed class QuarterRollupTests
{
    private static readonly DateOnly Start = new(2008, 1, 1);

    private static readonly UnitHierarchy Tree = new(
    [
        new Unit("P", "Tỉnh", "province", Start),
        new Unit("P-AG", "Sở", "agency", Start, "P"),
        new Unit("D1", "Huyện 1", "district", Start, "P"),
        new Unit("D1-AG", "Phòng", "agency", Start, "D1"),
        new Unit("C1", "Xã 1", "commune", Start, "D1"),
        new Unit("C2", "Xã 2", "commune", Start, "D1"),
        new Unit("D2", "Huyện 2", "district", Start, "P"),
        new Unit("C3", "Xã 3", "commune", Start, "D2"),
        new Unit("OLD", "Xã đã giải thể", "commune", Start, "D2", new DateOnly(2024, 6, 30)),
    ]);

    private static RollupEngine Engine() => new(Tree, SeedData.QuarterlyForm());

    [Fact]
    public void EveryUnitGetsTheAggregateOfItsSubtree()
    {
        var engine = Engine()
            .Report("2024Q3", "C1", """{"docs_issued": 2, "cadres_briefed": {"numerator": 9, "denominator": 10}}""")
            .Report("2024Q3", "C2", """{"docs_issued": 3, "cadres_briefed": {"numerator": 90, "denominator": 100}}""")
            .Report("2024Q3", "C3", """{"docs_issued": 4}""")
            .Report("2024Q3", "D1-AG", """{"docs_issued": 1}""")
            .Report("2024Q3", "P-AG", """{"docs_issued": 10}""");

        Assert.Equal(6m, engine.Values("2024Q3", "D1").Number("docs_issued"));
        Assert.Equal(4m, engine.Values("2024Q3", "D2").Number("docs_issued"));
        Assert.Equal(20m, engine.Values("2024Q3", "P").Number("docs_issued"));
        Assert.Equal(99m, engine.Values("2024Q3", "P").Number("cadres_briefed.numerator"));
        Assert.Equal(0.9m, engine.Values("2024Q3", "P").Number("cadres_briefed.value"));
        Assert.Equal(3m, engine.Values("2024Q3", "C2").Number("docs_issued"));
    }

    [Fact]
    public void CompletenessCountsExpectedSubmittedOnTimeLateAndMissing()
    {
        var engine = Engine()
            .Report("2024Q3", "C1", """{"docs_issued": 2}""")
            .Report("2024Q3", "C2", """{"docs_issued": 3}""", late: true)
            .Report("2024Q3", "C3", """{"docs_issued": 4}""", SubmissionStatus.Draft)
            .Report("2024Q3", "P-AG", """{"docs_issued": 1}""", SubmissionStatus.Approved);

        var province = engine.View("2024Q3", "P").Completeness;
        // The commune that ended on 30 June is not expected at the end of September.
        Assert.Equal(8, province.Expected);
        Assert.Equal(3, province.Submitted);
        Assert.Equal(2, province.OnTime);
        Assert.Equal(1, province.Late);
        Assert.Equal(["C3", "D1", "D1-AG", "D2", "P"], province.Missing);
        Assert.Equal(-1, engine.Snapshot("2024Q3").IndexOf("OLD"));
    }

    [Fact]
    public void TheCompletenessListingNamesEveryExpectedUnitAndTheRatesPerChild()
    {
        var listing = Engine()
            .Report("2024Q3", "C1", """{"docs_issued": 2}""")
            .Report("2024Q3", "C2", """{"docs_issued": 3}""", late: true)
            .Report("2024Q3", "C3", """{"docs_issued": 4}""", SubmissionStatus.Draft)
            .Report("2024Q3", "D2", """{"docs_issued": 4}""", SubmissionStatus.Returned)
            .Completeness("2024Q3", "P");

        var byUnit = listing.Units.ToDictionary(u => u.Unit);
        Assert.Equal(["C1", "C2", "C3", "D1", "D1-AG", "D2", "P", "P-AG"], listing.Units.Select(u => u.Unit));
        Assert.Equal((CompletenessStatus.Submitted, false), (byUnit["C1"].Status, byUnit["C1"].Late!.Value));
        Assert.Equal((CompletenessStatus.Submitted, true), (byUnit["C2"].Status, byUnit["C2"].Late!.Value));
        Assert.Equal(CompletenessStatus.Draft, byUnit["C3"].Status);
        Assert.Equal(CompletenessStatus.Returned, byUnit["D2"].Status);
        Assert.Equal(CompletenessStatus.Missing, byUnit["P"].Status);
        Assert.Null(byUnit["C3"].SubmittedAt);
        Assert.Equal("Xã 1", byUnit["C1"].Name);
        Assert.Equal("commune", byUnit["C1"].Kind);
        Assert.Equal((8, 2, 1, 0.25m, 0.125m), (listing.Total.Expected, listing.Total.Reported, listing.Total.OnTime, listing.Total.Rate, listing.Total.RateOnTime));
        var d1 = listing.Children.Single(c => c.Unit == "D1");
        Assert.Equal((4, 2, 1, 0.5m, 0.25m), (d1.Expected, d1.Reported, d1.OnTime, d1.Rate, d1.RateOnTime));
        Assert.Equal(["D1", "D2", "P-AG"], listing.Children.Select(c => c.Unit));
    }

    [Fact]
    public void TheSameInputsGiveIdenticalResults()
    {
        var first = Engine()
            .Report("2024Q3", "C1", """{"docs_issued": 2, "models_built": {"large": 1, "medium": 0, "small": 2}}""")
            .Report("2024Q3", "C3", """{"docs_issued": 4}""");
        var second = Engine()
            .Report("2024Q3", "C3", """{"docs_issued": 4}""")
            .Report("2024Q3", "C1", """{"docs_issued": 2, "models_built": {"large": 1, "medium": 0, "small": 2}}""");
        Assert.All(Tree.All.Where(u => u.Code != "OLD"), u =>
            Assert.Equal(first.Values("2024Q3", u.Code).ToJsonString(), second.Values("2024Q3", u.Code).ToJsonString()));
        Assert.Equal(RollupSnapshotCodec.Encode(first.Snapshot("2024Q3")), RollupSnapshotCodec.Encode(second.Snapshot("2024Q3")));
    }

    [Fact]
    public void AProvinceWithThousandsOfMissingUnitsIsOneSnapshotThatNamesThemAll()
    {
        var communes = Enumerable.Range(1, 6_000).Select(i => new Unit($"X-{i:D5}", $"Xã {i}", "commune", Start, "X")).ToList();
        var engine = new RollupEngine(new UnitHierarchy([new Unit("X", "Tỉnh", "province", Start), .. communes]), SeedData.QuarterlyForm())
            .Report("2024Q3", "X-00001", """{"docs_issued": 1}""");

        var province = engine.View("2024Q3", "X");
        var blob = RollupSnapshotCodec.Encode(engine.Snapshot("2024Q3"));

        Assert.Equal(6_000, province.Completeness.Missing.Count); // 5,999 communes and the province itself
        Assert.Contains("X-06000", province.Completeness.Missing);
        Assert.True(blob.Length < 200_000, $"{blob.Length} bytes");
    }
}
