using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Qcdc.Forms;
using Qcdc.Periods;
using Qcdc.Storage;
using Qcdc.Tests.Infrastructure;
using Qcdc.Tests.Submissions;

namespace Qcdc.Tests.Attachments;

/// <summary>
/// The seeded app at the real time (its upload URLs must be valid for Azurite, which checks them against the real
/// clock), with a draft report of commune LC-X-BINHLU for the quarter open today.
/// </summary>
public sealed class AttachmentApp : IAsyncDisposable
{
    public const string Unit = "LC-X-BINHLU";

    private AttachmentApp(ReportingApp app, string period, HttpClient reporter)
    {
        App = app;
        Period = period;
        Reporter = reporter;
    }

    public ReportingApp App { get; }

    public string Period { get; }

    public HttpClient Reporter { get; }

    public string ReportUrl => $"/api/submissions/QCDC-Q/{Period}/{Unit}";

    public string Attachments => ReportUrl + "/attachments";

    /// <param name="clockOffset">How far the app's clock is from the real one (negative: URLs it signs expire early).</param>
    public static async Task<AttachmentApp> StartAsync(AzuriteFixture azurite, TimeSpan clockOffset = default, Action<QcdcAppFactory>? configure = null)
    {
        var app = new ReportingApp(azurite, DateTimeOffset.UtcNow + clockOffset, configure);
        var today = VietnamTime.Today(app.Clock);
        var form = (await app.Factory.Services.GetRequiredService<FormStore>().GetCatalogAsync(TestContext.Current.CancellationToken)).Find("QCDC-Q")!;
        var period = Enumerable.Range(today.Year - 1, 3).SelectMany(y => Enumerable.Range(1, 4).Select(q => Qcdc.Periods.Period.Quarter(y, q)))
            .First(p => form.Schedule.For(p).IsOpenOn(today));
        var reporter = await app.ReporterAsync(Unit);
        var attachmentApp = new AttachmentApp(app, period.Key, reporter);
        var draft = await reporter.SendAsync(ReportingApp.Put(attachmentApp.ReportUrl, ReportingApp.CompleteFor(period.Key)), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, draft.StatusCode);
        return attachmentApp;
    }

    /// <summary>The attachments container of this app's storage prefix.</summary>
    public BlobContainerClient Container =>
        App.Factory.Blobs.GetBlobContainerClient(App.Factory.Names.Container(StorageNames.AttachmentsContainer));

    /// <summary>The names of every blob in the attachments container.</summary>
    public async Task<List<string>> BlobNamesAsync()
    {
        var names = new List<string>();
        await foreach (var blob in Container.GetBlobsAsync(cancellationToken: TestContext.Current.CancellationToken))
        {
            names.Add(blob.Name);
        }
        return names;
    }

    public static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    public static string Declaration(string fileName, string contentType, byte[] content) =>
        JsonSerializer.Serialize(new { fileName, contentType, size = content.Length, sha256 = Sha256(content) });

    /// <summary>Declares a file and answers the declaration's JSON (status checked).</summary>
    public async Task<JsonElement> DeclareAsync(string fileName, string contentType, byte[] content, HttpClient? client = null)
    {
        var response = await (client ?? Reporter).PostAsync(Attachments, HttpJson.Body(Declaration(fileName, contentType, content)), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    /// <summary>Uploads with a plain HTTP PUT to the URL, as a browser or phone would.</summary>
    public static async Task<HttpResponseMessage> PutToUrlAsync(string url, byte[] content)
    {
        using var direct = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = new ByteArrayContent(content) };
        request.Headers.Add("x-ms-blob-type", "BlockBlob");
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return await direct.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public Task<HttpResponseMessage> CompleteAsync(string id, HttpClient? client = null) =>
        (client ?? Reporter).PostAsync($"{Attachments}/{id}/complete", null, TestContext.Current.CancellationToken);

    /// <summary>Declare, upload to the URL, complete: the id of an available attachment.</summary>
    public async Task<string> AttachAsync(string fileName, string contentType, byte[] content)
    {
        var declared = await DeclareAsync(fileName, contentType, content);
        var put = await PutToUrlAsync(declared.GetProperty("uploadUrl").GetString()!, content);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        var id = declared.GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await CompleteAsync(id)).StatusCode);
        return id;
    }

    /// <summary>A file of the given type: its real leading bytes, then pseudo-random content.</summary>
    public static byte[] File(string kind, int size = 50_000, int seed = 1)
    {
        var content = new byte[size];
        new Random(seed).NextBytes(content);
        byte[] head = kind switch
        {
            "pdf" => "%PDF-1.7\n"u8.ToArray(),
            "png" => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A],
            "jpeg" => [0xFF, 0xD8, 0xFF, 0xE0],
            "zip" => [0x50, 0x4B, 0x03, 0x04],
            "exe" => "MZ\x90\0"u8.ToArray(),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        head.CopyTo(content, 0);
        return content;
    }

    public const string Pdf = "application/pdf";
    public const string Docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    public ValueTask DisposeAsync() => App.DisposeAsync();
}
