using System.Text.Json.Nodes;
using Qcdc.Rollups;
using Qcdc.Submissions;
using Qcdc.Tests.Infrastructure;
using Qcdc.Units;

namespace Qcdc.Tests.Aggregation;

/// <summary>A three-level tree with agencies at two levels, computed by hand.</summary>
public sealed class RollupCalculatorTests
{
    private static readonly DateOnly Start = new(2008, 1, 1);
    private static readonly DateOnly End = new(2024, 9, 30);

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

    private static ReportFigures Report(string unit, string values, SubmissionStatus status = SubmissionStatus.Submitted, bool late = false) =>
        new(unit, status, late, JsonNode.Parse(values)!.AsObject());

    private static Dictionary<string, UnitRollup> Compute(params ReportFigures[] reports) =>
        RollupCalculator.Compute(SeedData.QuarterlyForm(), End, Tree, reports, RollupCalculator.DefaultCountedStatuses).ToDictionary(r => r.Unit);

    [Fact]
    public void EveryUnitGetsTheAggregateOfItsSubtree()
    {
        var rollups = Compute(
            Report("C1", """{"docs_issued": 2, "cadres_briefed": {"numerator": 9, "denominator": 10}}"""),
            Report("C2", """{"docs_issued": 3, "cadres_briefed": {"numerator": 90, "denominator": 100}}"""),
            Report("C3", """{"docs_issued": 4}"""),
            Report("D1-AG", """{"docs_issued": 1}"""),
            Report("P-AG", """{"docs_issued": 10}"""));

        Assert.Equal(6m, rollups["D1"].Values["docs_issued"]!.GetValue<decimal>());
        Assert.Equal(4m, rollups["D2"].Values["docs_issued"]!.GetValue<decimal>());
        Assert.Equal(20m, rollups["P"].Values["docs_issued"]!.GetValue<decimal>());
        Assert.Equal(99m, rollups["P"].Values["cadres_briefed"]!["numerator"]!.GetValue<decimal>());
        Assert.Equal(0.9m, rollups["P"].Values["cadres_briefed"]!["value"]!.GetValue<decimal>());
        Assert.Equal(3m, rollups["C2"].Values["docs_issued"]!.GetValue<decimal>());
    }

    [Fact]
    public void CompletenessCountsExpectedSubmittedOnTimeLateAndMissing()
    {
        var rollups = Compute(
            Report("C1", """{"docs_issued": 2}"""),
            Report("C2", """{"docs_issued": 3}""", late: true),
            Report("C3", """{"docs_issued": 4}""", SubmissionStatus.Draft),
            Report("P-AG", """{"docs_issued": 1}""", SubmissionStatus.Approved));

        var province = rollups["P"].Completeness;
        // The commune that ended on 30 June is not expected at the end of September.
        Assert.Equal(8, province.Expected);
        Assert.Equal(3, province.Submitted);
        Assert.Equal(2, province.OnTime);
        Assert.Equal(1, province.Late);
        Assert.Equal(["C3", "D1", "D1-AG", "D2", "P"], province.Missing);
        Assert.DoesNotContain("OLD", rollups.Keys);
    }

    [Fact]
    public void DraftsAndReturnedReportsDoNotCount()
    {
        var rollups = Compute(
            Report("C1", """{"docs_issued": 2}""", SubmissionStatus.Draft),
            Report("C2", """{"docs_issued": 3}""", SubmissionStatus.Returned));
        Assert.False(rollups["D1"].Values.ContainsKey("docs_issued"));
        Assert.Equal(0, rollups["D1"].Completeness.Submitted);
    }

    [Fact]
    public void TheSameInputsGiveIdenticalResults()
    {
        var reports = new[] { Report("C1", """{"docs_issued": 2, "models_built": {"large": 1, "medium": 0, "small": 2}}"""), Report("C3", """{"docs_issued": 4}""") };
        var first = Compute(reports);
        var second = Compute(reports.Reverse().ToArray());
        Assert.All(first, pair => Assert.Equal(pair.Value.Values.ToJsonString(), second[pair.Key].Values.ToJsonString()));
    }
}
