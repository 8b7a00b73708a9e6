using System.Web;
using Azure;
using Azure.Core;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Moq;
using Qcdc.Attachments;
using Qcdc.Storage;

namespace Qcdc.Tests.Attachments;

/// <summary>
/// Which SAS the app signs: a service SAS with the account key of a connection string, a user-delegation SAS when
/// it has only an identity and account URIs. The identity path cannot reach Entra ID from here, so the key comes
/// through the <see cref="IUserDelegationKeySource"/> seam, and no token is ever asked for.
/// </summary>
public sealed class AttachmentUrlsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateTimeOffset Now = new(2026, 11, 23, 3, 0, 0, TimeSpan.Zero);

    private const string BlobName = "QCDC-Q/2026Q4/LC-X-BINHLU/0199a1b2c3d4e5f60718293a4b5c6d7e";

    private static ServiceProvider Build(Dictionary<string, string?> settings, FakeKeySource keys, NoTokenCredential credential)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now));
        services.AddSingleton<TokenCredential>(credential);
        services.AddSingleton<IUserDelegationKeySource>(keys);
        services.AddQcdcStorage();
        services.AddQcdcAttachments();
        return services.BuildServiceProvider();
    }

    private static System.Collections.Specialized.NameValueCollection Query(Uri url) => HttpUtility.ParseQueryString(url.Query);

    [Fact]
    public async Task WithAnIdentityAndAccountUrisTheUrlsAreUserDelegationSas()
    {
        var keys = new FakeKeySource();
        var credential = new NoTokenCredential();
        await using var provider = Build(new()
        {
            ["Storage:TableServiceUri"] = "https://qcdcprovince.table.core.windows.net",
            ["Storage:BlobServiceUri"] = "https://qcdcprovince.blob.core.windows.net",
        }, keys, credential);
        var urls = provider.GetRequiredService<AttachmentBlobs>();

        var upload = await urls.UploadUrlAsync(BlobName, TimeSpan.FromMinutes(15), Ct);
        var download = await urls.DownloadUrlAsync(BlobName, "Biên bản.pdf", "application/pdf", TimeSpan.FromMinutes(5), Ct);

        var up = Query(upload.Url);
        Assert.Equal($"https://qcdcprovince.blob.core.windows.net/attachments/{BlobName}", upload.Url.GetLeftPart(UriPartial.Path));
        Assert.Equal("c", up["sp"]);
        Assert.Equal("b", up["sr"]);
        Assert.Equal("https", up["spr"]);
        Assert.Equal(FakeKeySource.ObjectId, up["skoid"]);
        Assert.Equal(FakeKeySource.TenantId, up["sktid"]);
        Assert.False(string.IsNullOrEmpty(up["sig"]));
        Assert.Equal(Now.AddMinutes(15), upload.ExpiresAt);
        Assert.Equal(Now.AddMinutes(15), DateTimeOffset.Parse(up["se"]!, System.Globalization.CultureInfo.InvariantCulture));
        var down = Query(download.Url);
        Assert.Equal("r", down["sp"]);
        Assert.Equal(FakeKeySource.ObjectId, down["skoid"]);
        Assert.Equal("attachment; filename=\"Bien ban.pdf\"; filename*=UTF-8''Bi%C3%AAn%20b%E1%BA%A3n.pdf", down["rscd"]);
        Assert.Equal("application/pdf", down["rsct"]);
        Assert.Equal(Now.AddMinutes(5), download.ExpiresAt);
        Assert.Equal([Now.AddMinutes(15), Now.AddMinutes(5)], keys.Requests);
        Assert.Equal(0, credential.Requests);
    }

    [Fact]
    public async Task WithAConnectionStringTheUrlsAreServiceSasSignedWithTheAccountKey()
    {
        var keys = new FakeKeySource();
        await using var provider = Build(new() { ["Storage:ConnectionString"] = Qcdc.Development.DevStorage.AzuriteProcess.ConnectionStringFor(10000, 10002) },
            keys, new NoTokenCredential());

        var upload = await provider.GetRequiredService<AttachmentBlobs>().UploadUrlAsync(BlobName, TimeSpan.FromMinutes(15), Ct);

        var query = Query(upload.Url);
        Assert.Equal("c", query["sp"]);
        Assert.Null(query["skoid"]);
        Assert.False(string.IsNullOrEmpty(query["sig"]));
        Assert.Empty(keys.Requests);
    }

    [Fact]
    public async Task OneDelegationKeySignsUrlsForHoursAndANewOneIsFetchedBeforeItRunsOut()
    {
        var time = new FakeTimeProvider(Now);
        var requested = new List<BlobGetUserDelegationKeyOptions>();
        var service = new Mock<BlobServiceClient>(MockBehavior.Strict);
        service.Setup(s => s.GetUserDelegationKeyAsync(It.IsAny<BlobGetUserDelegationKeyOptions>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((BlobGetUserDelegationKeyOptions o, CancellationToken _) =>
            {
                requested.Add(o);
                return Response.FromValue(FakeKeySource.Key(o.StartsOn!.Value, o.ExpiresOn), Mock.Of<Response>());
            });
        var cache = new UserDelegationKeyCache(service.Object, time);

        var first = await cache.GetKeyAsync(Now.AddMinutes(15), Ct);
        time.Advance(TimeSpan.FromHours(5));
        var second = await cache.GetKeyAsync(time.GetUtcNow().AddMinutes(15), Ct);
        time.Advance(TimeSpan.FromMinutes(50));
        var third = await cache.GetKeyAsync(time.GetUtcNow().AddMinutes(15), Ct);

        Assert.Same(first, second);
        Assert.NotSame(second, third);
        Assert.Equal(2, requested.Count);
        Assert.Equal(Now.AddMinutes(-5), requested[0].StartsOn);
        Assert.Equal(Now + UserDelegationKeyCache.KeyLifetime, requested[0].ExpiresOn);
        Assert.True(third.SignedExpiresOn >= time.GetUtcNow().AddMinutes(15));
    }

    [Theory]
    [InlineData("Báo cáo.pdf", "attachment; filename=\"Bao cao.pdf\"; filename*=UTF-8''B%C3%A1o%20c%C3%A1o.pdf")]
    [InlineData("Đề án \"mới\".docx", "attachment; filename=\"De an _moi_.docx\"; filename*=UTF-8''%C4%90%E1%BB%81%20%C3%A1n%20%22m%E1%BB%9Bi%22.docx")]
    public void TheDownloadNameIsExactInFilenameStarWithAnAsciiStandIn(string fileName, string expected) =>
        Assert.Equal(expected, AttachmentBlobs.ContentDisposition(fileName));

    private sealed class FakeKeySource : IUserDelegationKeySource
    {
        public const string ObjectId = "3f1c2b6e-0000-4000-8000-000000000001";
        public const string TenantId = "72f988bf-0000-4000-8000-000000000002";

        public List<DateTimeOffset> Requests { get; } = [];

        public static UserDelegationKey Key(DateTimeOffset start, DateTimeOffset expiry) => BlobsModelFactory.UserDelegationKey(
            ObjectId, TenantId, start, expiry, "b", "2025-11-05", Convert.ToBase64String(new byte[32]));

        public Task<UserDelegationKey> GetKeyAsync(DateTimeOffset validUntil, CancellationToken cancellationToken)
        {
            Requests.Add(validUntil);
            return Task.FromResult(Key(Now.AddMinutes(-5), Now.AddHours(6)));
        }
    }

    private sealed class NoTokenCredential : TokenCredential
    {
        public int Requests { get; private set; }

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Requests++;
            throw new InvalidOperationException("No token may be requested in tests.");
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
