using System.Net;
using System.Net.Http.Headers;
using Qcdc.Tests.Infrastructure;

namespace Qcdc.Tests.Pages;

/// <summary>The pages' files as a browser fetches them: typed, revalidated with a 304 when unchanged, nothing outside them.</summary>
public sealed class PageFilesTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/", "text/html")]
    [InlineData("/js/app.js", "text/javascript")]
    [InlineData("/app.css", "text/css")]
    public async Task AFileIsServedWithItsTypeAndAnEntityTagAndAnUnchangedOneIsA304(string path, string type)
    {
        await using var app = new QcdcAppFactory(azurite);
        var client = app.CreateClient();

        var first = await client.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(type, first.Content.Headers.ContentType?.MediaType);
        Assert.True(first.Headers.CacheControl?.NoCache);
        var tag = first.Headers.ETag;
        Assert.NotNull(tag);
        Assert.NotEmpty(await first.Content.ReadAsByteArrayAsync(Ct));

        var again = new HttpRequestMessage(HttpMethod.Get, path);
        again.Headers.IfNoneMatch.Add(tag);
        var revalidated = await client.SendAsync(again, Ct);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        Assert.Empty(await revalidated.Content.ReadAsByteArrayAsync(Ct));

        var stale = new HttpRequestMessage(HttpMethod.Get, path);
        stale.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"older\""));
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(stale, Ct)).StatusCode);
    }

    [Theory]
    [InlineData("/js/nope.js")]
    [InlineData("/js/../appsettings.json")]
    [InlineData("/js")]
    public async Task AnythingButThePagesFilesIs404(string path)
    {
        await using var app = new QcdcAppFactory(azurite);
        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateClient().GetAsync(path, Ct)).StatusCode);
    }
}
