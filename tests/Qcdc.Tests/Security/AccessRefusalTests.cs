using System.Net;
using System.Text;
using Qcdc.Tests.Infrastructure;
using Qcdc.Tests.Submissions;

namespace Qcdc.Tests.Security;

/// <summary>401 and 403 say what a person can do about them, without telling anything about other units' data.</summary>
public sealed class AccessRefusalTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WithoutAKeyTheAnswerIs401WithWwwAuthenticateApiKey()
    {
        await using var app = new ReportingApp(azurite);
        var response = await app.Factory.CreateClient().GetAsync(ReportingApp.Q3 + "/LC-TDG-01", Ct);
        var problem = await response.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("ApiKey", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("https://www.rfc-editor.org/rfc/rfc9110#section-15.5.2", problem.GetProperty("type").GetString());
        Assert.Contains("Authorization: ApiKey", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AWrongKeyIs401SayingTheKeyIsNotValid()
    {
        await using var app = new ReportingApp(azurite);
        var client = app.Factory.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "ApiKey qcdc_aaaaaaaaaaaa_wrongwrongwrongwrongwrong");

        var response = await client.GetAsync(ReportingApp.Q3 + "/LC-TDG-01", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("not valid", (await response.ReadJsonAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AnotherCommunesReportIs403SayingTheUnitIsNotTheKeys()
    {
        await using var app = new ReportingApp(azurite);
        await app.Admin.SendAsync(ReportingApp.Put(ReportingApp.Q3 + "/LC-TDG-01", ReportingApp.Complete), Ct);
        var other = await app.ReporterAsync("LC-TDG-02");
        other.DefaultRequestHeaders.AcceptLanguage.ParseAdd("vi");

        var existing = await other.GetAsync(ReportingApp.Q3 + "/LC-TDG-01", Ct);
        var missing = await other.GetAsync(ReportingApp.Q3 + "/LC-TDG-03", Ct);

        Assert.Equal(HttpStatusCode.Forbidden, existing.StatusCode);
        var detail = (await existing.ReadJsonAsync()).GetProperty("detail").GetString();
        Assert.Equal("Đơn vị của khóa này không phải đơn vị này hoặc đơn vị cấp trên của nó.", detail);
        // Whether the other unit has a report is not told: the same answer either way.
        Assert.Equal(detail, (await missing.ReadJsonAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AReviewerWritingAReportIs403SayingTheRoleMayNot()
    {
        await using var app = new ReportingApp(azurite);
        var reviewer = await app.ReviewerAsync("LC-TDG");

        var response = await reviewer.SendAsync(ReportingApp.Put(ReportingApp.Q3 + "/LC-TDG-01", ReportingApp.Complete), Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("role (reviewer) may not", (await response.ReadJsonAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AnUnknownUnitIs403SayingItDoesNotExist()
    {
        await using var app = new ReportingApp(azurite);
        var reviewer = await app.ReviewerAsync("LC-TDG");

        var response = await reviewer.GetAsync(ReportingApp.Q3 + "/NO-SUCH-UNIT", Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("does not exist", (await response.ReadJsonAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ABodyThatIsNotJsonIs415TellingTheClientToSendJson()
    {
        await using var app = new ReportingApp(azurite);
        var response = await app.Admin.PutAsync(ReportingApp.Q3 + "/LC-TDG-01", new StringContent("docs_issued=3", Encoding.UTF8, "text/plain"), Ct);
        var patch = await app.Admin.PatchAsync(ReportingApp.Q3 + "/LC-TDG-01", HttpJson.Body("""{"values": {}}"""), Ct);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("application/json", (await response.ReadJsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, patch.StatusCode);
        Assert.Contains("application/merge-patch+json", (await patch.ReadJsonAsync()).GetProperty("detail").GetString());
    }
}
