using Qcdc.Forms;
using Qcdc.Tests.Infrastructure;
using Qcdc.Units;

namespace Qcdc.Tests.Aggregation;

/// <summary>Each aggregation rule across the hierarchy and over time, with hand-computed expectations.</summary>
public sealed class AggregationRuleTests
{
    private static readonly DateOnly Start = new(2008, 1, 1);

    private static readonly UnitHierarchy Flat = new(
    [
        new Unit("P", "Tỉnh", "province", Start),
        new Unit("C1", "Xã 1", "commune", Start, "P"),
        new Unit("C2", "Xã 2", "commune", Start, "P"),
        new Unit("C3", "Xã 3", "commune", Start, "P"),
    ]);

    private static RollupEngine Engine(FormDefinition? form = null) => new(Flat, form ?? SeedData.QuarterlyForm());

    [Fact]
    public void CountsAreSummedUpTheHierarchy()
    {
        var engine = Engine().Report("2024Q3", "C1", """{"docs_issued": 12}""").Report("2024Q3", "C2", """{"docs_issued": 7}""");
        Assert.Equal(19m, engine.Values("2024Q3", "P").Number("docs_issued"));
    }

    [Fact]
    public void CategoriesAreSummedOneByOneAndGainTheirTotal()
    {
        var values = Engine()
            .Report("2024Q3", "C1", """{"models_built": {"large": 86, "medium": 117, "small": 1000}}""")
            .Report("2024Q3", "C2", """{"models_built": {"large": 0, "medium": 0, "small": 13}}""")
            .Values("2024Q3", "P");
        Assert.Equal((86m, 117m, 1013m, 1216m),
            (values.Number("models_built.large"), values.Number("models_built.medium"), values.Number("models_built.small"), values.Number("models_built.total")));
    }

    [Fact]
    public void RatiosAreRatiosOfSumsNeverAveragesOfPercentages()
    {
        // 9/10 (90 %) and 90/100 (90 %) and 0/890 (0 %): the average of percentages would be 60 %.
        var values = Engine()
            .Report("2024Q3", "C1", """{"cadres_briefed": {"numerator": 9, "denominator": 10}}""")
            .Report("2024Q3", "C2", """{"cadres_briefed": {"numerator": 90, "denominator": 100}}""")
            .Report("2024Q3", "C3", """{"cadres_briefed": {"numerator": 0, "denominator": 890}}""")
            .Values("2024Q3", "P");
        Assert.Equal((99m, 1000m, 0.099m), (values.Number("cadres_briefed.numerator"), values.Number("cadres_briefed.denominator"), values.Number("cadres_briefed.value")));
    }

    [Fact]
    public void AverageOfUnitsCountsOnlyTheUnitsThatReported()
    {
        var values = Engine()
            .Report("2024Q3", "C1", """{"income_per_capita": 38800000}""")
            .Report("2024Q3", "C2", """{"income_per_capita": 42800000}""")
            .Report("2024Q3", "C3", """{"docs_issued": 1}""")
            .Values("2024Q3", "P");
        Assert.Equal(40_800_000m, values.Number("income_per_capita"));
    }

    [Fact]
    public void MinAndMaxTakeTheExtremeUnit()
    {
        FormDefinition Rule(HierarchyAggregation rule) => RollupEngine.WithIndicator(SeedData.QuarterlyForm(), "docs_issued", i => i with { AcrossHierarchy = rule });
        RollupEngine Three(FormDefinition form) => Engine(form)
            .Report("2024Q3", "C1", """{"docs_issued": 5}""").Report("2024Q3", "C2", """{"docs_issued": 3}""").Report("2024Q3", "C3", """{"docs_issued": 9}""");
        Assert.Equal(3m, Three(Rule(HierarchyAggregation.Min)).Values("2024Q3", "P").Number("docs_issued"));
        Assert.Equal(9m, Three(Rule(HierarchyAggregation.Max)).Values("2024Q3", "P").Number("docs_issued"));
    }

    [Fact]
    public void NarrativesAreNotAggregatedAndNothingReportedAggregatesToNothing()
    {
        var values = Engine().Report("2024Q3", "C1", """{"narrative_results": "Tốt"}""").Values("2024Q3", "P");
        Assert.False(values.ContainsKey("narrative_results"));
        Assert.False(values.ContainsKey("docs_issued"));
    }

    [Fact]
    public void FlowsAreSummedOverTime()
    {
        var engine = Engine()
            .Report("2024Q1", "C1", """{"docs_issued": 10}""").Report("2024Q2", "C1", """{"docs_issued": 20}""").Report("2024Q4", "C1", """{"docs_issued": 20}""");
        Assert.Equal(50m, engine.Values("2024", "P").Number("docs_issued"));
        Assert.Equal(30m, engine.Values("2024H1", "C1").Number("docs_issued"));
    }

    [Fact]
    public void CategorisedFlowsOverTimeKeepTheirCategories()
    {
        var values = Engine()
            .Report("2024Q1", "C1", """{"dialogues": {"district": 2, "commune": 30}}""")
            .Report("2024Q2", "C1", """{"dialogues": {"district": 6, "commune": 84}}""")
            .Values("2024H1", "P");
        Assert.Equal((8m, 114m, 122m), (values.Number("dialogues.district"), values.Number("dialogues.commune"), values.Number("dialogues.total")));
    }

    [Fact]
    public void StocksTakeTheLastReportedValue()
    {
        var values = Engine()
            .Report("2024Q1", "C1", """{"ntm_advanced": 1, "ntm_communes": {"numerator": 18, "denominator": 20}}""")
            .Report("2024Q2", "C1", """{"ntm_advanced": 3, "ntm_communes": {"numerator": 20, "denominator": 20}}""")
            .Report("2024Q3", "C1", """{"ntm_advanced": 4, "ntm_communes": {"numerator": 19, "denominator": 20}}""")
            .Values("2024", "C1");
        Assert.Equal(4m, values.Number("ntm_advanced"));
        Assert.Equal(19m, values.Number("ntm_communes.numerator"));
    }

    [Fact]
    public void MaxAndAverageOverTimeGoPerUnitThenAcross()
    {
        FormDefinition Rule(TimeAggregation rule) => RollupEngine.WithIndicator(SeedData.QuarterlyForm(), "ocop_products", i => i with { OverTime = rule });
        RollupEngine Quarters(FormDefinition form) => Engine(form)
            .Report("2024Q1", "C1", """{"ocop_products": 5}""").Report("2024Q2", "C1", """{"ocop_products": 7}""").Report("2024Q3", "C1", """{"ocop_products": 6}""")
            .Report("2024Q1", "C2", """{"ocop_products": 1}""").Report("2024Q4", "C2", """{"ocop_products": 3}""");
        // Largest per commune (7 and 3), then summed; average per commune (6 and 2), then summed.
        Assert.Equal(10m, Quarters(Rule(TimeAggregation.Max)).Values("2024", "P").Number("ocop_products"));
        Assert.Equal(8m, Quarters(Rule(TimeAggregation.Average)).Values("2024", "P").Number("ocop_products"));
    }

    [Fact]
    public void DraftsAndReturnedReportsDoNotCount()
    {
        var engine = Engine()
            .Report("2024Q3", "C1", """{"docs_issued": 2}""", Qcdc.Submissions.SubmissionStatus.Draft)
            .Report("2024Q3", "C2", """{"docs_issued": 3}""", Qcdc.Submissions.SubmissionStatus.Returned);
        var view = engine.View("2024Q3", "P");
        Assert.False(view.Values.ContainsKey("docs_issued"));
        Assert.Equal(0, view.Completeness.Submitted);
    }
}
