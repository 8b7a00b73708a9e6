using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Qcdc.Development.DevStorage;
using Qcdc.Tests.Attachments;
using Qcdc.Tests.Infrastructure;
using Qcdc.Tests.Submissions;

namespace Qcdc.Tests.Storage;

/// <summary>
/// The Azure way: account URIs and a token credential instead of a connection string. An Azurite of its own serves
/// HTTPS with a certificate made here and accepts only what its OAuth check passes (issuer, audience, lifetime); the
/// app, given the URIs and a <see cref="TokenCredential"/> that mints such tokens (never the metadata address),
/// creates its tables and containers, stores a report, and signs attachment URLs with a user-delegation key.
/// </summary>
public sealed class TokenCredentialTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly string _folder = Directory.CreateTempSubdirectory("qcdc-oauth-").FullName;
    private AzuriteProcess? _azurite;
    private X509Certificate2? _certificate;

    /// <summary>Mints unsigned Entra-shaped tokens (Azurite's basic check does not verify signatures) and counts the scopes asked for.</summary>
    private sealed class EntraLikeCredential : TokenCredential
    {
        public ConcurrentQueue<string> Scopes { get; } = new();

        public bool Expired { get; set; }

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            foreach (var scope in requestContext.Scopes)
            {
                Scopes.Enqueue(scope);
            }
            var now = DateTimeOffset.UtcNow;
            var (from, to) = Expired ? (now.AddHours(-2), now.AddHours(-1)) : (now.AddMinutes(-5), now.AddHours(1));
            static string Part(object value) => Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(value)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            var token = Part(new { alg = "none", typ = "JWT" }) + "." + Part(new Dictionary<string, object>
            {
                ["aud"] = "https://storage.azure.com",
                ["iss"] = "https://sts.windows.net/00000000-0000-0000-0000-000000000001/",
                ["iat"] = from.ToUnixTimeSeconds(),
                ["nbf"] = from.ToUnixTimeSeconds(),
                ["exp"] = to.ToUnixTimeSeconds(),
                ["oid"] = "11111111-1111-1111-1111-111111111111",
                ["tid"] = "00000000-0000-0000-0000-000000000001",
            }) + ".";
            // The SDK refreshes early; an already-expired token is asked for again on each request.
            return new AccessToken(token, Expired ? now.AddSeconds(1) : to);
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }

    public async ValueTask InitializeAsync()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
        await File.WriteAllTextAsync(Path.Combine(_folder, "cert.pem"), _certificate.ExportCertificatePem(), Ct);
        await File.WriteAllTextAsync(Path.Combine(_folder, "key.pem"), rsa.ExportPkcs8PrivateKeyPem(), Ct);
        _azurite = await AzuriteProcess.StartAsync(new AzuriteStartOptions
        {
            RepositoryRoot = AzuriteFixture.RepositoryRoot,
            CertificatePath = Path.Combine(_folder, "cert.pem"),
            KeyPath = Path.Combine(_folder, "key.pem"),
            OAuth = true,
        }, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
        _certificate?.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private HttpClientHandler TrustingOurCertificate() => new()
    {
        ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate?.Thumbprint == _certificate!.Thumbprint,
    };

    private Action<QcdcAppFactory> WithTokenCredential(TokenCredential credential) => factory => factory
        .With("Storage:ConnectionString", "")
        .With("Storage:TableServiceUri", $"https://127.0.0.1:{_azurite!.TablePort}/{AzuriteProcess.AccountName}")
        .With("Storage:BlobServiceUri", $"https://127.0.0.1:{_azurite.BlobPort}/{AzuriteProcess.AccountName}")
        .With("Storage:MaxRetries", "0")
        .WithServices(s =>
        {
            s.Replace(ServiceDescriptor.Singleton(credential));
            s.AddSingleton<HttpPipelineTransport>(new HttpClientTransport(TrustingOurCertificate()));
        });

    [Fact]
    public async Task WithAccountUrisAndATokenTheAppStoresReportsAndSignsAttachmentUrlsWithAUserDelegationKey()
    {
        var credential = new EntraLikeCredential();
        await using var attachments = await AttachmentApp.StartAsync(azurite, configure: WithTokenCredential(credential));
        var reporter = attachments.Reporter;

        // The report stored at start-up (a draft) is read back through the table endpoint the token opens.
        var report = await reporter.GetAsync(attachments.ReportUrl, Ct);
        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        Assert.Contains("https://storage.azure.com/.default", credential.Scopes);

        // An attachment: the upload URL is a user-delegation SAS (no account key exists in this setup).
        var content = AttachmentApp.File("pdf");
        var declared = await attachments.DeclareAsync("bien-ban.pdf", AttachmentApp.Pdf, content);
        var uploadUrl = declared.GetProperty("uploadUrl").GetString()!;
        Assert.Contains("skoid=", uploadUrl, StringComparison.Ordinal);
        using var direct = new HttpClient(TrustingOurCertificate());
        var put = new HttpRequestMessage(HttpMethod.Put, uploadUrl) { Content = new ByteArrayContent(content) };
        put.Headers.Add("x-ms-blob-type", "BlockBlob");
        put.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        Assert.Equal(HttpStatusCode.Created, (await direct.SendAsync(put, Ct)).StatusCode);
        var id = declared.GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await attachments.CompleteAsync(id)).StatusCode);
        var download = await reporter.GetAsync($"{attachments.Attachments}/{id}/content", Ct);
        Assert.Equal(content, await download.Content.ReadAsByteArrayAsync(Ct));

        // The emulator does check tokens: the same endpoint refuses an expired one.
        var options = new Azure.Data.Tables.TableClientOptions { Transport = new HttpClientTransport(TrustingOurCertificate()) };
        options.Retry.MaxRetries = 0;
        var expired = new Azure.Data.Tables.TableServiceClient(
            new Uri($"https://127.0.0.1:{_azurite!.TablePort}/{AzuriteProcess.AccountName}"), new EntraLikeCredential { Expired = true }, options);
        var refusal = await Assert.ThrowsAsync<Azure.RequestFailedException>(async () =>
        {
            await foreach (var _ in expired.QueryAsync(cancellationToken: Ct))
            {
            }
        });
        Assert.Equal(403, refusal.Status);
    }
}
