using Qcdc.Forms;
using Qcdc.Tests.Infrastructure;

namespace Qcdc.Tests.Forms;

/// <summary>A unit is asked only what its kind is asked: the form as each kind of unit fills it.</summary>
public sealed class FormApplicabilityTests
{
    private static IReadOnlyList<string> Asked(FormDefinition form, string kind) =>
        [.. form.For(kind).Indicators.SelectMany(i => i.Categories.Count == 0 ? [i.Code] : i.Categories.Select(c => $"{i.Code}.{c.Code}"))];

    [Fact]
    public void ACommuneIsNotAskedTheAgencyEnterpriseOrProvincialItems()
    {
        var form = SeedData.QuarterlyFormFrom2025Q3();
        var commune = Asked(form, "commune");

        Assert.Contains("dialogues.commune", commune);
        Assert.Contains("ntm_communes", commune);
        Assert.DoesNotContain("dialogues.province", commune);
        Assert.DoesNotContain("dvk_models.province", commune);
        Assert.DoesNotContain(commune, c => c.StartsWith("state_ent_cla", StringComparison.Ordinal) || c.StartsWith("private_ent_dialogue", StringComparison.Ordinal)
            || c.StartsWith("agencies_", StringComparison.Ordinal));
        // The rule on the enterprise's ratio is not checked for a commune; the sections keep only what is asked.
        Assert.All(form.For("commune").Sections, s => Assert.All(s.Indicators, code => Assert.NotNull(form.For("commune").FindIndicator(code))));
        Assert.Equal(["state_ent_cla"], form.For("state-enterprise").Indicators.Where(i => i.Code.Contains("ent_", StringComparison.Ordinal)).Select(i => i.Code));
    }

    [Fact]
    public void TheProvinceIsAskedItsOwnLevelAndAnAgencyNeitherReceptionsNorNewCountryside()
    {
        var form = SeedData.QuarterlyFormFrom2025Q3();
        Assert.Contains("dialogues.province", Asked(form, "province"));
        Assert.DoesNotContain("ntm_communes", Asked(form, "province"));
        var agency = Asked(form, "agency");
        Assert.Contains("agencies_with_rules", agency);
        Assert.DoesNotContain(agency, c => c.StartsWith("receptions", StringComparison.Ordinal) || c.StartsWith("ntm_", StringComparison.Ordinal) || c.StartsWith("dialogues", StringComparison.Ordinal));
        Assert.Equal("Số xã đạt chuẩn nông thôn mới", form.FindIndicator("ntm_communes")!.PartLabel("numerator"));
        Assert.Equal("Tổng số xã", form.FindIndicator("ntm_communes")!.PartLabel("denominator"));
    }

    [Fact]
    public void AFormAskingAKindOutsideItsKindsIsRefused()
    {
        var form = SeedData.QuarterlyFormFrom2025Q3();
        var wrong = form with { Indicators = [.. form.Indicators.Select(i => i.Code == "receptions" ? i with { AppliesTo = ["embassy"] } : i)] };
        Assert.Contains(FormValidation.Validate(wrong), p => p.Field == "indicators.receptions.appliesTo");
        Assert.Empty(FormValidation.Validate(form));
    }

    [Fact]
    public void EachKindIsCheckedByItsOwnRulesWhicheverKindWroteFirst()
    {
        var form = SeedData.QuarterlyFormFrom2025Q3();
        var checks = new Qcdc.Submissions.ReportChecks(null!, null!, Microsoft.Extensions.Options.Options.Create(new Qcdc.Submissions.CheckOptions()));
        static bool OnEnterprise(FormRule r) => r.Left.Contains("state_ent_cla", StringComparison.Ordinal) || r.Right.Contains("state_ent_cla", StringComparison.Ordinal);

        Assert.DoesNotContain(checks.RulesOf(form.For("commune")).Form.Rules, OnEnterprise);
        var enterprise = checks.RulesOf(form.For("state-enterprise")).Form.Rules;

        Assert.Contains(enterprise, OnEnterprise);
        // A rule keeps its id however many of the form's rules a kind is not checked by.
        Assert.All(enterprise, r => Assert.Contains(form.EffectiveRules(), e => e.Id == r.Id && e.Left == r.Left));
    }
}
