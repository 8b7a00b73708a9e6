using System.Text.Json;
using System.Text.Json.Nodes;
using Qcdc.Forms;
using Qcdc.Submissions;
using Qcdc.Tests.Infrastructure;

namespace Qcdc.Tests.Forms;

/// <summary>
/// Validation rules and outliers as a reviewer relies on them: the shared cases (the page's evaluator runs the same
/// file), the seeded rules of the quarterly form with their Vietnamese messages, and the outlier tests.
/// </summary>
public sealed class FormChecksTests
{
    public sealed record RuleCase(string Name, FormRule Rule, JsonObject Values, bool Broken)
    {
        public override string ToString() => Name;
    }

    public static string CasesPath => Path.Combine(AzuriteFixture.RepositoryRoot, "tests", "Qcdc.Tests", "Forms", "rule-cases.json");

    public static IEnumerable<TheoryDataRow<RuleCase>> Cases()
    {
        var file = JsonNode.Parse(File.ReadAllText(CasesPath))!;
        foreach (var item in file["cases"]!.AsArray())
        {
            var rule = item!["rule"]!;
            yield return new TheoryDataRow<RuleCase>(new RuleCase(
                item["name"]!.GetValue<string>(),
                new FormRule(rule["left"]!.GetValue<string>(), Parse<RuleOperator>(rule["operator"]!.GetValue<string>()), rule["right"]!.GetValue<string>(), "case",
                    Missing: rule["missing"] is { } missing ? Parse<MissingValueStrategy>(missing.GetValue<string>()) : MissingValueStrategy.SkipIfAnyMissing),
                item["values"]!.AsObject(), item["broken"]!.GetValue<bool>()));
        }
    }

    private static T Parse<T>(string kebab) where T : struct, Enum =>
        Enum.Parse<T>(string.Concat(kebab.Split('-').Select(w => char.ToUpperInvariant(w[0]) + w[1..])));

    /// <summary>The quarterly form's cells, and a yes/no, for the cases to name.</summary>
    private static readonly FormDefinition Case = SeedData.QuarterlyForm() with
    {
        Indicators = [.. SeedData.QuarterlyForm().Indicators, new Indicator("has_plan", "Có kế hoạch", IndicatorType.Boolean, HierarchyAggregation.Sum, TimeAggregation.Last)],
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void TheServerEvaluatesEachSharedCase(RuleCase @case)
    {
        var checks = new FormChecks(Case with { Rules = [@case.Rule] }).Evaluate(@case.Values);
        Assert.Equal(@case.Broken, checks.Count == 1);
    }

    [Theory]
    [InlineData("""{"docs_issued": 3, "cadres_briefed": {"numerator": 40, "denominator": 50}, "dialogues": {"district": 0, "commune": 2}, "land_area": 12.5}""")]
    [InlineData("""{"land_area": 12.5, "dialogues": {"commune": 2, "district": 0}, "bogus": 7, "cadres_briefed": {"denominator": 50, "numerator": 40}, "docs_issued": 3}""")]
    [InlineData("""{"dialogues": {"village": 9, "commune": 2, "district": 0}, "docs_issued": 3, "has_plan": true, "cadres_briefed": {"numerator": 40, "denominator": 50}, "land_area": 12.5}""")]
    public void StoredNumbersReadStraightFromTheirBytesAsTheirValuesDoInAnyOrder(string json)
    {
        var layout = new CellLayout(Case);
        var (fromBytes, presentFromBytes) = (new decimal[layout.Count], new bool[layout.Count]);
        var (fromValues, presentFromValues) = (new decimal[layout.Count], new bool[layout.Count]);

        layout.Load(System.Text.Encoding.UTF8.GetBytes(json), fromBytes, presentFromBytes);
        layout.Load(JsonNode.Parse(json)!.AsObject(), fromValues, presentFromValues);

        Assert.Equal(fromValues, fromBytes);
        Assert.Equal(presentFromValues, presentFromBytes);
        Assert.Equal(40m, fromBytes[layout.IndexOf("cadres_briefed.numerator")]);
        Assert.Equal(2m, fromBytes[layout.IndexOf("dialogues.commune")]);
        Assert.Equal(json.Contains("has_plan", StringComparison.Ordinal) ? 7 : 6, presentFromBytes.Count(p => p)); // the unknown names left out
    }

    [Fact]
    public void TheQuarterlyFormsRulesExplainThemselvesInVietnameseBesideTheirCells()
    {
        var form = SeedData.QuarterlyForm();
        var values = JsonNode.Parse("""
            {"complaints_received": 3, "complaints_resolved": 4, "cadres_briefed": {"numerator": 60, "denominator": 50},
             "ntm_communes": {"numerator": 1, "denominator": 1}, "ntm_advanced": 2, "land_households": 5}
            """)!.AsObject();

        var checks = new FormChecks(form).Evaluate(values);

        Assert.Equal(["complaints-resolved", "ntm-advanced-part", "land-pair", "cadres-briefed-ratio"], checks.Select(c => c.Rule));
        var complaints = checks[0];
        Assert.Equal((CheckKind.Rule, CheckSeverity.Error), (complaints.Kind, complaints.Severity));
        Assert.Equal(["complaints_resolved", "complaints_received"], complaints.Cells);
        Assert.Equal("Số đơn thư đã giải quyết không vượt quá số đơn thư tiếp nhận (đang ghi: Đơn thư đã giải quyết = 4, Đơn thư khiếu nại, tố cáo tiếp nhận = 3).",
            complaints.Message.Vi);
        Assert.Equal(CheckSeverity.Warning, checks[2].Severity);
        Assert.Contains("Hộ hiến đất: đã ghi; Diện tích đất hiến: chưa ghi", checks[2].Message.Vi, StringComparison.Ordinal);
        Assert.Equal(["cadres_briefed.numerator", "cadres_briefed.denominator"], checks[3].Cells);
        // The ratio's counts by the names the form gives them.
        Assert.Contains("Số cán bộ, đảng viên được quán triệt = 60", checks[3].Message.Vi, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryRuleOfTheSeedsParsesAndAFormWithABadRuleIsRefusedNamingIt()
    {
        foreach (var form in SeedData.Forms())
        {
            Assert.Empty(FormValidation.Validate(form));
        }
        var bad = SeedData.QuarterlyForm() with
        {
            Rules = [new FormRule("docs_issued +", RuleOperator.Le, "5", "a"), new FormRule("cadres_briefed", RuleOperator.Le, "5", "a"), new FormRule("dialogues.village", RuleOperator.Le, "1", "b")],
        };
        var problems = FormValidation.Validate(bad);
        Assert.Equal(["rules[0].left", "rules[1].id", "rules[1].left", "rules[2].left"], problems.Select(p => p.Field));
        Assert.Contains("ends too soon", problems[0].Message.En, StringComparison.Ordinal);
    }

    [Fact]
    public void AValueFarFromTheUnitsOwnQuartersIsAWarningNamingTheExpectedRange()
    {
        var form = SeedData.QuarterlyForm();
        var history = new[] { 4, 5, 6, 5, 4, 6, 5, 5 }.Select(n => JsonNode.Parse($$"""{"docs_issued": {{n}}, "receptions": 3}""")!.AsObject()).ToList();
        var options = new CheckOptions();

        var usual = ReportChecks.Outliers(form, JsonNode.Parse("""{"docs_issued": 7, "receptions": 3}""")!.AsObject(), history, null, "commune", options);
        var outlier = Assert.Single(ReportChecks.Outliers(form, JsonNode.Parse("""{"docs_issued": 50, "receptions": 3}""")!.AsObject(), history, null, "commune", options));

        Assert.Empty(usual);
        Assert.Equal(("outlier:docs_issued", CheckKind.Outlier, CheckSeverity.Warning), (outlier.Rule, outlier.Kind, outlier.Severity));
        Assert.Equal("Văn bản lãnh đạo, chỉ đạo ban hành: 50 khác xa 8 quý trước của đơn vị (thường từ 2 đến 8); đề nghị kiểm tra lại.", outlier.Message.Vi);
        // Three earlier quarters are too few to say what is usual; all-equal history says nothing of spread.
        Assert.Empty(ReportChecks.Outliers(form, JsonNode.Parse("""{"docs_issued": 50}""")!.AsObject(), history.Take(3).ToList(), null, "commune", options));
        var flat = Enumerable.Repeat(JsonNode.Parse("""{"docs_issued": 5}""")!.AsObject(), 8).ToList();
        Assert.Empty(ReportChecks.Outliers(form, JsonNode.Parse("""{"docs_issued": 50}""")!.AsObject(), flat, null, "commune", options));
    }

    [Fact]
    public void BoundsSetForAUnitKindMakeAValueOutsideThemAWarning()
    {
        var form = SeedData.QuarterlyForm();
        var bounds = new Dictionary<string, ValueBounds> { ["dialogues.commune"] = new(0, 12) };
        var values = JsonNode.Parse("""{"dialogues": {"district": 0, "commune": 40}}""")!.AsObject();

        var check = Assert.Single(ReportChecks.Outliers(form, values, [], bounds, "commune", new CheckOptions()));

        Assert.Equal(["dialogues.commune"], check.Cells);
        Assert.Equal("Hội nghị đối thoại trực tiếp với Nhân dân — Cấp xã: 40 nằm ngoài khoảng đặt cho loại đơn vị Xã (từ 0 đến 12).", check.Message.Vi);
    }

    [Fact]
    public void TheModifiedZScoreUsesTheMedianAbsoluteDeviationAndFallsBackToTheMeanOne()
    {
        var (median, spread) = ReportChecks.Range([1m, 2m, 3m, 4m, 100m], 3.5m)!.Value;
        Assert.Equal(3m, median);
        Assert.Equal(1m / 0.6745m, spread); // MAD of 1, 2, 3, 4, 100 around 3 is 1

        var (_, fallback) = ReportChecks.Range([5m, 5m, 5m, 9m], 3.5m)!.Value;
        Assert.Equal(1.253314m * 1m, fallback); // MAD 0: mean absolute deviation 1
        Assert.Null(ReportChecks.Range([5m, 5m, 5m], 3.5m));
    }
}
