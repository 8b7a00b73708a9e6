using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Qcdc.Tests.Infrastructure;
using Qcdc.Tests.Submissions;

namespace Qcdc.Tests.Security;

/// <summary>A browser signs in with a key once and then works with a session cookie; the key never stays in the browser.</summary>
public sealed class SessionApiTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Url = ReportingApp.Q3 + "/LC-TDG-01";

    private static async Task<string> IssueKeyAsync(ReportingApp app, string unit, string role, string? name = null)
    {
        var response = await app.Admin.PostAsync("/api/manage/keys",
            HttpJson.Body($$"""{"unit":"{{unit}}","role":"{{role}}","label":"Văn thư","name":"{{name ?? "Lò Thị Mai"}}"}"""), Ct);
        response.EnsureSuccessStatusCode();
        return (await response.ReadJsonAsync()).GetProperty("key").GetString()!;
    }

    private static HttpClient Browser(ReportingApp app, string baseAddress = "http://localhost") =>
        app.Factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri(baseAddress), HandleCookies = true });

    private static async Task<(HttpResponseMessage Response, string Csrf)> SignInAsync(HttpClient browser, string key)
    {
        var response = await browser.PostAsync("/api/session", HttpJson.Body($$"""{"key":"{{key}}"}"""), Ct);
        var csrf = response.IsSuccessStatusCode ? (await response.ReadJsonAsync()).GetProperty("csrfToken").GetString()! : "";
        return (response, csrf);
    }

    [Fact]
    public async Task SigningInSetsAnHttpOnlyStrictCookieAndSaysWhoYouAre()
    {
        await using var app = new ReportingApp(azurite);
        var key = await IssueKeyAsync(app, "LC-TDG-01", "reporter");
        var raw = app.Factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });

        var response = await raw.PostAsync("/api/session", HttpJson.Body($$"""{"key":"{{key}}"}"""), Ct);
        var body = await response.ReadJsonAsync();
        var cookie = response.Headers.GetValues("Set-Cookie").Single();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("qcdc_session=", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase); // loopback
        Assert.DoesNotContain(key, cookie, StringComparison.Ordinal);
        Assert.Equal("LC-TDG-01", body.GetProperty("unit").GetString());
        Assert.Equal("Thị trấn Tam Đường", body.GetProperty("unitName").GetString());
        Assert.Equal("reporter", body.GetProperty("role").GetString());
        Assert.Equal("Lò Thị Mai", body.GetProperty("name").GetString());
        Assert.Equal("session", body.GetProperty("via").GetString());
    }

    [Fact]
    public async Task OutsideLoopbackTheCookieIsSecure()
    {
        await using var app = new ReportingApp(azurite);
        var key = await IssueKeyAsync(app, "LC-TDG-01", "reporter");
        var raw = app.Factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, BaseAddress = new Uri("https://qcdc.laichau.example") });

        var response = await raw.PostAsync("/api/session", HttpJson.Body($$"""{"key":"{{key}}"}"""), Ct);

        Assert.Contains("secure", response.Headers.GetValues("Set-Cookie").Single(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AWrongKeyDoesNotSignInAndSaysHowToAuthenticate()
    {
        await using var app = new ReportingApp(azurite);
        var (response, _) = await SignInAsync(Browser(app), "qcdc_aaaaaaaaaaaa_notarealsecretnotarealsecret");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("ApiKey", response.Headers.WwwAuthenticate.Single().Scheme, StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task TheCookieReadsAndWritesButAChangeNeedsTheAntiForgeryToken()
    {
        await using var app = new ReportingApp(azurite);
        var browser = Browser(app);
        var (_, csrf) = await SignInAsync(browser, await IssueKeyAsync(app, "LC-TDG-01", "reporter"));

        var whoAmI = await browser.GetAsync("/api/session", Ct);
        var forged = await browser.SendAsync(ReportingApp.Put(Url, ReportingApp.Complete), Ct);
        var withToken = ReportingApp.Put(Url, ReportingApp.Complete);
        withToken.Headers.Add("X-CSRF-Token", csrf);
        var saved = await browser.SendAsync(withToken, Ct);
        var read = await browser.GetAsync(Url, Ct);

        Assert.Equal(HttpStatusCode.OK, whoAmI.StatusCode);
        Assert.Equal(csrf, (await whoAmI.ReadJsonAsync()).GetProperty("csrfToken").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Contains("X-CSRF-Token", (await forged.ReadJsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Created, saved.StatusCode);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var history = await (await browser.GetAsync(Url + "/history", Ct)).ReadJsonAsync();
        Assert.Equal("Lò Thị Mai", history.GetProperty("revisions")[0].GetProperty("by").GetProperty("name").GetString());
    }

    [Fact]
    public async Task TheSessionFollowsTheSameUnitRulesAsTheKey()
    {
        await using var app = new ReportingApp(azurite);
        var browser = Browser(app);
        await SignInAsync(browser, await IssueKeyAsync(app, "LC-TDG-01", "reporter"));

        var other = await browser.GetAsync(ReportingApp.Q3 + "/LC-TDG-02", Ct);

        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
    }

    [Fact]
    public async Task SigningOutEndsTheSession()
    {
        await using var app = new ReportingApp(azurite);
        var browser = Browser(app);
        var (_, csrf) = await SignInAsync(browser, await IssueKeyAsync(app, "LC-TDG-01", "reporter"));

        var signOut = new HttpRequestMessage(HttpMethod.Delete, "/api/session");
        signOut.Headers.Add("X-CSRF-Token", csrf);
        var ended = await browser.SendAsync(signOut, Ct);
        var afterwards = await browser.GetAsync("/api/session", Ct);

        Assert.Equal(HttpStatusCode.NoContent, ended.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, afterwards.StatusCode);
    }

    [Fact]
    public async Task ASessionSlidesWithUseAndEndsAfterEightIdleHours()
    {
        await using var app = new ReportingApp(azurite);
        var browser = Browser(app);
        await SignInAsync(browser, await IssueKeyAsync(app, "LC-TDG-01", "reporter"));

        app.Clock.Advance(TimeSpan.FromHours(7));
        var stillIn = await browser.GetAsync("/api/session", Ct);
        app.Clock.Advance(TimeSpan.FromHours(7));
        var slid = await browser.GetAsync("/api/session", Ct);
        app.Clock.Advance(TimeSpan.FromHours(8) + TimeSpan.FromMinutes(1));
        var ended = await browser.GetAsync("/api/session", Ct);

        Assert.Equal(HttpStatusCode.OK, stillIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, slid.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, ended.StatusCode);
        Assert.Contains("sign in again", (await ended.ReadJsonAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task RevokingTheKeyEndsItsSessions()
    {
        await using var app = new ReportingApp(azurite, configure: f => f.With("Security:KeyCacheDuration", "00:00:00"));
        var browser = Browser(app);
        var key = await IssueKeyAsync(app, "LC-TDG-01", "reporter");
        var (signedIn, _) = await SignInAsync(browser, key);
        var id = (await signedIn.ReadJsonAsync()).GetProperty("keyId").GetString();

        Assert.Equal(HttpStatusCode.NoContent, (await app.Admin.DeleteAsync($"/api/manage/keys/{id}", Ct)).StatusCode);
        var afterwards = await browser.GetAsync("/api/session", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, afterwards.StatusCode);
    }

    [Fact]
    public async Task AnApiKeyCallerAsksWhoItIsWithoutASession()
    {
        await using var app = new ReportingApp(azurite);
        var reviewer = await app.ReviewerAsync("LC-TDG");

        var body = await (await reviewer.GetAsync("/api/session", Ct)).ReadJsonAsync();

        Assert.Equal("api-key", body.GetProperty("via").GetString());
        Assert.Equal("Huyện Tam Đường", body.GetProperty("unitName").GetString());
        Assert.False(body.TryGetProperty("csrfToken", out _));
    }
}
