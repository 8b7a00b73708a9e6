using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Qcdc.AotSmoke;

/// <summary>
/// What a province would notice first if the Native AOT executable lost something the JIT app has: it starts,
/// stores and reads reports, rolls them up, declares an attachment, runs a timer the way the Functions host calls
/// it, and publishes its contract.
/// </summary>
public sealed class AotSmokeTests(AotApp app)
{
    private const string Form = "QCDC-Q";

    /// <summary>A complete report for the form version in force since 2025Q3 (province and commune levels).</summary>
    private const string Complete =
        """{"values":{"docs_issued": 3, "receptions": 2, "dialogues": {"province": 0, "commune": 1}, "narrative_results": "Đã tổ chức hội nghị đối thoại."}}""";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ThePackageIsOneNativeExecutableThatAnswersHealth()
    {
        using var health = await app.Client().GetAsync("/api/health", Ct);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("ok", (await JsonAsync(health)).GetProperty("status").GetString());
        // Native AOT: no managed assembly of the app travels with the executable.
        Assert.False(File.Exists(Path.Combine(app.Package, "Qcdc.Functions.dll")), "the package holds a managed Qcdc.Functions.dll");
        Assert.False(File.Exists(Path.Combine(app.Package, "Qcdc.Shared.dll")), "the package holds a managed Qcdc.Shared.dll");
        Assert.Equal("\u007fELF"u8.ToArray(), File.ReadAllBytes(app.Executable)[..4]);
    }

    [Fact]
    public async Task AReportGoesFromDraftToApprovedAndIntoTheProvinceRollup()
    {
        var period = await OpenPeriodAsync();
        var report = $"/api/submissions/{Form}/{period}/{AotApp.ReporterUnit}";
        using var reporter = app.Client(AotApp.ReporterKey);
        using var reviewer = app.Client(AotApp.ReviewerKey);

        using var created = await reporter.PutAsync(report, Body(Complete), Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var updated = await reporter.SendAsync(new HttpRequestMessage(HttpMethod.Put, report)
        {
            Content = Body(Complete.Replace("\"docs_issued\": 3", "\"docs_issued\": 5", StringComparison.Ordinal)),
            Headers = { { "If-Match", created.Headers.ETag!.Tag } },
        }, Ct);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        using var submitted = await reporter.PostAsync(report + "/submit", null, Ct);
        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        using var approved = await reviewer.PostAsync(report + "/approve", null, Ct);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);

        var read = await JsonAsync(await reporter.GetAsync(report, Ct));
        Assert.Equal("approved", read.GetProperty("status").GetString());
        Assert.Equal(5, read.GetProperty("values").GetProperty("docs_issued").GetInt32());
        Assert.Equal("Đã tổ chức hội nghị đối thoại.", read.GetProperty("values").GetProperty("narrative_results").GetString());
        var history = await JsonAsync(await reporter.GetAsync(report + "/history", Ct));
        Assert.Equal(4, history.GetProperty("revisions").GetArrayLength());

        using var rollupResponse = await reviewer.GetAsync($"/api/rollups/{Form}/{period}/LC", Ct);
        Assert.Equal(HttpStatusCode.OK, rollupResponse.StatusCode);
        var rollup = await JsonAsync(rollupResponse);
        Assert.Equal(5, rollup.GetProperty("values").GetProperty("docs_issued").GetInt32());
    }

    [Fact]
    public async Task AnAttachmentIsDeclaredAndGetsAnUploadUrl()
    {
        var period = await OpenPeriodAsync();
        using var admin = app.Client(AotApp.AdminKey);
        using var issued = await admin.PostAsync("/api/manage/keys", Body("""{"unit":"LC-X-KHUNHA","role":"reporter"}"""), Ct);
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        using var reporter = app.Client((await JsonAsync(issued)).GetProperty("key").GetString());
        var report = $"/api/submissions/{Form}/{period}/LC-X-KHUNHA";
        using var draft = await reporter.PutAsync(report, Body(Complete), Ct);
        Assert.Equal(HttpStatusCode.Created, draft.StatusCode);
        var content = Encoding.UTF8.GetBytes("%PDF-1.7\n% biên bản hội nghị\n");
        var declaration = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["fileName"] = "Biên bản hội nghị.pdf",
            ["contentType"] = "application/pdf",
            ["size"] = content.Length,
            ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(content)),
        });

        using var declared = await reporter.PostAsync(report + "/attachments", Body(declaration), Ct);

        Assert.Equal(HttpStatusCode.Created, declared.StatusCode);
        var body = await JsonAsync(declared);
        Assert.Equal("Biên bản hội nghị.pdf", body.GetProperty("fileName").GetString());
        Assert.StartsWith("http://127.0.0.1:", body.GetProperty("uploadUrl").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATimerRunsWhenTheFunctionsHostInvokesItsFunction()
    {
        var function = Path.Combine(app.Package, "QuarterlyRollup", "function.json");
        Assert.Contains("timerTrigger", await File.ReadAllTextAsync(function, Ct), StringComparison.Ordinal);
        var invocation = "{\"Data\":{\"timer\":{\"Schedule\":{\"AdjustForDST\":false},\"IsPastDue\":false}}," +
            $"\"Metadata\":{{\"sys\":{{\"MethodName\":\"QuarterlyRollup\",\"UtcNow\":\"{DateTimeOffset.UtcNow:O}\",\"RandGuid\":\"{Guid.NewGuid()}\"}}}}}}";

        using var answered = await app.Client().PostAsync("/QuarterlyRollup", Body(invocation), Ct);

        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        var body = await JsonAsync(answered);
        Assert.Equal(JsonValueKind.Object, body.GetProperty("Outputs").ValueKind);
        Assert.NotEqual(0, body.GetProperty("Logs").GetArrayLength());
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesTheReportRoutes()
    {
        using var response = await app.Client().GetAsync("/api/openapi.json", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await JsonAsync(response);
        Assert.StartsWith("3.", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/submissions/{form}/{period}/{unit}", out var report));
        Assert.True(report.TryGetProperty("put", out _));
    }

    /// <summary>The form's first period that is open for reports today (the app decides, on its own clock).</summary>
    private async Task<string> OpenPeriodAsync()
    {
        var periods = await JsonAsync(await app.Client(AotApp.ReporterKey).GetAsync($"/api/periods/{Form}", Ct));
        return periods.GetProperty("periods").EnumerateArray()
            .First(p => p.GetProperty("open").GetBoolean() && !p.GetProperty("locked").GetBoolean())
            .GetProperty("period").GetString()!;
    }

    private static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        try
        {
            return JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new Xunit.Sdk.XunitException($"{(int)response.StatusCode} is not JSON: {text}{Environment.NewLine}{app.Output}");
        }
    }
}
