using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Qcdc.Tests.Infrastructure;
using Qcdc.Tests.Submissions;

namespace Qcdc.Tests.Problems;

/// <summary>
/// Fuzz-style: every endpoint of the table that reads a body gets hostile bodies and headers, as an administrator
/// (so that the access rule lets them through to the reading). No input makes a 5xx; every refusal is a problem
/// detail with a type, in the caller's language, and never shows the parser's words or the app's type names.
/// </summary>
public sealed partial class HostileInputTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string> Bodies => new()
    {
        { "truncated", """{"values": {"docs_issued": 1""" },
        { "not JSON", "docs_issued=1" },
        { "lone surrogate", """{"values": {"narrative_results": "\ud800"}, "reason": "\udfff", "key": "\ud800"}""" },
        { "duplicate keys", """{"values": {"docs_issued": 1, "docs_issued": 2}, "reason": "a", "reason": "b"}""" },
        { "duplicate top-level keys", """{"unit": "LC", "unit": "LC", "role": "reporter"}""" },
        { "an array", "[1, 2, 3]" },
        { "a string", "\"values\"" },
        { "null", "null" },
        { "deep nesting", new string('[', 200) + new string(']', 200) },
        { "huge number", """{"values": {"docs_issued": 1e400}, "size": 1e400, "expiresAt": 1e400}""" },
        { "wrong types", """{"values": 7, "unit": 7, "role": [], "form": {}, "period": true, "units": "x", "code": 5, "fileName": 1, "key": 1}""" },
        { "comment", """{"values": {} /* x */}""" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task EveryBodyReadingEndpointRefusesAHostileBodyWithAProblemAndNever5xx(string kind, string body)
    {
        await using var app = new ReportingApp(azurite);
        var failures = new List<string>();
        foreach (var (method, url) in BodyEndpoints(app))
        {
            foreach (var language in new[] { "en", "vi" })
            {
                var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = new StringContent(body, Encoding.UTF8, ContentTypeFor(method)) };
                request.Headers.AcceptLanguage.ParseAdd(language);
                var response = await app.Admin.SendAsync(request, Ct);
                var text = await response.Content.ReadAsStringAsync(Ct);
                var problem = Describe(kind, method, url, language, response, text);
                if (problem is not null)
                {
                    failures.Add(problem);
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task BytesThatAreNotUtf8AreRefusedWith400()
    {
        await using var app = new ReportingApp(azurite);
        var bytes = Encoding.UTF8.GetBytes("""{"values": {"narrative_results": "X"}}""");
        bytes[Array.IndexOf(bytes, (byte)'X')] = 0xC3; // a lead byte with no continuation
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new("application/json");

        var response = await app.Admin.PutAsync(ReportingApp.Q3 + "/LC-TDG-01", content, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("UTF-8", (await response.ReadJsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await app.Admin.GetAsync(ReportingApp.Q3 + "/LC-TDG-01", Ct)).StatusCode);
    }

    [Fact]
    public async Task MalformedJsonSaysWhereInTheCallersLanguageWithoutTheParsersWords()
    {
        await using var app = new ReportingApp(azurite);
        var request = new HttpRequestMessage(HttpMethod.Put, ReportingApp.Q3 + "/LC-TDG-01") { Content = HttpJson.Body("{\n  \"values\": {\"docs_issued\": 1,}\n  x") };
        request.Headers.AcceptLanguage.ParseAdd("vi");

        var response = await app.Admin.SendAsync(request, Ct);
        var detail = (await response.ReadJsonAsync()).GetProperty("detail").GetString()!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("Nội dung yêu cầu không phải JSON hợp lệ (dòng 2", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABodyOfTheWrongShapeNamesTheFieldButNoTypeOfTheApp()
    {
        await using var app = new ReportingApp(azurite);
        var response = await app.Admin.PostAsync("/api/manage/keys", HttpJson.Body("""{"unit": ["LC"], "role": "reporter"}"""), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(text.Contains("detail", StringComparison.Ordinal), text);
        var detail = (await response.ReadJsonAsync()).GetProperty("detail").GetString()!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("$.unit", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Qcdc", detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(256, 'k')]
    [InlineData(10, '\u00e9')]
    [InlineData(10, '\t')]
    public async Task AnIdempotencyKeyThatIsTooLongOrNotPrintableAsciiIsRefused(int length, char fill)
    {
        await using var app = new ReportingApp(azurite);
        var request = ReportingApp.Put(ReportingApp.Q3 + "/LC-TDG-01", ReportingApp.Complete);
        request.Headers.TryAddWithoutValidation("Idempotency-Key", new string(fill, length));

        var response = await app.Admin.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Idempotency-Key", (await response.ReadJsonAsync()).GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await app.Admin.GetAsync(ReportingApp.Q3 + "/LC-TDG-01", Ct)).StatusCode);
    }

    [Fact]
    public async Task AnIdempotencyKeyOf255PrintableCharactersIsAccepted()
    {
        await using var app = new ReportingApp(azurite);
        var response = await app.Admin.SendAsync(ReportingApp.Put(ReportingApp.Q3 + "/LC-TDG-01", ReportingApp.Complete, idempotencyKey: new string('~', 255)), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task RandomTextAsAReportBodyNeverMakesA5xx()
    {
        await using var app = new ReportingApp(azurite);
        var admin = app.Admin;
        var fragments = new[] { "{", "}", "[", "]", "\"values\"", ":", ",", "\"docs_issued\"", "1", "-1", "1e999", "null", "true", "\"\\ud800\"", "\"\\u0000\"", "\"ấ\"", " " };
        var bodies = Gen.ArrayOf(Gen.Elements(fragments)).Select(parts => string.Concat(parts));
        var statuses = new List<int>();
        foreach (var body in bodies.Sample(60, 40))
        {
            var response = await admin.PutAsync(ReportingApp.Q3 + "/LC-TDG-05", HttpJson.Body(body), Ct);
            statuses.Add((int)response.StatusCode);
            Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode} for {body}: {await response.Content.ReadAsStringAsync(Ct)}");
        }
        Assert.Contains(400, statuses);
    }

    private static string? Describe(string kind, string method, string url, string language, HttpResponseMessage response, string text)
    {
        var where = $"{kind} {method} {url} ({language}): {(int)response.StatusCode}";
        if ((int)response.StatusCode >= 500)
        {
            return $"{where} {text}";
        }
        if (response.IsSuccessStatusCode)
        {
            return null; // e.g. a shape some endpoint legitimately accepts
        }
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return $"{where} not a problem detail";
        }
        using var json = JsonDocument.Parse(text);
        var detail = json.RootElement.TryGetProperty("detail", out var d) ? d.GetString() ?? "" : "";
        if (!json.RootElement.TryGetProperty("type", out _))
        {
            return $"{where} has no type";
        }
        if (InternalWords().IsMatch(detail))
        {
            return $"{where} leaks: {detail}";
        }
        if (language == "vi" && !Vietnamese().IsMatch(json.RootElement.GetProperty("title").GetString() ?? ""))
        {
            return $"{where} title not in Vietnamese";
        }
        return null;
    }

    /// <summary>Every route whose method carries a body, with its route values filled for the seeded province.</summary>
    private static IEnumerable<(string Method, string Url)> BodyEndpoints(ReportingApp app) =>
        app.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.TrimStart('/').StartsWith("api/", StringComparison.Ordinal))
            .SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods
                .Where(m => m is "POST" or "PUT" or "PATCH")
                .Where(_ => !e.RoutePattern.RawText!.EndsWith("/content", StringComparison.Ordinal))
                .Select(m => (m, Url(e.RoutePattern.RawText!))))
            .Distinct();

    private static string ContentTypeFor(string method) => method == "PATCH" ? "application/merge-patch+json" : "application/json";

    private static string Url(string pattern) => "/" + RouteValue().Replace(pattern.TrimStart('/'), m => m.Groups[1].Value switch
    {
        "form" => "QCDC-Q",
        "period" => "2024Q3",
        "unit" or "code" => "LC-TDG-01",
        "name" => "QuarterlyRollup",
        _ => "x",
    });

    [GeneratedRegex(@"\{([a-zA-Z]+)[^}]*\}")]
    private static partial Regex RouteValue();

    [GeneratedRegex(@"System\.|Qcdc\.|LineNumber|BytePositionInLine|could not be converted|JsonException|Path: \$")]
    private static partial Regex InternalWords();

    [GeneratedRegex("[ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ]", RegexOptions.IgnoreCase)]
    private static partial Regex Vietnamese();
}
