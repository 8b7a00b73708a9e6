using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Qcdc.Tests.Infrastructure;

namespace Qcdc.Tests.Units;

public sealed class UnitsApiTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WithoutAParentTheRootsAreListed()
    {
        await using var app = new QcdcAppFactory(azurite).WithSeeds();
        var body = await (await app.CreateClient().GetAsync("/api/units", Ct)).ReadJsonAsync();
        Assert.Equal(["LC"], body.GetProperty("units").EnumerateArray().Select(u => u.GetProperty("code").GetString()));
        Assert.Equal("Tỉnh Lai Châu", body.GetProperty("units")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task ChildrenFollowTheHierarchyOfTheAsOfDate()
    {
        await using var app = new QcdcAppFactory(azurite).WithSeeds();
        var client = app.CreateClient();

        var before = await (await client.GetAsync("/api/units?parent=LC&asOf=2025-06-30", Ct)).ReadJsonAsync();
        var after = await (await client.GetAsync("/api/units?parent=LC&asOf=2025-07-01", Ct)).ReadJsonAsync();

        var codesBefore = before.GetProperty("units").EnumerateArray().Select(u => u.GetProperty("code").GetString()).ToList();
        var codesAfter = after.GetProperty("units").EnumerateArray().Select(u => u.GetProperty("code").GetString()).ToList();
        Assert.Contains("LC-TDG", codesBefore);
        Assert.DoesNotContain("LC-X-BINHLU", codesBefore);
        Assert.DoesNotContain("LC-TDG", codesAfter);
        Assert.Contains("LC-X-BINHLU", codesAfter);
    }

    [Fact]
    public async Task AUnitShowsItsAncestryValidityAndPredecessorsWithShares()
    {
        await using var app = new QcdcAppFactory(azurite).WithSeeds();
        var client = app.CreateClient();

        var old = await (await client.GetAsync("/api/units/LC-TDG-08?asOf=2024-01-01", Ct)).ReadJsonAsync();
        Assert.Equal(["LC-TDG", "LC"], old.GetProperty("ancestry").EnumerateArray().Select(a => a.GetProperty("code").GetString()));
        Assert.Equal("2025-06-30", old.GetProperty("unit").GetProperty("validTo").GetString());
        Assert.Equal(2, old.GetProperty("unit").GetProperty("successors").GetArrayLength());

        var merged = await (await client.GetAsync("/api/units/LC-X-SONBINH", Ct)).ReadJsonAsync();
        var predecessors = merged.GetProperty("predecessors").EnumerateArray().ToList();
        Assert.Contains(predecessors, p => p.GetProperty("code").GetString() == "LC-TDG-08" && p.GetProperty("share").GetDecimal() == 0.4m);
        Assert.True(merged.GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task AnUnknownUnitIs404WithAProblem()
    {
        await using var app = new QcdcAppFactory(azurite).WithSeeds();
        var response = await app.CreateClient().GetAsync("/api/units/NOPE", Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("NOPE", (await response.ReadJsonAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ABadAsOfDateIs400NamingTheParameter()
    {
        await using var app = new QcdcAppFactory(azurite).WithSeeds();
        var response = await app.CreateClient().GetAsync("/api/units?parent=LC&asOf=01/07/2025", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("asOf", (await response.ReadJsonAsync()).GetProperty("errors")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task ImportingWithoutTheAdminKeyIs401AndWritesNothing()
    {
        await using var app = new QcdcAppFactory(azurite);
        var client = app.CreateClient();
        var response = await client.PostAsync("/api/manage/units", HttpJson.Body("""{"units":[{"code":"P","name":"Tỉnh","kind":"province","validFrom":"2008-01-01"}]}"""), Ct);
        client.DefaultRequestHeaders.Authorization = new("ApiKey", "wrong");
        var wrong = await client.PostAsync("/api/manage/units", HttpJson.Body("""{"units":[{"code":"P","name":"Tỉnh","kind":"province","validFrom":"2008-01-01"}]}"""), Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(0, (await (await client.GetAsync("/api/units", Ct)).ReadJsonAsync()).GetProperty("units").GetArrayLength());
    }

    [Fact]
    public async Task AnImportIsValidatedWholeAndEveryProblemIsNamedWithNothingWritten()
    {
        await using var app = new QcdcAppFactory(azurite);
        var client = app.CreateAdminClient();
        const string file = """
            {"units":[
              {"code":"P","name":"Tỉnh","kind":"province","validFrom":"2008-01-01"},
              {"code":"P","name":"Tỉnh lặp","kind":"province","validFrom":"2008-01-01"},
              {"code":"bad code","name":"X","kind":"commune","validFrom":"2008-01-01","parent":"P"},
              {"code":"C1","name":"Xã 1","kind":"commune","validFrom":"2008-01-01","parent":"NOPE"},
              {"code":"A","name":"A","kind":"district","validFrom":"2008-01-01","parent":"B"},
              {"code":"B","name":"B","kind":"district","validFrom":"2008-01-01","parent":"A"},
              {"code":"D","name":"Huyện","kind":"district","validFrom":"2008-01-01","validTo":"2025-06-30","parent":"P"},
              {"code":"C2","name":"Xã 2","kind":"commune","validFrom":"2008-01-01","parent":"D"}
            ]}
            """;

        var response = await client.PostAsync("/api/manage/units", HttpJson.Body(file), Ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()).ToList();
        Assert.Contains("units[P].code", errors);
        Assert.Contains("units[bad code].code", errors);
        Assert.Contains("units[C1].parent", errors);
        Assert.Contains("units[A].parent", errors);
        Assert.Contains("units[B].parent", errors);
        Assert.Contains("units[C2].validFrom", errors);
        Assert.Equal(0, (await (await client.GetAsync("/api/units", Ct)).ReadJsonAsync()).GetProperty("units").GetArrayLength());
    }

    [Fact]
    public async Task ImportProblemsAreInVietnameseOnRequest()
    {
        await using var app = new QcdcAppFactory(azurite);
        var client = app.CreateAdminClient();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("vi");
        var response = await client.PostAsync("/api/manage/units", HttpJson.Body("""{"units":[{"code":"C1","name":"Xã","kind":"commune","validFrom":"2008-01-01","parent":"NOPE"}]}"""), Ct);

        var problem = await response.ReadJsonAsync();
        Assert.Equal("Dữ liệu không hợp lệ", problem.GetProperty("title").GetString());
        Assert.Equal("Đơn vị cấp trên NOPE không tồn tại.", problem.GetProperty("errors")[0].GetProperty("message").GetString());
    }

    [Fact]
    public async Task ImportingTheSameFileTwiceWritesOnceAndCountsTheRestUnchanged()
    {
        await using var app = new QcdcAppFactory(azurite);
        var client = app.CreateAdminClient();
        var file = await File.ReadAllTextAsync(Path.Combine(AzuriteFixture.RepositoryRoot, "seeds", "units.json"), Ct);

        var first = await (await client.PostAsync("/api/manage/units", HttpJson.Body(file), Ct)).ReadJsonAsync();
        var second = await (await client.PostAsync("/api/manage/units", HttpJson.Body(file), Ct)).ReadJsonAsync();

        Assert.Equal(first.GetProperty("received").GetInt32(), first.GetProperty("created").GetInt32());
        Assert.Equal(0, second.GetProperty("created").GetInt32() + second.GetProperty("updated").GetInt32());
        Assert.Equal(second.GetProperty("received").GetInt32(), second.GetProperty("unchanged").GetInt32());
    }

    [Fact]
    public async Task AnImportCanEndAUnitAndAddItsSuccessorsLater()
    {
        await using var app = new QcdcAppFactory(azurite);
        var client = app.CreateAdminClient();
        await client.PostAsync("/api/manage/units", HttpJson.Body("""
            {"units":[{"code":"P","name":"Tỉnh","kind":"province","validFrom":"2008-01-01"},
                      {"code":"C1","name":"Xã 1","kind":"commune","validFrom":"2008-01-01","parent":"P","gsoCode":"00001"}]}
            """), Ct);

        var response = await client.PostAsync("/api/manage/units", HttpJson.Body("""
            {"units":[{"code":"C1","name":"Xã 1","kind":"commune","validFrom":"2008-01-01","validTo":"2025-06-30","parent":"P","gsoCode":"00001","successors":[{"code":"N1"}]},
                      {"code":"N1","name":"Xã mới","kind":"commune","validFrom":"2025-07-01","parent":"P","gsoCode":"00001"}]}
            """), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.ReadJsonAsync();
        Assert.Equal((1, 1), (result.GetProperty("created").GetInt32(), result.GetProperty("updated").GetInt32()));
        var detail = await (await app.CreateClient().GetAsync("/api/units/N1", Ct)).ReadJsonAsync();
        Assert.Equal("C1", detail.GetProperty("predecessors")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task AMalformedOrIncompleteFileIs400()
    {
        await using var app = new QcdcAppFactory(azurite);
        var client = app.CreateAdminClient();
        var malformed = await client.PostAsync("/api/manage/units", HttpJson.Body("""{"units":[{"code":"P",}"""), Ct);
        var missingName = await client.PostAsync("/api/manage/units", HttpJson.Body("""{"units":[{"code":"P","kind":"province","validFrom":"2008-01-01"}]}"""), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, missingName.StatusCode);
        Assert.Equal("application/problem+json", missingName.Content.Headers.ContentType?.MediaType);
    }
}
