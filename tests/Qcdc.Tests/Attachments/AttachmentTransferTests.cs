using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Qcdc.Tests.Infrastructure;
using static Qcdc.Tests.Attachments.AttachmentApp;

namespace Qcdc.Tests.Attachments;

/// <summary>
/// On one provincial server the storage often listens only on loopback, where a commune's browser cannot reach it:
/// attachment URLs then go through the API (or a configured public blob address), never to a dead 127.0.0.1.
/// </summary>
public sealed class AttachmentTransferTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ThroughTheApiAFileIsUploadedAndDownloadedByTheContentRoute()
    {
        await using var app = await StartAsync(azurite, configure: f => f.With("Attachments:Transfer", "ThroughApi"));
        var content = File("pdf", 120_000);

        var declared = await app.DeclareAsync("Biên bản hội nghị.pdf", Pdf, content);
        var id = declared.GetProperty("id").GetString()!;
        var uploadUrl = new Uri(declared.GetProperty("uploadUrl").GetString()!);
        var put = await app.Reporter.PutAsync(uploadUrl, new ByteArrayContent(content), Ct);
        var read = await (await app.Reporter.GetAsync($"{app.Attachments}/{id}", Ct)).ReadJsonAsync();
        var downloadUrl = new Uri(read.GetProperty("downloadUrl").GetString()!);
        var download = await app.Reporter.GetAsync(downloadUrl, Ct);

        Assert.Equal($"{app.Attachments}/{id}/content", uploadUrl.AbsolutePath);
        Assert.False(declared.TryGetProperty("uploadHeaders", out _));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("available", (await put.ReadJsonAsync()).GetProperty("status").GetString());
        Assert.Equal($"{app.Attachments}/{id}/content", downloadUrl.AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(content, await download.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal("Biên bản hội nghị.pdf", download.Content.Headers.ContentDisposition?.FileNameStar);
    }

    [Fact]
    public async Task AReaderOfAnotherUnitCannotDownloadByTheContentRoute()
    {
        await using var app = await StartAsync(azurite, configure: f => f.With("Attachments:Transfer", "ThroughApi"));
        var content = File("pdf");
        var declared = await app.DeclareAsync("a.pdf", Pdf, content);
        var id = declared.GetProperty("id").GetString()!;
        await app.Reporter.PutAsync(declared.GetProperty("uploadUrl").GetString(), new ByteArrayContent(content), Ct);
        var other = await app.App.ReporterAsync("LC-X-TALENG");

        var refused = await other.GetAsync($"{app.Attachments}/{id}/content", Ct);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task AConfiguredPublicBlobEndpointIsTheAddressClientsAreGiven()
    {
        await using var app = await StartAsync(azurite, configure: f => f.With("Attachments:PublicBlobEndpoint", "https://qcdc.laichau.example/blobs"));

        var declared = await app.DeclareAsync("a.pdf", Pdf, File("pdf"));
        var url = new Uri(declared.GetProperty("uploadUrl").GetString()!);

        Assert.Equal("https://qcdc.laichau.example", url.GetLeftPart(UriPartial.Authority));
        Assert.StartsWith("/blobs/", url.AbsolutePath, StringComparison.Ordinal);
        Assert.EndsWith("/" + declared.GetProperty("id").GetString(), url.AbsolutePath, StringComparison.Ordinal);
        Assert.Contains("sp=c", url.Query, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.20.30.40", true)]
    [InlineData("127.0.0.1", false)]
    public async Task ByDefaultAClientElsewhereGetsTheApiRouteWhenStorageIsOnLoopback(string clientAddress, bool throughApi)
    {
        await using var app = await StartAsync(azurite, configure: f => f.WithServices(s =>
            s.AddSingleton<IStartupFilter>(new ClientAddress(IPAddress.Parse(clientAddress)))));

        var declared = await app.DeclareAsync("a.pdf", Pdf, File("pdf"));
        var url = new Uri(declared.GetProperty("uploadUrl").GetString()!);

        Assert.Equal(throughApi, url.AbsolutePath.EndsWith("/content", StringComparison.Ordinal));
        Assert.Equal(!throughApi, url.Query.Contains("sig=", StringComparison.Ordinal));
    }

    /// <summary>Makes every request come from the given address, as from a commune's browser on the network.</summary>
    private sealed class ClientAddress(IPAddress address) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = address;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
