using Qcdc.Forms;
using Qcdc.Periods;
using Qcdc.Seeds;
using Qcdc.Tests.Infrastructure;

namespace Qcdc.Tests.Forms;

public sealed class FormValidationTests
{
    private static IReadOnlyList<FormDefinition> SeedForms() =>
        SeedFiles.ReadFormsAsync(Path.Combine(AzuriteFixture.RepositoryRoot, "seeds"), CancellationToken.None).GetAwaiter().GetResult().Forms;

    private static FormDefinition Quarterly => SeedForms().First(f => f.Code == "QCDC-Q");

    [Fact]
    public void TheSeededFormsAreValid() => Assert.All(SeedForms(), f => Assert.Empty(FormValidation.Validate(f)));

    [Fact]
    public void TheStandardQuarterlyFormHasExactlyTheDesignedIndicators()
    {
        string[] expected =
        [
            "docs_issued", "cadres_briefed", "receptions", "dialogues", "complaints_received", "complaints_resolved", "land_households",
            "land_area", "donation_value", "trees_donated", "workdays", "resources_mobilised", "models_built", "dvk_models", "ntm_communes",
            "ntm_advanced", "model_villages", "ocop_products", "income_per_capita", "agencies_with_rules", "agencies_staff_conference",
            "state_ent_cla", "private_ent_dialogue", "awards_collective", "awards_individual", "narrative_results", "narrative_limitations",
            "narrative_directions",
        ];
        Assert.Equal(expected, Quarterly.Indicators.Select(i => i.Code));
        Assert.Equal(PeriodType.Quarter, Quarterly.PeriodType);
    }

    [Theory]
    [InlineData("cadres_briefed", IndicatorType.Ratio, HierarchyAggregation.RatioOfSums, TimeAggregation.Last)]
    [InlineData("ntm_advanced", IndicatorType.Integer, HierarchyAggregation.Sum, TimeAggregation.Last)]
    [InlineData("income_per_capita", IndicatorType.Money, HierarchyAggregation.AverageOfUnits, TimeAggregation.Last)]
    [InlineData("land_area", IndicatorType.Decimal, HierarchyAggregation.Sum, TimeAggregation.Sum)]
    [InlineData("narrative_results", IndicatorType.Text, HierarchyAggregation.None, TimeAggregation.None)]
    public void IndicatorsCarryTheirTypeAndBothAggregationRules(string code, IndicatorType type, HierarchyAggregation across, TimeAggregation over)
    {
        var indicator = Quarterly.FindIndicator(code)!;
        Assert.Equal((type, across, over), (indicator.Type, indicator.AcrossHierarchy, indicator.OverTime));
    }

    [Fact]
    public void DisaggregatedIndicatorsHaveTheirCategories()
    {
        Assert.Equal(["district", "commune"], Quarterly.FindIndicator("dialogues")!.Categories.Select(c => c.Code));
        Assert.Equal(["large", "medium", "small"], Quarterly.FindIndicator("models_built")!.Categories.Select(c => c.Code));
        Assert.Equal(["province", "district", "grassroots"], Quarterly.FindIndicator("dvk_models")!.Categories.Select(c => c.Code));
    }

    [Fact]
    public void ResolvedComplaintsMayNotExceedReceivedOnes() =>
        Assert.Contains(Quarterly.Rules, r => r is { Left: "complaints_resolved", Operator: RuleOperator.Le, Right: "complaints_received" });

    [Fact]
    public void AveragingARatioIsRefused() =>
        Assert.Contains(FormValidation.Validate(Quarterly with
        {
            Indicators = [new Indicator("share", "Tỷ lệ", IndicatorType.Ratio, HierarchyAggregation.AverageOfUnits, TimeAggregation.Last)],
            Rules = [],
        }), p => p.Field == "indicators.share");

    [Fact]
    public void CategoriesOnATextIndicatorAreRefused() =>
        Assert.Contains(FormValidation.Validate(Quarterly with
        {
            Indicators = [new Indicator("notes", "Ghi chú", IndicatorType.Text, HierarchyAggregation.None, TimeAggregation.None, Categories: [new("a", "A")])],
            Rules = [],
        }), p => p.Field == "indicators.notes");

    [Fact]
    public void ARuleNamingAnUnknownIndicatorIsRefused() =>
        Assert.Contains(FormValidation.Validate(Quarterly with { Rules = [new FormRule("nope", RuleOperator.Le, "docs_issued")] }), p => p.Field == "rules[0].left");

    [Fact]
    public void DuplicateAndBadIndicatorCodesAreRefused()
    {
        var docs = Quarterly.FindIndicator("docs_issued")!;
        var problems = FormValidation.Validate(Quarterly with { Indicators = [docs, docs, docs with { Code = "Bad-Code" }], Rules = [] });
        Assert.Contains(problems, p => p.Field == "indicators.docs_issued");
        Assert.Contains(problems, p => p.Field == "indicators.Bad-Code");
    }

    [Fact]
    public void ADeadlineNeedsExactlyOneRule() =>
        Assert.Contains(FormValidation.Validate(Quarterly with
        {
            Schedule = new ScheduleRule(new Dictionary<string, DeadlineRule> { ["commune"] = new(1, 25) }, 30),
        }), p => p.Field == "schedule.deadlines.commune");
}
