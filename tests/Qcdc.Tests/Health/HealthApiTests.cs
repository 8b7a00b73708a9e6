using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Qcdc.Tests.Infrastructure;

namespace Qcdc.Tests.Health;

public sealed class HealthApiTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HealthAnswersOkWhenStorageIsReachable()
    {
        await using var app = new QcdcAppFactory(azurite);
        var response = await app.CreateClient().GetAsync("/api/health", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<Dictionary<string, object>>(Ct);
        Assert.Equal("ok", body!["status"].ToString());
        Assert.Equal("reachable", body["tables"].ToString());
        Assert.Equal("reachable", body["blobs"].ToString());
    }

    [Fact]
    public async Task HealthAnswers503WithRetryAfterWithinFiveSecondsWhenStorageIsUnreachable()
    {
        var closedPort = ClosedPort();
        await using var app = new QcdcAppFactory(azurite)
            .With("Storage:ConnectionString", Qcdc.Development.DevStorage.AzuriteProcess.ConnectionStringFor(closedPort, closedPort));
        var client = app.CreateClient();

        var clock = Stopwatch.StartNew();
        var response = await client.GetAsync("/api/health", Ct);
        clock.Stop();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<Dictionary<string, object>>(Ct);
        Assert.Equal("unreachable", problem!["tables"].ToString());
    }

    [Fact]
    public async Task StartingWithUnreachableStorageDoesNotStopTheApp()
    {
        var closedPort = ClosedPort();
        await using var app = new QcdcAppFactory(azurite)
            .With("Storage:ConnectionString", Qcdc.Development.DevStorage.AzuriteProcess.ConnectionStringFor(closedPort, closedPort));

        var root = await app.CreateClient().GetAsync("/", Ct);

        Assert.Equal(HttpStatusCode.OK, root.StatusCode);
        Assert.Contains(app.Logs.Entries, e => e.Text.Contains("Storage is unreachable at start", StringComparison.Ordinal));
    }

    internal static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
