using System.Net;
using Qcdc.Tests.Infrastructure;
using Qcdc.Tests.Submissions;

namespace Qcdc.Tests.Security;

public sealed class RequestProtectionTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AKeyOverItsRateIs429WithRetryAfter()
    {
        await using var app = new ReportingApp(azurite, configure: f => f.With("RateLimits:PerKeyPerMinute", "5"));
        var reporter = await app.ReporterAsync();
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 7; i++)
        {
            last = await reporter.GetAsync(ReportingApp.Q3 + "/LC-TDG-01", Ct);
            statuses.Add(last.StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.Equal(5, statuses.Count(s => s != HttpStatusCode.TooManyRequests));
        Assert.NotNull(last!.Headers.RetryAfter);
        Assert.Equal("application/problem+json", last.Content.Headers.ContentType?.MediaType);
        // Another key is not slowed down by the first one.
        Assert.Equal(HttpStatusCode.OK, (await app.Admin.GetAsync("/api/forms", Ct)).StatusCode);
    }

    [Fact]
    public async Task RequestsWithoutAKeyAreLimitedPerClientAddress()
    {
        await using var app = new QcdcAppFactory(azurite).With("RateLimits:PerAddressPerMinute", "3");
        var client = app.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await client.GetAsync("/api/health", Ct)).StatusCode);
        }
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }

    [Theory]
    [InlineData("/api/health")]
    [InlineData("/api/no-such-route")]
    [InlineData("/api/manage/keys")]
    public async Task EveryAnswerCarriesSecurityHeaders(string url)
    {
        await using var app = new QcdcAppFactory(azurite);
        var response = await app.CreateClient().GetAsync(url, Ct);

        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.True(response.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task ABodyOverTheRoutesLimitIs413BeforeItIsRead()
    {
        await using var app = new QcdcAppFactory(azurite);
        var response = await app.CreateAdminClient().PostAsync("/api/manage/forms",
            HttpJson.Body("{\"code\":\"" + new string('A', 300 * 1024) + "\"}"), Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task KeysAndAuthorizationHeadersNeverReachTheLogs()
    {
        await using var app = new ReportingApp(azurite);
        var reporter = await app.ReporterAsync();
        var key = reporter.DefaultRequestHeaders.Authorization!.Parameter!;
        var secret = key.Split('_', 3)[2];

        await reporter.SendAsync(ReportingApp.Put(ReportingApp.Q3 + "/LC-TDG-01", ReportingApp.Complete), Ct);
        await reporter.SendAsync(ReportingApp.Put(ReportingApp.Q3 + "/LC-TDG-02", ReportingApp.Complete), Ct);
        var wrong = app.Factory.CreateClient();
        wrong.DefaultRequestHeaders.Authorization = new("ApiKey", key + "tampered");
        await wrong.GetAsync(ReportingApp.Q3 + "/LC-TDG-01", Ct);
        await app.Admin.GetAsync("/api/manage/keys", Ct);

        var logs = app.Factory.Logs.AllText;
        Assert.NotEmpty(app.Factory.Logs.Entries);
        Assert.DoesNotContain(secret, logs);
        Assert.DoesNotContain(QcdcAppFactory.AdminKey, logs);
        Assert.DoesNotContain("ApiKey ", logs);
    }
}
