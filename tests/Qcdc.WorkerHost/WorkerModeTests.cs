using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs;

using Qcdc.FakeHost;

namespace Qcdc.WorkerHost;

/// <summary>
/// The app as an isolated worker under a (fake) Functions host, against Azurite: it loads every function of its
/// metadata, answers HTTP requests forwarded the host's way with the same rules as the standalone server, and runs
/// a timer the host invokes.
/// </summary>
public sealed class WorkerModeTests(WorkerApp app)
{
    private const string Form = "QCDC-Q";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheWorkerLoadsEveryFunctionOfItsMetadataAndAnswersHealth()
    {
        var built = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(app.AppDirectory, "functions.metadata"), Ct))!.AsArray()
            .Select(f => f!["name"]!.GetValue<string>()).Order();

        var (health, invocation) = await app.Host.SendAsync(WorkerApp.Request(HttpMethod.Get, "/api/health"), Ct);

        Assert.Equal(built, app.Host.Functions.Select(f => f.Name).Order());
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("ok", (await JsonAsync(health)).GetProperty("status").GetString());
        Assert.Equal("Success", invocation!.Status);
    }

    [Fact]
    public async Task AReportIsWrittenSubmittedAndApprovedAndTheProvinceRollupShowsIt()
    {
        var period = await OpenPeriodAsync();
        var report = $"/api/submissions/{Form}/{period}/{WorkerApp.ReporterUnit}";

        var (created, _) = await SendAsync(HttpMethod.Put, report, app.ReporterKey,
            """{"values":{"docs_issued": 7, "receptions": 2, "dialogues": {"province": 0, "commune": 1}, "narrative_results": "Đã tổ chức đối thoại."}}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("\"1\"", created.Headers.ETag?.Tag);
        var (submitted, _) = await SendAsync(HttpMethod.Post, report + "/submit", app.ReporterKey);
        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        var (approved, _) = await SendAsync(HttpMethod.Post, report + "/approve", app.ReviewerKey);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);

        var tables = new TableServiceClient(app.Azurite.ConnectionString);
        var stored = await tables.GetTableClient(app.Prefix + "Submissions")
            .GetEntityAsync<TableEntity>($"{Form}|{period}", $"S|{WorkerApp.ReporterUnit}", cancellationToken: Ct);
        Assert.Equal("Approved", stored.Value.GetString("Status"));
        var (rollup, _) = await SendAsync(HttpMethod.Get, $"/api/rollups/{Form}/{period}/LC", app.ReviewerKey);
        Assert.Equal(HttpStatusCode.OK, rollup.StatusCode);
        Assert.Equal(7, (await JsonAsync(rollup)).GetProperty("values").GetProperty("docs_issued").GetInt32());
    }

    [Fact]
    public async Task AKeyOutsideTheUnitsSubtreeIsRefusedAndNothingIsWritten()
    {
        var period = await OpenPeriodAsync();

        var (refused, invocation) = await SendAsync(HttpMethod.Put, $"/api/submissions/{Form}/{period}/LC-X-KHUNHA", app.ReporterKey,
            """{"values":{"docs_issued": 1}}""");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Success", invocation!.Status);
        var tables = new TableServiceClient(app.Azurite.ConnectionString);
        var row = await tables.GetTableClient(app.Prefix + "Submissions")
            .GetEntityIfExistsAsync<TableEntity>($"{Form}|{period}", "S|LC-X-KHUNHA", cancellationToken: Ct);
        Assert.False(row.HasValue);
    }

    [Fact]
    public async Task AMalformedCodeInTheRouteTheHostMatchedIsA400NamingItAndNothingIsWritten()
    {
        var period = await OpenPeriodAsync();

        var (refused, _) = await SendAsync(HttpMethod.Put, $"/api/submissions/{Form}/{period}%0A/{WorkerApp.ReporterUnit}", app.ReporterKey,
            """{"values":{"docs_issued": 1}}""");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("period", (await JsonAsync(refused)).GetProperty("errors")[0].GetProperty("field").GetString());
        var tables = new TableServiceClient(app.Azurite.ConnectionString);
        await foreach (var row in tables.GetTableClient(app.Prefix + "Submissions").QueryAsync<TableEntity>(cancellationToken: Ct))
        {
            Assert.DoesNotContain("\n", row.PartitionKey, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task WhileStorageIsFrozenARequestAnswers503WithRetryAfterInTime()
    {
        var period = await OpenPeriodAsync();
        Signal(app.Azurite.ProcessId, "STOP");
        try
        {
            var clock = Stopwatch.StartNew();
            var (answer, _) = await SendAsync(HttpMethod.Get, $"/api/submissions/{Form}/{period}/{WorkerApp.ReporterUnit}/history", app.ReporterKey);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode);
            Assert.NotNull(answer.Headers.RetryAfter);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"answered after {clock.Elapsed}");
        }
        finally
        {
            Signal(app.Azurite.ProcessId, "CONT");
        }
    }

    [Fact]
    public async Task TheQuarterlyRollupTimerRunsWhenTheHostInvokesItPastDue()
    {
        var result = await app.Host.InvokeTimerAsync("QuarterlyRollup", isPastDue: true, Ct);

        Assert.True(result.Status == "Success", result.Exception + Environment.NewLine + app.Host.Output);
        var blobs = new BlobServiceClient(app.Azurite.ConnectionString).GetBlobContainerClient(app.Prefix + "jobs");
        var status = await blobs.GetBlobClient("QuarterlyRollup.status.json").DownloadContentAsync(Ct);
        Assert.True(status.Value.Details.LastModified > DateTimeOffset.UtcNow.AddMinutes(-1));
    }

    [Fact]
    public async Task AnUploadLargerThanKestrelsDefaultLimitIsAcceptedUpToTheDocumentedSize()
    {
        var period = await OpenPeriodAsync();
        // A unit of its own (the administrator writes it), so that no other test's report is touched.
        var report = $"/api/submissions/{Form}/{period}/LC-X-SONBINH";
        var (drafted, _) = await SendAsync(HttpMethod.Put, report, WorkerApp.AdminKey, """{"values":{"docs_issued": 1}}""");
        Assert.Equal(HttpStatusCode.Created, drafted.StatusCode);
        var bytes = new byte[35_000_000];
        new Random(7).NextBytes(bytes);
        (bytes[0], bytes[1], bytes[2]) = (0xFF, 0xD8, 0xFF); // a JPEG's first bytes
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        var (declared, _) = await SendAsync(HttpMethod.Post, report + "/attachments", WorkerApp.AdminKey,
            $$"""{"fileName":"Ảnh hội nghị.jpg","contentType":"image/jpeg","size":{{bytes.Length}},"sha256":"{{hash}}"}""");
        Assert.Equal(HttpStatusCode.Created, declared.StatusCode);
        var id = (await JsonAsync(declared)).GetProperty("id").GetString();

        var upload = WorkerApp.Request(HttpMethod.Put, $"{report}/attachments/{id}/content", WorkerApp.AdminKey, new ByteArrayContent(bytes));
        upload.Content!.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/jpeg");
        var (uploaded, invocation) = await app.Host.SendAsync(upload, Ct);

        Assert.True(uploaded.StatusCode == HttpStatusCode.OK, await uploaded.Content.ReadAsStringAsync(Ct) + app.Host.Output);
        Assert.Equal("available", (await JsonAsync(uploaded)).GetProperty("status").GetString());
        Assert.Equal("Success", invocation!.Status);
    }

    private async Task<string> OpenPeriodAsync()
    {
        var (response, _) = await SendAsync(HttpMethod.Get, $"/api/periods/{Form}", null);
        return (await JsonAsync(response)).GetProperty("periods").EnumerateArray()
            .First(p => p.GetProperty("open").GetBoolean() && !p.GetProperty("locked").GetBoolean())
            .GetProperty("period").GetString()!;
    }

    private Task<(HttpResponseMessage Response, InvocationResult? Invocation)> SendAsync(HttpMethod method, string path, string? key, string? json = null) =>
        app.Host.SendAsync(WorkerApp.Request(method, path, key, json is null ? null : new StringContent(json, Encoding.UTF8, "application/json")), Ct);

    private async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        try
        {
            return JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new Xunit.Sdk.XunitException($"{(int)response.StatusCode} is not JSON: {text}{Environment.NewLine}{app.Host.Output}");
        }
    }

    private static void Signal(int processId, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, processId.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false })!;
        kill.WaitForExit();
    }
}
