using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using DocumentFormat.OpenXml.Packaging;
using Qcdc.Tests.Infrastructure;
using Qcdc.Tests.Submissions;
using static Qcdc.Tests.Exports.OpenXmlFiles;
using static Qcdc.Tests.Submissions.ReportingApp;

namespace Qcdc.Tests.Problems;

/// <summary>
/// Generated hostile strings — controls, noncharacters, lone surrogates, trailing line breaks, direction marks, very
/// long and empty strings, mixed normalisation forms — in every code, text and file-name field through the HTTP API.
/// After each request: no 5xx; a refused request left every stored row and blob as it was. After each batch: the province's list, rollup, workbook, CSV, report and
/// the units' workbooks still answer 200 and open. Seeded (QCDC_FUZZ_SEED replays a failure's seed).
/// </summary>
public sealed class HostileTextPropertyTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] Pieces =
    [
        "\n", "\r\n", "\t", "\u0000", "\u0001", "\u0007", "\u001F", "\u007F", "\u0085", "\u009F", "\uFFFE", "\uFFFF", "\uFDD0", "\uFDEF",
        "\U0001FFFE", "\U0010FFFF", "\u202E", "\u202D", "\u2066", "\u200F", "\u00A0", "\uFEFF", "=", "+", "@", "-", "'", "\"", "/", "\\", "#", "?",
        "%", "|", "~", "..", "Xã", "Xa\u0303", "Lư", "Lu\u031B", "🌳", "LC-TDG-01", "QCDC-Q", "2024Q3", "a", "A", "1", " ",
    ];

    private static string Hostile(Random random)
    {
        var kind = random.Next(10);
        if (kind == 0)
        {
            return "";
        }
        if (kind == 1)
        {
            return new string('x', random.Next(250, 20_000)) + Pieces[random.Next(Pieces.Length)];
        }
        if (kind == 2)
        {
            return Pieces[random.Next(Pieces.Length)] + "\n"; // a trailing line feed after something that may be valid
        }
        var text = new StringBuilder();
        for (var i = random.Next(1, 8); i > 0; i--)
        {
            text.Append(Pieces[random.Next(Pieces.Length)]);
        }
        if (kind == 3)
        {
            text.Insert(random.Next(text.Length + 1), (char)random.Next(0xD800, 0xE000)); // a lone surrogate somewhere
        }
        return text.ToString();
    }

    /// <summary>A JSON string literal that carries even a lone surrogate (as an escape), as a hostile client can send it.</summary>
    private static string Literal(string text)
    {
        var json = new StringBuilder("\"");
        foreach (var c in text)
        {
            if (c is '"' or '\\' || c < 0x20 || char.IsSurrogate(c) || c > 0x7E)
            {
                json.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                json.Append(c);
            }
        }
        return json.Append('"').ToString();
    }

    [Fact]
    public async Task NoHostileTextMakesAServerErrorChangesARefusedReportOrBreaksTheProvincesFiles()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("QCDC_FUZZ_SEED"), out var given) ? given : 20261204;
        var random = new Random(seed);
        await using var app = new ReportingApp(azurite);
        var reporter = await app.ReporterAsync();
        var admin = app.Admin;
        Assert.True((await reporter.SendAsync(Put(Q3 + "/LC-TDG-01", Complete), Ct)).IsSuccessStatusCode);
        Assert.True((await reporter.PostAsync(Q3 + "/LC-TDG-01/submit", null, Ct)).IsSuccessStatusCode);
        var failures = new List<string>();

        for (var batch = 0; batch < 4; batch++)
        {
            for (var i = 0; i < 12; i++)
            {
                var text = Hostile(random);
                var before = (await reporter.GetAsync(Q3 + "/LC-TDG-02", Ct)).Headers.ETag?.Tag;
                var writes = new (string What, HttpRequestMessage Request)[]
                {
                    ("narrative", Raw(HttpMethod.Put, Q3 + "/LC-TDG-02", """{"values":{"docs_issued":1,"narrative_results":""" + Literal(text) + "}}", before)),
                    ("unit code", Raw(HttpMethod.Put, $"{Q3}/{Uri.EscapeDataString(text)}", """{"values":{"docs_issued":1}}""")),
                    ("period", Raw(HttpMethod.Get, $"/api/rollups/QCDC-Q/{Uri.EscapeDataString(text)}/LC", null)),
                    ("form", Raw(HttpMethod.Get, $"/api/submissions/{Uri.EscapeDataString(text)}/2024Q3/LC-TDG-01", null)),
                    ("indicator", Raw(HttpMethod.Put, Q3 + "/LC-TDG-03", """{"values":{""" + Literal(text) + ":1}}")),
                    ("file name", Raw(HttpMethod.Post, Q3 + "/LC-TDG-02/attachments",
                        $$"""{"fileName":{{Literal(text + ".pdf")}},"contentType":"application/pdf","size":10,"sha256":"{{new string('a', 64)}}"}""")),
                    ("key label", Raw(HttpMethod.Post, "/api/manage/keys", $$"""{"unit":"LC-TDG-02","role":"reporter","label":{{Literal(text)}}}""")),
                    ("unit name", Raw(HttpMethod.Post, "/api/manage/units",
                        """{"units":[{"code":"LC-X-FUZZ","name":""" + Literal(text) + ""","kind":"commune","parent":"LC-TDG","validFrom":"2020-01-01"}]}""")),
                };
                foreach (var (what, request) in writes)
                {
                    if (request.RequestUri!.OriginalString.Contains("%00", StringComparison.Ordinal))
                    {
                        continue; // a NUL in the path: Kestrel refuses the request before any app sees it (the test server throws)
                    }
                    var stored = await StorageSnapshot.TakeAsync(app.Factory, Ct);
                    var response = await admin.SendAsync(request, Ct);
                    if ((int)response.StatusCode >= 500)
                    {
                        failures.Add($"seed {seed}: {what} {JsonSerializer.Serialize(text)} → {(int)response.StatusCode}");
                    }
                    if (!response.IsSuccessStatusCode && !(await StorageSnapshot.TakeAsync(app.Factory, Ct)).SequenceEqual(stored))
                    {
                        failures.Add($"seed {seed}: a refused {what} {JsonSerializer.Serialize(text)} ({(int)response.StatusCode}) wrote to storage");
                    }
                }
            }
            await CheckTheProvinceAsync(admin, failures, seed);
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Take(20)));
    }

    private static HttpRequestMessage Raw(HttpMethod method, string url, string? json, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        return request;
    }

    private static async Task CheckTheProvinceAsync(HttpClient admin, List<string> failures, int seed)
    {
        foreach (var url in new[]
        {
            Q3 + "?under=LC", "/api/rollups/QCDC-Q/2024Q3/LC", "/api/exports/QCDC-Q/2024Q3/LC.xlsx", "/api/exports/QCDC-Q/2024Q3/LC.csv",
            "/api/reports/QCDC-Q/2024Q3/LC.docx", Q3 + "/LC-TDG-01/workbook", Q3 + "/LC-TDG-02/workbook",
        })
        {
            var response = await admin.GetAsync(url, Ct);
            if (response.StatusCode != HttpStatusCode.OK && !(url.EndsWith("LC-TDG-02/workbook", StringComparison.Ordinal) && response.StatusCode == HttpStatusCode.NotFound))
            {
                failures.Add($"seed {seed}: {url} answered {(int)response.StatusCode}");
                continue;
            }
            var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
            try
            {
                if (url.EndsWith(".docx", StringComparison.Ordinal))
                {
                    using var document = WordprocessingDocument.Open(new MemoryStream(bytes), false);
                    failures.AddRange(Errors(document).Select(e => $"seed {seed}: {url}: {e}"));
                }
                else if (url.EndsWith(".xlsx", StringComparison.Ordinal) || url.EndsWith("/workbook", StringComparison.Ordinal))
                {
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        using var workbook = OpenWorkbook(bytes);
                        failures.AddRange(Errors(workbook).Select(e => $"seed {seed}: {url}: {e}"));
                    }
                }
            }
            catch (Exception e) when (e is OpenXmlPackageException or InvalidDataException or System.Xml.XmlException)
            {
                failures.Add($"seed {seed}: {url} does not open: {e.Message}");
            }
        }
    }
}
