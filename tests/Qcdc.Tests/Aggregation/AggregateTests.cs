using System.Text.Json.Nodes;
using Qcdc.Aggregation;
using Qcdc.Forms;
using Qcdc.Tests.Infrastructure;

namespace Qcdc.Tests.Aggregation;

/// <summary>Each aggregation rule, with hand-computed expectations.</summary>
public sealed class AggregateTests
{
    private static readonly FormDefinition Form = SeedData.QuarterlyForm();

    private static Indicator I(string code) => Form.FindIndicator(code)!;

    private static JsonNode? N(string json) => JsonNode.Parse(json);

    [Fact]
    public void CountsAreSummedUpTheHierarchy() =>
        Assert.Equal(19m, Aggregate.AcrossHierarchy(I("docs_issued"), [N("12"), N("7"), null])!.GetValue<decimal>());

    [Fact]
    public void CategoriesAreSummedOneByOneAndGainTheirTotal()
    {
        var result = Aggregate.AcrossHierarchy(I("models_built"), [N("""{"large": 86, "medium": 117, "small": 1000}"""), N("""{"large": 0, "medium": 0, "small": 13}""")])!;
        Assert.Equal((86m, 117m, 1013m, 1216m), (result["large"]!.GetValue<decimal>(), result["medium"]!.GetValue<decimal>(), result["small"]!.GetValue<decimal>(), result["total"]!.GetValue<decimal>()));
    }

    [Fact]
    public void RatiosAreRatiosOfSumsNeverAveragesOfPercentages()
    {
        // 9/10 (90 %) and 90/100 (90 %) and 0/890 (0 %): the average of percentages would be 60 %.
        var result = Aggregate.AcrossHierarchy(I("cadres_briefed"), [N("""{"numerator": 9, "denominator": 10}"""), N("""{"numerator": 90, "denominator": 100}"""), N("""{"numerator": 0, "denominator": 890}""")])!;
        Assert.Equal(99m, result["numerator"]!.GetValue<decimal>());
        Assert.Equal(1000m, result["denominator"]!.GetValue<decimal>());
        Assert.Equal(0.099m, result["value"]!.GetValue<decimal>());
    }

    [Fact]
    public void AverageOfUnitsCountsOnlyTheUnitsThatReported() =>
        Assert.Equal(40.8m, Aggregate.AcrossHierarchy(I("income_per_capita"), [N("38.8"), N("42.8"), null])!.GetValue<decimal>());

    [Fact]
    public void MinAndMaxTakeTheExtremeUnit()
    {
        var min = I("docs_issued") with { AcrossHierarchy = HierarchyAggregation.Min };
        var max = I("docs_issued") with { AcrossHierarchy = HierarchyAggregation.Max };
        Assert.Equal(3m, Aggregate.AcrossHierarchy(min, [N("5"), N("3"), N("9")])!.GetValue<decimal>());
        Assert.Equal(9m, Aggregate.AcrossHierarchy(max, [N("5"), N("3"), N("9")])!.GetValue<decimal>());
    }

    [Fact]
    public void NarrativesAreNotAggregated() =>
        Assert.Null(Aggregate.AcrossHierarchy(I("narrative_results"), [N("\"Tốt\""), N("\"Khá\"")]));

    [Fact]
    public void NothingReportedAggregatesToNothing() => Assert.Null(Aggregate.AcrossHierarchy(I("docs_issued"), [null, null]));

    [Fact]
    public void FlowsAreSummedOverTime() =>
        Assert.Equal(50m, Aggregate.OverTime(I("docs_issued"), [N("10"), N("20"), null, N("20")])!.GetValue<decimal>());

    [Fact]
    public void StocksTakeTheLastReportedValue()
    {
        Assert.Equal(4m, Aggregate.OverTime(I("ntm_advanced"), [N("1"), N("3"), N("4")])!.GetValue<decimal>());
        var ratio = Aggregate.OverTime(I("ntm_communes"), [N("""{"numerator": 18, "denominator": 20}"""), N("""{"numerator": 20, "denominator": 20}"""), null])!;
        Assert.Equal(20m, ratio["numerator"]!.GetValue<decimal>());
    }

    [Fact]
    public void MaxAndAverageOverTime()
    {
        var max = I("ocop_products") with { OverTime = TimeAggregation.Max };
        var average = I("ocop_products") with { OverTime = TimeAggregation.Average };
        Assert.Equal(7m, Aggregate.OverTime(max, [N("5"), N("7"), N("6")])!.GetValue<decimal>());
        Assert.Equal(6m, Aggregate.OverTime(average, [N("5"), N("7"), N("6")])!.GetValue<decimal>());
    }

    [Fact]
    public void CategorisedFlowsOverTimeKeepTheirCategories()
    {
        var result = Aggregate.OverTime(I("dialogues"), [N("""{"district": 2, "commune": 30}"""), N("""{"district": 6, "commune": 84}""")])!;
        Assert.Equal((8m, 114m, 122m), (result["district"]!.GetValue<decimal>(), result["commune"]!.GetValue<decimal>(), result["total"]!.GetValue<decimal>()));
    }
}
