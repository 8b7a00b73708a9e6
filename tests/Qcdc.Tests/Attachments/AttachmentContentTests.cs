using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Qcdc.Attachments;
using Qcdc.Jobs;
using Qcdc.Tests.Infrastructure;
using static Qcdc.Tests.Attachments.AttachmentApp;

namespace Qcdc.Tests.Attachments;

[CollectionDefinition(nameof(MemoryMeasured), DisableParallelization = true)]
public sealed class MemoryMeasured;

/// <summary>
/// Uploads streamed through the API (for clients that cannot use the upload URL), on Kestrel over loopback, and
/// the cleanup job. Not run in parallel with other tests: one test measures the process's allocations.
/// </summary>
[Collection(nameof(MemoryMeasured))]
public sealed class AttachmentContentTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<AttachmentApp> StartOnKestrelAsync(AzuriteFixture azurite) =>
        StartAsync(azurite, configure: f => f.UseKestrel(0));

    [Fact]
    public async Task AFileNearTheLimitIsStreamedToStorageWithoutBeingHeldInMemory()
    {
        await using var app = await StartOnKestrelAsync(azurite);
        const long size = 25L * 1024 * 1024 - 1024;
        var hash = GeneratedFile.Sha256(size);
        var declared = await app.Reporter.PostAsync(app.Attachments, HttpJson.Body(
            $$"""{"fileName":"Ảnh hội nghị.jpg","contentType":"image/jpeg","size":{{size}},"sha256":"{{hash}}"}"""), Ct);
        var id = (await declared.ReadJsonAsync()).GetProperty("id").GetString()!;
        // A plain client: the test host's own client buffers request bodies (to replay them on redirects).
        using var plain = new HttpClient { BaseAddress = app.Reporter.BaseAddress };
        plain.DefaultRequestHeaders.Authorization = app.Reporter.DefaultRequestHeaders.Authorization;
        // Warm up the upload path once so that one-off allocations (pools, JIT) are not counted.
        await plain.PutAsync($"{app.Attachments}/nothing/content", new ByteArrayContent([1]), Ct);

        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var upload = await plain.PutAsync($"{app.Attachments}/{id}/content", new StreamContent(new GeneratedFile(size), 64 * 1024), Ct);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        TestContext.Current.SendDiagnosticMessage($"Streaming {size:N0} bytes allocated {allocated:N0} bytes in the process");

        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        Assert.Equal("available", (await upload.ReadJsonAsync()).GetProperty("status").GetString());
        var properties = await app.Container.GetBlobClient($"QCDC-Q/{app.Period}/{Unit}/{id}").GetPropertiesAsync(cancellationToken: Ct);
        Assert.Equal(size, properties.Value.ContentLength);
        Assert.Equal("image/jpeg", properties.Value.ContentType);
        // The whole file is 25 MiB; client, server and storage SDK together allocate well under half of it.
        Assert.True(allocated < size / 2, $"allocated {allocated:N0} bytes for a {size:N0}-byte upload");
    }

    [Fact]
    public async Task AStreamedUploadThatDiffersFromItsDeclarationIsRejected()
    {
        await using var app = await StartOnKestrelAsync(azurite);
        var content = File("pdf", 200_000);
        var otherLength = await app.DeclareAsync("a.pdf", Pdf, content);
        var otherBytes = await app.DeclareAsync("b.pdf", Pdf, content);
        var spoofed = await app.DeclareAsync("c.docx", Docx, File("exe", 200_000));
        string Content(System.Text.Json.JsonElement declared) => $"{app.Attachments}/{declared.GetProperty("id").GetString()}/content";

        var tooLong = await app.Reporter.PutAsync(Content(otherLength), new ByteArrayContent([.. content, 1]), Ct);
        var changed = await app.Reporter.PutAsync(Content(otherBytes), new ByteArrayContent([.. content[..^1], 0]), Ct);
        var executable = await app.Reporter.PutAsync(Content(spoofed), new ByteArrayContent(File("exe", 200_000)), Ct);
        var again = await app.Reporter.PutAsync(Content(otherBytes), new ByteArrayContent(content), Ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooLong.StatusCode);
        Assert.Equal("size-mismatch", (await tooLong.ReadJsonAsync()).GetProperty("attachment").GetProperty("rejectReason").GetString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, changed.StatusCode);
        Assert.Equal("hash-mismatch", (await changed.ReadJsonAsync()).GetProperty("attachment").GetProperty("rejectReason").GetString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, executable.StatusCode);
        Assert.Equal("type-mismatch", (await executable.ReadJsonAsync()).GetProperty("attachment").GetProperty("rejectReason").GetString());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Empty(await app.BlobNamesAsync());
    }

    [Fact]
    public async Task CleanupRemovesAbandonedDeclarationsAndBlobsNoAttachmentNamesAndKeepsTheRest()
    {
        await using var app = await StartAsync(azurite);
        var content = File("pdf");
        var available = await app.AttachAsync("giu.pdf", Pdf, content);
        var neverUploaded = (await app.DeclareAsync("bo-do.pdf", Pdf, content)).GetProperty("id").GetString()!;
        var notCompleted = await app.DeclareAsync("chua-xong.pdf", Pdf, content);
        await PutToUrlAsync(notCompleted.GetProperty("uploadUrl").GetString()!, content);
        await app.Container.UploadBlobAsync("QCDC-Q/2026Q4/LC-X-BINHLU/not-an-attachment", BinaryData.FromBytes(content), Ct);
        await app.Container.UploadBlobAsync("stray.pdf", BinaryData.FromBytes(content), Ct);
        var job = app.App.Factory.Services.GetRequiredService<AttachmentCleanupJob>();
        var context = new JobContext(JobTrigger.Manual, false, app.App.Clock.GetUtcNow(), NullLogger.Instance);

        var early = await job.RunAsync(context, Ct);
        var afterEarly = await app.BlobNamesAsync();
        app.App.Clock.Advance(TimeSpan.FromHours(25));
        var late = await job.RunAsync(context, Ct);
        var report = await (await app.Reporter.GetAsync(app.ReportUrl, Ct)).ReadJsonAsync();

        Assert.Equal("0 abandoned, 0 rejected, 0 declaration records, 2 orphan blobs removed", early.Summary);
        Assert.Equal(2, afterEarly.Count);
        Assert.Equal("2 abandoned, 0 rejected, 0 declaration records, 0 orphan blobs removed", late.Summary);
        Assert.Equal([$"QCDC-Q/{app.Period}/{Unit}/{available}"], await app.BlobNamesAsync());
        Assert.Equal(available, Assert.Single(report.GetProperty("attachments").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await app.Reporter.GetAsync($"{app.Attachments}/{neverUploaded}", Ct)).StatusCode);
    }

    /// <summary>A file generated as it is read (JPEG header, then a repeating pattern): nothing of it is held in memory.</summary>
    private sealed class GeneratedFile(long length) : Stream
    {
        private long _position;

        public static string Sha256(long length)
        {
            using var file = new GeneratedFile(length);
            return Convert.ToHexStringLower(SHA256.HashData(file));
        }

        private static byte At(long position) => position switch
        {
            0 => 0xFF,
            1 => 0xD8,
            2 => 0xFF,
            _ => (byte)(position * 31 % 251),
        };

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            for (var i = 0; i < n; i++)
            {
                buffer[offset + i] = At(_position + i);
            }
            _position += n;
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
