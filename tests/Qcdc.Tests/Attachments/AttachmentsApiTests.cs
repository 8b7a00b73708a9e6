using System.Net;
using System.Net.Http.Headers;
using Qcdc.Tests.Infrastructure;
using static Qcdc.Tests.Attachments.AttachmentApp;

namespace Qcdc.Tests.Attachments;

/// <summary>Declare → PUT to the upload URL → complete → download, and every refusal, against real Azurite over HTTP.</summary>
public sealed class AttachmentsApiTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AFileUploadedToItsUrlIsVerifiedAndDownloadsByteIdenticalUnderItsOwnName()
    {
        await using var app = await StartAsync(azurite);
        var content = File("pdf", 300_000);
        const string name = "Báo cáo quý – Bình Lư.pdf";

        var declared = await app.DeclareAsync(name, Pdf, content);
        var id = declared.GetProperty("id").GetString()!;
        var uploadUrl = declared.GetProperty("uploadUrl").GetString()!;
        var expires = declared.GetProperty("uploadExpiresAt").GetDateTimeOffset();
        var put = await PutToUrlAsync(uploadUrl, content);
        var completed = await app.CompleteAsync(id);
        var read = await app.Reporter.GetAsync($"{app.Attachments}/{id}", Ct);
        var readBody = await read.ReadJsonAsync();
        using var direct = new HttpClient();
        var download = await direct.GetAsync(readBody.GetProperty("downloadUrl").GetString(), Ct);
        var report = await (await app.Reporter.GetAsync(app.ReportUrl, Ct)).ReadJsonAsync();

        Assert.Equal("declared", declared.GetProperty("status").GetString());
        Assert.InRange(expires - app.App.Clock.GetUtcNow(), TimeSpan.FromMinutes(14.9), TimeSpan.FromMinutes(15));
        Assert.DoesNotContain("B%C3%A1o", uploadUrl, StringComparison.Ordinal);
        Assert.Contains($"/{id}?", uploadUrl, StringComparison.Ordinal);
        Assert.Contains("sp=c&", uploadUrl, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        Assert.Equal("available", (await completed.ReadJsonAsync()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.InRange(readBody.GetProperty("downloadExpiresAt").GetDateTimeOffset() - app.App.Clock.GetUtcNow(), TimeSpan.FromMinutes(4.9), TimeSpan.FromMinutes(5));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(content, await download.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(name, download.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal(Pdf, download.Content.Headers.ContentType?.MediaType);
        var listed = Assert.Single(report.GetProperty("attachments").EnumerateArray());
        Assert.Equal(id, listed.GetProperty("id").GetString());
        Assert.Equal("available", listed.GetProperty("status").GetString());
    }

    [Fact]
    public async Task TheUploadUrlWritesOnlyItsOneNewBlob()
    {
        await using var app = await StartAsync(azurite);
        var content = File("pdf");
        var declared = await app.DeclareAsync("a.pdf", Pdf, content);
        var url = declared.GetProperty("uploadUrl").GetString()!;
        var id = declared.GetProperty("id").GetString()!;

        var otherName = await PutToUrlAsync(url.Replace($"/{id}?", $"/{id}x?", StringComparison.Ordinal), content);
        var first = await PutToUrlAsync(url, content);
        await app.CompleteAsync(id);
        var overwrite = await PutToUrlAsync(url, File("exe"));
        using var direct = new HttpClient();
        var readWithUploadUrl = await direct.GetAsync(url, Ct);
        var download = await direct.GetAsync((await (await app.Reporter.GetAsync($"{app.Attachments}/{id}", Ct)).ReadJsonAsync()).GetProperty("downloadUrl").GetString(), Ct);

        Assert.Equal(HttpStatusCode.Forbidden, otherName.StatusCode);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.False(overwrite.IsSuccessStatusCode, $"overwrite answered {(int)overwrite.StatusCode}");
        Assert.Equal(HttpStatusCode.Forbidden, readWithUploadUrl.StatusCode);
        Assert.Equal(content, await download.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal([$"QCDC-Q/{app.Period}/{Unit}/{id}"], await app.BlobNamesAsync());
    }

    [Fact]
    public async Task AnExpiredUploadUrlIsRefusedByStorage()
    {
        // The app's clock runs 20 minutes behind: the 15-minute URL it signs has expired 5 minutes ago.
        await using var app = await StartAsync(azurite, TimeSpan.FromMinutes(-20));
        var content = File("pdf");
        var declared = await app.DeclareAsync("a.pdf", Pdf, content);

        var put = await PutToUrlAsync(declared.GetProperty("uploadUrl").GetString()!, content);

        Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
        Assert.Empty(await app.BlobNamesAsync());
    }

    [Theory]
    [InlineData("size", "size-mismatch")]
    [InlineData("hash", "hash-mismatch")]
    [InlineData("png-as-pdf", "type-mismatch")]
    [InlineData("exe-as-docx", "type-mismatch")]
    public async Task AnUploadThatDiffersFromItsDeclarationIsRejectedAndItsBlobDeleted(string wrong, string reason)
    {
        await using var app = await StartAsync(azurite);
        var declaredContent = wrong switch { "png-as-pdf" => File("png"), "exe-as-docx" => File("exe"), _ => File("pdf") };
        var (fileName, type) = wrong == "exe-as-docx" ? ("bao-cao.docx", Docx) : ("bao-cao.pdf", Pdf);
        var uploaded = wrong switch
        {
            "size" => [.. declaredContent, 0x0A],
            "hash" => declaredContent.Select((b, i) => i == 1000 ? (byte)(b ^ 1) : b).ToArray(),
            _ => declaredContent,
        };
        var declared = await app.DeclareAsync(fileName, type, declaredContent);
        var id = declared.GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.Created, (await PutToUrlAsync(declared.GetProperty("uploadUrl").GetString()!, uploaded)).StatusCode);

        var request = new HttpRequestMessage(HttpMethod.Post, $"{app.Attachments}/{id}/complete");
        request.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue("vi"));
        var completed = await app.Reporter.SendAsync(request, Ct);
        var problem = await completed.ReadJsonAsync();
        var after = await (await app.Reporter.GetAsync($"{app.Attachments}/{id}", Ct)).ReadJsonAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, completed.StatusCode);
        Assert.Equal("application/problem+json", completed.Content.Headers.ContentType?.MediaType);
        Assert.Contains("đã bị xóa", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(reason, problem.GetProperty("attachment").GetProperty("rejectReason").GetString());
        Assert.Equal("rejected", after.GetProperty("status").GetString());
        Assert.False(after.TryGetProperty("downloadUrl", out _));
        Assert.Empty(await app.BlobNamesAsync());
    }

    [Fact]
    public async Task CompletingBeforeTheUploadLeavesTheAttachmentWaiting()
    {
        await using var app = await StartAsync(azurite);
        var content = File("jpeg");
        var declared = await app.DeclareAsync("anh.jpg", "image/jpeg", content);
        var id = declared.GetProperty("id").GetString()!;

        var early = await app.CompleteAsync(id);
        await PutToUrlAsync(declared.GetProperty("uploadUrl").GetString()!, content);
        var later = await app.CompleteAsync(id);

        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Equal("declared", (await early.ReadJsonAsync()).GetProperty("attachment").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
    }

    [Fact]
    public async Task EveryBadFieldOfADeclarationIsListedAndNothingIsWritten()
    {
        await using var app = await StartAsync(azurite);
        var request = new HttpRequestMessage(HttpMethod.Post, app.Attachments)
        {
            Content = HttpJson.Body("""{"fileName":"setup.exe","contentType":"application/x-msdownload","size":26214401,"sha256":"abc","note":"x"}"""),
        };
        request.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue("vi"));

        var response = await app.Reporter.SendAsync(request, Ct);
        var fields = (await response.ReadJsonAsync()).GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()).ToList();
        var report = await (await app.Reporter.GetAsync(app.ReportUrl, Ct)).ReadJsonAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(["note", "contentType", "size", "sha256"], fields);
        Assert.Empty(report.GetProperty("attachments").EnumerateArray());
    }

    [Theory]
    [InlineData("../../etc/passwd.pdf")]
    [InlineData("..\\..\\windows\\bao-cao.pdf")]
    [InlineData("/bao-cao.pdf")]
    [InlineData("..")]
    [InlineData("bao-cao.exe")]
    [InlineData("   ")]
    public async Task AFileNameWithAPathOrTheWrongExtensionIsRefused(string fileName)
    {
        await using var app = await StartAsync(azurite);

        var response = await app.Reporter.PostAsync(app.Attachments, HttpJson.Body(Declaration(fileName, Pdf, File("pdf"))), Ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("fileName", (await response.ReadJsonAsync()).GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Empty(await app.BlobNamesAsync());
    }

    [Fact]
    public async Task AUnicodeFileNameIsKeptAsNfcAndNeverReachesTheBlobName()
    {
        await using var app = await StartAsync(azurite);
        var decomposed = "Bie\u0302\u0300n ba\u0309n ho\u0323p \u0111a\u0302\u0300u na\u0306m.pdf";
        var content = File("pdf");

        var id = await app.AttachAsync(decomposed, Pdf, content);
        var read = await (await app.Reporter.GetAsync($"{app.Attachments}/{id}", Ct)).ReadJsonAsync();
        using var direct = new HttpClient();
        var download = await direct.GetAsync(read.GetProperty("downloadUrl").GetString(), Ct);

        var composed = decomposed.Normalize(System.Text.NormalizationForm.FormC);
        Assert.Equal(composed, read.GetProperty("fileName").GetString());
        Assert.Equal(composed, download.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Equal($"QCDC-Q/{app.Period}/{Unit}/{id}", Assert.Single(await app.BlobNamesAsync()));
    }

    [Fact]
    public async Task TheTwentyFirstAttachmentIsRefusedUntilOneIsDeleted()
    {
        await using var app = await StartAsync(azurite);
        var ids = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            ids.Add((await app.DeclareAsync($"trang-{i}.png", "image/png", File("png", 100, i))).GetProperty("id").GetString()!);
        }

        var twentyFirst = await app.Reporter.PostAsync(app.Attachments, HttpJson.Body(Declaration("trang-20.png", "image/png", File("png", 100, 20))), Ct);
        var deleted = await app.Reporter.DeleteAsync($"{app.Attachments}/{ids[3]}", Ct);
        var again = await app.Reporter.PostAsync(app.Attachments, HttpJson.Body(Declaration("trang-20.png", "image/png", File("png", 100, 20))), Ct);
        var listed = (await (await app.Reporter.GetAsync(app.ReportUrl, Ct)).ReadJsonAsync()).GetProperty("attachments").GetArrayLength();

        Assert.Equal(HttpStatusCode.Conflict, twentyFirst.StatusCode);
        Assert.Contains("20", (await twentyFirst.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(20, listed);
    }

    [Fact]
    public async Task AnotherCommunesKeyCanNeitherReadNorUploadButTheDistrictReviewerCanRead()
    {
        await using var app = await StartAsync(azurite);
        var id = await app.AttachAsync("a.pdf", Pdf, File("pdf"));
        var neighbour = await app.App.ReporterAsync("LC-X-SONBINH");
        var reviewer = await app.App.ReviewerAsync("LC");

        var read = await neighbour.GetAsync($"{app.Attachments}/{id}", Ct);
        var declare = await neighbour.PostAsync(app.Attachments, HttpJson.Body(Declaration("b.pdf", Pdf, File("pdf"))), Ct);
        var complete = await app.CompleteAsync(id, neighbour);
        var delete = await neighbour.DeleteAsync($"{app.Attachments}/{id}", Ct);
        var reviewerRead = await reviewer.GetAsync($"{app.Attachments}/{id}", Ct);
        var reviewerDeclare = await reviewer.PostAsync(app.Attachments, HttpJson.Body(Declaration("b.pdf", Pdf, File("pdf"))), Ct);

        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, declare.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, complete.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        Assert.Equal(HttpStatusCode.OK, reviewerRead.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, reviewerDeclare.StatusCode);
        Assert.Single(await app.BlobNamesAsync());
    }

    [Fact]
    public async Task DeletingRemovesBlobAndMetadataButOnlyWhileTheReportCanChange()
    {
        await using var app = await StartAsync(azurite);
        var kept = await app.AttachAsync("giu.pdf", Pdf, File("pdf", seed: 1));
        var removed = await app.AttachAsync("xoa.pdf", Pdf, File("pdf", seed: 2));

        var deleted = await app.Reporter.DeleteAsync($"{app.Attachments}/{removed}", Ct);
        var gone = await app.Reporter.GetAsync($"{app.Attachments}/{removed}", Ct);
        var submitted = await app.Reporter.PostAsync(app.ReportUrl + "/submit", null, Ct);
        var deleteAfterSubmit = await app.Reporter.DeleteAsync($"{app.Attachments}/{kept}", Ct);
        var declareAfterSubmit = await app.Reporter.PostAsync(app.Attachments, HttpJson.Body(Declaration("c.pdf", Pdf, File("pdf"))), Ct);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, deleteAfterSubmit.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, declareAfterSubmit.StatusCode);
        Assert.Equal([$"QCDC-Q/{app.Period}/{Unit}/{kept}"], await app.BlobNamesAsync());
    }

    [Fact]
    public async Task ARetriedDeclarationWithTheSameKeyAnswersTheSameAttachment()
    {
        await using var app = await StartAsync(azurite);
        var body = Declaration("a.pdf", Pdf, File("pdf"));
        HttpRequestMessage Declare(string json) => new(HttpMethod.Post, app.Attachments) { Content = HttpJson.Body(json), Headers = { { "Idempotency-Key", "tep-1" } } };

        var first = await app.Reporter.SendAsync(Declare(body), Ct);
        var retry = await app.Reporter.SendAsync(Declare(body), Ct);
        var other = await app.Reporter.SendAsync(Declare(Declaration("b.pdf", Pdf, File("pdf"))), Ct);
        var listed = (await (await app.Reporter.GetAsync(app.ReportUrl, Ct)).ReadJsonAsync()).GetProperty("attachments").GetArrayLength();

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal((await first.ReadJsonAsync()).GetProperty("id").GetString(), (await retry.ReadJsonAsync()).GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Equal(1, listed);
    }
}
