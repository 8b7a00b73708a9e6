using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Qcdc.Tests.Infrastructure;

namespace Qcdc.Tests.Forms;

public sealed class FormsApiTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static StringContent Body(JsonNode json) => new(json.ToJsonString(), Encoding.UTF8, "application/json");

    private static JsonNode SeedForm(string code) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AzuriteFixture.RepositoryRoot, "seeds", "forms.json")))!["forms"]!.AsArray()
            .Last(f => f!["code"]!.GetValue<string>() == code)!.DeepClone();

    [Fact]
    public async Task TheSeededFormsAreListedWithTheirCurrentVersion()
    {
        await using var app = new QcdcAppFactory(azurite).WithSeeds();
        var forms = (await (await app.CreateClient().GetAsync("/api/forms", Ct)).ReadJsonAsync()).GetProperty("forms").EnumerateArray().ToList();

        Assert.Equal(["QCDC-5Y", "QCDC-Q"], forms.Select(f => f.GetProperty("code").GetString()));
        Assert.Equal([1, 2], forms.Select(f => f.GetProperty("version").GetInt32()));
        Assert.Equal([1, 2], forms[1].GetProperty("versions").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal("five-year", forms[0].GetProperty("periodType").GetString());
    }

    [Fact]
    public async Task AFormDefinitionCarriesEverythingAClientNeedsToRenderIt()
    {
        await using var app = new QcdcAppFactory(azurite).WithSeeds();
        var form = await (await app.CreateClient().GetAsync("/api/forms/QCDC-Q", Ct)).ReadJsonAsync();

        var cadres = form.GetProperty("indicators").EnumerateArray().First(i => i.GetProperty("code").GetString() == "cadres_briefed");
        Assert.Equal("ratio", cadres.GetProperty("type").GetString());
        Assert.Equal("ratio-of-sums", cadres.GetProperty("acrossHierarchy").GetString());
        Assert.Equal("last", cadres.GetProperty("overTime").GetString());
        Assert.Equal("Cán bộ, đảng viên được quán triệt", cadres.GetProperty("label").GetString());
        Assert.Equal("người", cadres.GetProperty("unit").GetString());
        Assert.Equal(1, form.GetProperty("schedule").GetProperty("deadlines").GetProperty("commune").GetProperty("workingDaysAfterCutoff").GetInt32());
    }

    [Fact]
    public async Task PublishingANewVersionLeavesTheOldOneReadable()
    {
        await using var app = new QcdcAppFactory(azurite).WithSeeds();
        var admin = app.CreateAdminClient();
        var form = SeedForm("QCDC-Q");
        form["indicators"]!.AsArray().Add(new JsonObject
        {
            ["code"] = "villages_with_covenants",
            ["label"] = "Thôn có hương ước, quy ước",
            ["unit"] = "thôn",
            ["type"] = "integer",
            ["acrossHierarchy"] = "sum",
            ["overTime"] = "last",
        });

        var published = await admin.PostAsync("/api/manage/forms", Body(form), Ct);

        Assert.Equal(HttpStatusCode.Created, published.StatusCode);
        Assert.Equal(3, (await published.ReadJsonAsync()).GetProperty("version").GetInt32());
        var client = app.CreateClient();
        var current = await (await client.GetAsync("/api/forms/QCDC-Q", Ct)).ReadJsonAsync();
        var first = await (await client.GetAsync("/api/forms/QCDC-Q?version=1", Ct)).ReadJsonAsync();
        Assert.Equal(29, current.GetProperty("indicators").GetArrayLength());
        Assert.Equal(28, first.GetProperty("indicators").GetArrayLength());
        Assert.Equal(1, first.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task RepublishingTheCurrentDefinitionWritesNothing()
    {
        await using var app = new QcdcAppFactory(azurite).WithSeeds();
        var response = await app.CreateAdminClient().PostAsync("/api/manage/forms", Body(SeedForm("QCDC-Q")), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (await response.ReadJsonAsync()).GetProperty("version").GetInt32());
    }

    [Theory]
    [InlineData("2024Q3", 1, "district")]
    [InlineData("2025Q2", 1, "district")]
    [InlineData("2025Q3", 2, "province")]
    [InlineData("2026Q4", 2, "province")]
    public async Task TheFormForAPeriodIsTheVersionInForceThen(string period, int version, string firstDialogueLevel)
    {
        await using var app = new QcdcAppFactory(azurite).WithSeeds();
        var form = await (await app.CreateClient().GetAsync($"/api/forms/QCDC-Q?period={period}", Ct)).ReadJsonAsync();

        Assert.Equal(version, form.GetProperty("version").GetInt32());
        var dialogues = form.GetProperty("indicators").EnumerateArray().Single(i => i.GetProperty("code").GetString() == "dialogues");
        Assert.Equal(firstDialogueLevel, dialogues.GetProperty("categories")[0].GetProperty("code").GetString());
        Assert.Equal("Hội nghị đối thoại trực tiếp với Nhân dân", dialogues.GetProperty("label").GetString());
    }

    [Fact]
    public async Task AnInvalidFormIs422NamingEachIndicator()
    {
        await using var app = new QcdcAppFactory(azurite).WithSeeds();
        var form = SeedForm("QCDC-Q");
        form["indicators"]![1]!["acrossHierarchy"] = "average-of-units";
        form["rules"]!.AsArray().Add(new JsonObject { ["left"] = "ghost", ["operator"] = "le", ["right"] = "docs_issued" });

        var response = await app.CreateAdminClient().PostAsync("/api/manage/forms", Body(form), Ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var fields = (await response.ReadJsonAsync()).GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()).ToList();
        Assert.Contains("indicators.cadres_briefed", fields);
        Assert.Contains($"rules[{form["rules"]!.AsArray().Count - 1}].left", fields);
        Assert.Equal(2, (await (await app.CreateClient().GetAsync("/api/forms/QCDC-Q", Ct)).ReadJsonAsync()).GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task AnUnknownEnumValueIs400()
    {
        await using var app = new QcdcAppFactory(azurite).WithSeeds();
        var form = SeedForm("QCDC-Q");
        form["periodType"] = "fortnight";
        var response = await app.CreateAdminClient().PostAsync("/api/manage/forms", Body(form), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task PublishingNeedsTheAdminKey()
    {
        await using var app = new QcdcAppFactory(azurite).WithSeeds();
        var response = await app.CreateClient().PostAsync("/api/manage/forms", Body(SeedForm("QCDC-Q")), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/forms/NOPE")]
    [InlineData("/api/forms/QCDC-Q?version=9")]
    public async Task AnUnknownFormOrVersionIs404(string url)
    {
        await using var app = new QcdcAppFactory(azurite).WithSeeds();
        var response = await app.CreateClient().GetAsync(url, Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ANonNumericVersionIs400()
    {
        await using var app = new QcdcAppFactory(azurite).WithSeeds();
        var response = await app.CreateClient().GetAsync("/api/forms/QCDC-Q?version=latest", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
