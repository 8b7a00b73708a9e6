using System.Net;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Qcdc.Localization;
using Qcdc.Storage;
using Qcdc.Tests.Infrastructure;
using Qcdc.Tests.Submissions;
using static Qcdc.Tests.Exports.OpenXmlFiles;
using static Qcdc.Tests.Submissions.ReportingApp;

namespace Qcdc.Tests.Problems;

/// <summary>What people type: one rule for every text, refusals that say where, and files that no stored text can break.</summary>
public sealed class UserTextTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Url = Q3 + "/LC-TDG-01";

    [Theory]
    [InlineData("Kết quả\uFFFE", 8, 0xFFFE, "noncharacter")]
    [InlineData("a\uFFFFb", 2, 0xFFFF, "noncharacter")]
    [InlineData("\uFDD0", 1, 0xFDD0, "noncharacter")]
    [InlineData("x\U0001FFFE", 2, 0x1FFFE, "noncharacter")]
    [InlineData("dòng\u0001", 5, 0x0001, "control character")]
    [InlineData("c1\u0085", 3, 0x0085, "control character")]
    public void TheFirstRefusedCharacterIsNamedWithItsPosition(string text, int position, int code, string what) =>
        Assert.Equal(new TextFlaw(position, code, what), UserText.Flaw(text, multiline: true));

    [Fact]
    public void AnUnpairedSurrogateIsRefusedAtItsPosition() =>
        Assert.Equal(new TextFlaw(3, 0xD800, "unpaired surrogate"), UserText.Flaw("ab" + (char)0xD800 + "c", multiline: true));

    [Theory]
    [InlineData("Xã Bình Lư\tdòng một\r\ndòng hai", true)]
    [InlineData("Hộ hiến đất 🌳", false)]
    public void TabsLineBreaksInMultiLineTextAndPairedSurrogatesAreKept(string text, bool multiline) =>
        Assert.Null(UserText.Flaw(text, multiline));

    [Fact]
    public void ALineBreakInAOneLineTextIsRefused() => Assert.Equal(4, UserText.Flaw("Tên\r\nx", multiline: false)!.Position);

    [Fact]
    public void ForFilesDropsWhatXmlForbidsAndNormalisesToNfc()
    {
        var decomposed = "Xa\u0303 Bi\u0300nh Lu\u031B";
        Assert.Equal("Xã Bình Lư ok", UserText.ForFiles(decomposed + "\uFFFF \u0001o\uD800k\uFDD0"));
        Assert.Equal("hóa đơn.pdf", UserText.WithoutBidiControls("hóa đơn\u202E.pdf"));
    }

    [Fact]
    public async Task ANarrativeWithANoncharacterIsRefusedNamingTheFieldAndPositionAndNothingIsWritten()
    {
        await using var app = new ReportingApp(azurite);
        var reporter = await app.ReporterAsync();

        var refused = await reporter.SendAsync(Put(Url, """{"docs_issued": 3, "narrative_results": "Kết quả\uFFFE tốt"}"""), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var text = await refused.Content.ReadAsStringAsync(Ct);
        Assert.Contains("values.narrative_results", text, StringComparison.Ordinal);
        Assert.Contains("U+FFFE", text, StringComparison.Ordinal);
        Assert.Contains("character 8", text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await reporter.GetAsync(Url, Ct)).StatusCode);
    }

    [Fact]
    public async Task AUnitNameWithAControlCharacterOrLongerThanAFormShowsIsRefusedAndNothingIsWritten()
    {
        await using var app = new QcdcAppFactory(azurite).WithSeeds();
        var admin = app.CreateAdminClient();
        var name = new string('x', 201);

        var refused = await admin.PostAsync("/api/manage/units", HttpJson.Body($$"""
            {"units":[{"code":"LC-X-MOI","name":"Xã Mới\u0001","kind":"commune","parent":"LC","validFrom":"2025-07-01"},
                      {"code":"LC-X-DAI","name":"{{name}}","kind":"commune","parent":"LC","validFrom":"2025-07-01"}]}
            """), Ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var text = await refused.Content.ReadAsStringAsync(Ct);
        Assert.Contains("U+0001", text, StringComparison.Ordinal);
        Assert.Contains("200", text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/units/LC-X-MOI", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/units/LC-X-DAI", Ct)).StatusCode);
    }

    [Fact]
    public async Task TextStoredBeforeTheRuleCannotBreakTheProvincesFiles()
    {
        await using var app = new ReportingApp(azurite);
        Assert.True((await app.Admin.SendAsync(Put(Url, Complete), Ct)).IsSuccessStatusCode);
        Assert.True((await app.Admin.PostAsync(Url + "/submit", null, Ct)).IsSuccessStatusCode);
        // Poison the stored report as an older version could have: a noncharacter and a control in its narrative.
        var poisoned = 0;
        await app.TamperWithStoredReportAsync("LC-TDG-01", row =>
        {
            foreach (var (name, value) in row.ToList())
            {
                if (value is string text && text.Contains("Đã tổ chức hội nghị.", StringComparison.Ordinal))
                {
                    row[name] = text.Replace("Đã tổ chức hội nghị.", "Đã tổ chức\uffff hội nghị\u0001.", StringComparison.Ordinal);
                    poisoned++;
                }
            }
        });
        Assert.True(poisoned > 0);
        await app.Admin.PostAsync("/api/manage/rollups/run", HttpJson.Body("""{"form":"QCDC-Q","period":"2024Q3"}"""), Ct);

        foreach (var (url, opens) in new (string, Func<byte[], IDisposable>)[]
        {
            ("/api/exports/QCDC-Q/2024Q3/LC.xlsx", b => OpenWorkbook(b)),
            (Url + "/workbook", b => OpenWorkbook(b)),
            ("/api/reports/QCDC-Q/2024Q3/LC.docx", b => DocumentFormat.OpenXml.Packaging.WordprocessingDocument.Open(new MemoryStream(b), false)),
        })
        {
            var response = await app.Admin.GetAsync(url, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
            using var file = opens(await response.Content.ReadAsByteArrayAsync(Ct));
            Assert.Empty(Errors((DocumentFormat.OpenXml.Packaging.OpenXmlPackage)file));
        }
        Assert.Equal(HttpStatusCode.OK, (await app.Admin.GetAsync("/api/exports/QCDC-Q/2024Q3/LC.csv", Ct)).StatusCode);
    }

    [Fact]
    public async Task AStoredRowThatCannotBeReadIsAServerFaultWithATraceIdNeverA400BlamingTheBody()
    {
        await using var app = new ReportingApp(azurite);
        Assert.True((await app.Admin.SendAsync(Put(Url, Complete), Ct)).IsSuccessStatusCode);
        await app.TamperWithStoredReportAsync("LC-TDG-01", row => row["Values"] = "{\"docs_issued\": 3,");

        var read = await app.Admin.GetAsync(Url, Ct);

        Assert.Equal(HttpStatusCode.InternalServerError, read.StatusCode);
        var problem = await read.Content.ReadAsStringAsync(Ct);
        Assert.Contains("traceId", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("JSON", problem, StringComparison.OrdinalIgnoreCase);
    }
}
