using System.Net;
using System.Net.Http.Headers;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Qcdc.Storage;
using Qcdc.Tests.Infrastructure;

namespace Qcdc.Tests.Security;

public sealed class KeysApiTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<string> IssueAsync(HttpClient admin, string unit, string role, string? expiresAt = null)
    {
        var expiry = expiresAt is null ? "" : $",\"expiresAt\":\"{expiresAt}\"";
        var response = await admin.PostAsync("/api/manage/keys", HttpJson.Body($$"""{"unit":"{{unit}}","role":"{{role}}","label":"test"{{expiry}}}"""), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("key").GetString()!;
    }

    private static HttpClient With(HttpClient client, string key)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", key);
        return client;
    }

    [Fact]
    public async Task AnIssuedKeyIsShownOnceWithItsPrefixAndStoredOnlyAsAHash()
    {
        await using var app = new QcdcAppFactory(azurite).WithSeeds();
        var key = await IssueAsync(app.CreateAdminClient(), "LC-X-BINHLU", "reporter");

        Assert.StartsWith("qcdc_", key);
        var secret = key.Split('_', 3)[2];
        Assert.True(Convert.FromBase64String(secret.Replace('-', '+').Replace('_', '/') + "=").Length >= 16);
        var list = await (await app.CreateAdminClient().GetAsync("/api/manage/keys?unit=LC-X-BINHLU", Ct)).ReadJsonAsync();
        Assert.Equal(1, list.GetProperty("keys").GetArrayLength());
        Assert.DoesNotContain(secret, list.ToString());
        var table = app.Tables.GetTableClient(app.Names.Table(StorageNames.ApiKeysTable));
        await foreach (var entity in table.QueryAsync<TableEntity>(cancellationToken: Ct))
        {
            Assert.DoesNotContain(entity, p => p.Value?.ToString()?.Contains(secret, StringComparison.Ordinal) == true);
        }
    }

    [Fact]
    public async Task AnIssuedAdminKeyWorksAndARevokedOneStopsAtOnce()
    {
        await using var app = new QcdcAppFactory(azurite).WithSeeds();
        var admin = app.CreateAdminClient();
        var key = await IssueAsync(admin, "LC", "admin");
        var client = With(app.CreateClient(), key);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/manage/keys", Ct)).StatusCode);
        var id = key.Split('_')[1];
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/manage/keys/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/manage/keys", Ct)).StatusCode);
    }

    [Fact]
    public async Task AnExpiredKeyIs401()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new QcdcAppFactory(azurite).WithSeeds()
            .WithServices(s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)));
        var key = await IssueAsync(app.CreateAdminClient(), "LC", "admin", clock.GetUtcNow().AddHours(1).ToString("O"));
        var client = With(app.CreateClient(), key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/manage/keys", Ct)).StatusCode);

        clock.Advance(TimeSpan.FromHours(2));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/manage/keys", Ct)).StatusCode);
    }

    [Fact]
    public async Task AReporterKeyOnAnAdminRouteIs403AndAnUnknownKeyIs401()
    {
        await using var app = new QcdcAppFactory(azurite).WithSeeds();
        var reporter = await IssueAsync(app.CreateAdminClient(), "LC-X-BINHLU", "reporter");

        var forbidden = await With(app.CreateClient(), reporter).GetAsync("/api/manage/keys", Ct);
        var unknown = await With(app.CreateClient(), "qcdc_abcdefghijkm_ThisKeyWasNeverIssuedToAnyone").GetAsync("/api/manage/keys", Ct);
        var tampered = await With(app.CreateClient(), reporter[..^2] + "xx").GetAsync("/api/manage/keys", Ct);

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, tampered.StatusCode);
    }

    [Fact]
    public async Task IssuingForAnUnknownUnitOrRoleIs422()
    {
        await using var app = new QcdcAppFactory(azurite).WithSeeds();
        var response = await app.CreateAdminClient().PostAsync("/api/manage/keys", HttpJson.Body("""{"unit":"NOPE","role":"king"}"""), Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var fields = (await response.ReadJsonAsync()).GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString());
        Assert.Equal(["unit", "role"], fields);
    }

    [Fact]
    public async Task DevelopmentStartStoresTheDemoKeys()
    {
        await using var app = new QcdcAppFactory(azurite).WithSeeds()
            .With("Seed:DemoKeys:0:Key", "qcdc_demoadminlc1_DevelopmentOnly-ProvincialAdmin")
            .With("Seed:DemoKeys:0:Unit", "LC")
            .With("Seed:DemoKeys:0:Role", "admin")
            .With("Seed:DemoKeys:0:Label", "demo");
        var client = With(app.CreateClient(), "qcdc_demoadminlc1_DevelopmentOnly-ProvincialAdmin");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/manage/keys", Ct)).StatusCode);
    }
}
