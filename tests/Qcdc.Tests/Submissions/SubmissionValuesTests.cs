using System.Text;
using System.Text.Json;
using Qcdc.Submissions;
using Qcdc.Tests.Infrastructure;

namespace Qcdc.Tests.Submissions;

/// <summary>Each validation rule of DESIGN.md §4, on the standard quarterly form.</summary>
public sealed class SubmissionValuesTests
{
    private static readonly Qcdc.Forms.FormDefinition Form = SeedData.QuarterlyForm();

    private static (System.Text.Json.Nodes.JsonObject Values, IReadOnlyList<Qcdc.Problems.FieldProblem> Problems) Check(string json) =>
        SubmissionValues.Validate(Form, JsonDocument.Parse(json).RootElement);

    private static Qcdc.Problems.FieldProblem Single(string json) => Assert.Single(Check(json).Problems);

    [Fact]
    public void TheDesignExampleIsAccepted()
    {
        var (values, problems) = Check("""{"docs_issued": 12, "cadres_briefed": {"numerator": 989, "denominator": 1000}, "dialogues": {"district": 0, "commune": 3}, "land_area": 1234.5, "narrative_results": "…"}""");
        Assert.Empty(problems);
        Assert.Equal(5, values.Count);
    }

    [Fact]
    public void AnUnknownIndicatorIsNamed() => Assert.Equal("values.bogus", Single("""{"bogus": 1}""").Field);

    [Fact]
    public void AWrongJsonTypeIsNamedWithTheVietnameseLabel()
    {
        var problem = Single("""{"docs_issued": "12"}""");
        Assert.Equal(("docs_issued", "Văn bản lãnh đạo, chỉ đạo ban hành"), (problem.Code, problem.Label));
    }

    [Fact]
    public void ANegativeCountIsRefused() => Assert.Contains("negative", Single("""{"receptions": -1}""").Message.En);

    [Fact]
    public void ANonIntegerCountIsRefused() => Assert.Contains("whole number", Single("""{"receptions": 2.5}""").Message.En);

    [Fact]
    public void VietnameseMessagesWriteFiguresTheVietnameseWay()
    {
        Assert.Equal("Cuộc tiếp công dân của người đứng đầu: phải là số nguyên (đã nhập 2,5).", Single("""{"receptions": 2.5}""").Message.Vi);
        Assert.Equal("Cuộc tiếp công dân của người đứng đầu: không được lớn hơn 1.000.000.000.000.000 (đã nhập 2.000.000.000.000.000).",
            Single("""{"receptions": 2000000000000000}""").Message.Vi);
        Assert.Contains("(got 2.5)", Single("""{"receptions": 2.5}""").Message.En, StringComparison.Ordinal);
    }

    [Fact]
    public void DecimalPlacesBeyondTheIndicatorsAreRefused()
    {
        Assert.Contains("decimal places", Single("""{"land_area": 1.234}""").Message.En);
        Assert.Empty(Check("""{"land_area": 1.23}""").Problems);
        Assert.Contains("whole number", Single("""{"donation_value": 1000.5}""").Message.En);
    }

    [Fact]
    public void ANumeratorAboveItsDenominatorIsKeptForItsRuleToExplain()
    {
        var (values, problems) = Check("""{"cadres_briefed": {"numerator": 1001, "denominator": 1000}}""");
        Assert.Empty(problems);
        Assert.Equal(1001, values["cadres_briefed"]!["numerator"]!.GetValue<decimal>());
    }

    [Fact]
    public void ARatioNeedsBothParts() => Assert.Single(Check("""{"ntm_communes": {"numerator": 1}}""").Problems);

    [Fact]
    public void CategoriesNotOfTheFormAreRefused()
    {
        Assert.Equal("values.dialogues.province", Single("""{"dialogues": {"district": 1, "commune": 2, "province": 3}}""").Field);
        Assert.Equal("values.models_built.small", Single("""{"models_built": {"large": 1, "medium": 2}}""").Field);
    }

    [Fact]
    public void ATotalThatIsNotTheSumIsRefused()
    {
        Assert.Equal("values.models_built.total", Single("""{"models_built": {"large": 86, "medium": 117, "small": 1013, "total": 1217}}""").Field);
        Assert.Empty(Check("""{"models_built": {"large": 86, "medium": 117, "small": 1013, "total": 1216}}""").Problems);
    }

    [Fact]
    public void TextOverItsLimitIsRefused() =>
        Assert.Contains("at most 8000", Single($$"""{"narrative_results": "{{new string('a', 8001)}}"}""").Message.En);

    [Fact]
    public void AControlCharacterIsRefusedWithItsPositionWhileLineBreaksAndTabsAreKept()
    {
        var (_, refused) = Check("{\"narrative_results\": \"Dòng 1\\u0007\\nDòng 2\"}");
        var (values, kept) = Check("{\"narrative_results\": \"Dòng 1\\t\\r\\nDòng 2\"}");

        var problem = Assert.Single(refused);
        Assert.Equal("values.narrative_results", problem.Field);
        Assert.Contains("U+0007 (control character) at character 7", problem.Message.En, StringComparison.Ordinal);
        Assert.Empty(kept);
        Assert.Equal("Dòng 1\t\r\nDòng 2", values["narrative_results"]!.GetValue<string>());
    }

    [Fact]
    public void NfdTextIsStoredAsNfc()
    {
        var nfd = "Kết quả".Normalize(NormalizationForm.FormD);
        var (values, _) = Check(JsonSerializer.Serialize(new Dictionary<string, string> { ["narrative_results"] = nfd }));
        var stored = values["narrative_results"]!.GetValue<string>();
        Assert.True(stored.IsNormalized(NormalizationForm.FormC));
        Assert.Equal("Kết quả".Normalize(NormalizationForm.FormC), stored);
    }

    [Fact]
    public void EveryProblemIsListedAtOnce() =>
        Assert.Equal(3, Check("""{"docs_issued": -1, "receptions": "x", "bogus": 1, "cadres_briefed": {"numerator": 5, "denominator": 1}}""").Problems.Count);

    [Fact]
    public void NullClearsAnIndicator() => Assert.Empty(Check("""{"docs_issued": null}""").Values);

    [Fact]
    public void SubmittingNeedsEveryRequiredIndicator()
    {
        var (values, _) = Check("""{"docs_issued": 1}""");
        var missing = SubmissionValues.MissingRequired(Form, values);
        Assert.Equal(["narrative_results"], missing.Select(m => m.Code));
    }
}
