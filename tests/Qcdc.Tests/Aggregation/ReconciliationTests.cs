using System.Net;
using Qcdc.Tests.Infrastructure;
using Qcdc.Tests.Submissions;
using static Qcdc.Tests.Submissions.ReportingApp;

namespace Qcdc.Tests.Aggregation;

/// <summary>
/// What units reported on the five-year form QCDC-5Y beside what their quarterly reports add up to over 2021–2025:
/// the figures side by side, the difference and its percentage, and the units beyond the threshold listed.
/// </summary>
public sealed class ReconciliationTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // 10 February 2026 in Vietnam: the plan period 2021–2025 is over; its quarters are back-filled by the administrator.
    private static readonly DateTimeOffset Now = new(2026, 2, 10, 3, 0, 0, TimeSpan.Zero);

    private static async Task SendAsync(HttpClient admin, string form, string period, string unit, string values)
    {
        var url = $"/api/submissions/{form}/{period}/{unit}";
        values = values[..values.LastIndexOf('}')] + """, "narrative_results": "Đã thực hiện."}""";
        var put = await admin.SendAsync(Put(url, values), Ct);
        Assert.True(put.IsSuccessStatusCode, $"{url}: {(int)put.StatusCode} {await put.Content.ReadAsStringAsync(Ct)}");
        var submit = await admin.PostAsync(url + "/submit", null, Ct);
        Assert.True(submit.IsSuccessStatusCode, $"{url}/submit: {(int)submit.StatusCode} {await submit.Content.ReadAsStringAsync(Ct)}");
    }

    [Fact]
    public async Task EachFiveYearFigureStandsBesideTheSumOfItsQuartersAndTheUnitsBeyondTheThresholdAreListed()
    {
        await using var app = new ReportingApp(azurite, Now);
        var admin = app.Admin;
        await SendAsync(admin, "QCDC-Q", "2022Q3", "LC-BDV", """{"docs_issued": 3, "models_built": {"large": 1, "medium": 0, "small": 2}}""");
        await SendAsync(admin, "QCDC-Q", "2024Q1", "LC-BDV", """{"docs_issued": 5, "models_built": {"large": 0, "medium": 1, "small": 1}}""");
        await SendAsync(admin, "QCDC-Q", "2024Q1", "LC-SNV", """{"docs_issued": 4}""");
        await SendAsync(admin, "QCDC-5Y", "2021-2025", "LC-BDV", """{"docs_issued": 8, "models_built": {"large": 1, "medium": 1, "small": 3}}""");
        await SendAsync(admin, "QCDC-5Y", "2021-2025", "LC-SNV", """{"docs_issued": 6}""");

        var reviewer = await app.ReviewerAsync("LC");
        var response = await reviewer.GetAsync("/api/reconciliation/QCDC-5Y/2021-2025/LC", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal("QCDC-Q", body.GetProperty("quarterlyForm").GetString());
        Assert.Equal(["LC-SNV"], body.GetProperty("unitsOverThreshold").EnumerateArray().Select(u => u.GetString()));
        Assert.Contains("receptions_dialogues", body.GetProperty("notComparable").EnumerateArray().Select(u => u.GetString()));
        var units = body.GetProperty("units").EnumerateArray().ToDictionary(u => u.GetProperty("unit").GetString()!);
        var agreeing = units["LC-BDV"].GetProperty("cells").EnumerateArray().ToDictionary(c => c.GetProperty("cell").GetString()!);
        Assert.Equal((8m, 8m, 0m), (agreeing["docs_issued"].GetProperty("reported").GetDecimal(), agreeing["docs_issued"].GetProperty("computed").GetDecimal(),
            agreeing["docs_issued"].GetProperty("difference").GetDecimal()));
        Assert.Equal(3m, agreeing["models_built.small"].GetProperty("computed").GetDecimal());
        Assert.False(units["LC-BDV"].GetProperty("overThreshold").GetBoolean());
        var differing = units["LC-SNV"].GetProperty("cells").EnumerateArray().Single(c => c.GetProperty("cell").GetString() == "docs_issued");
        Assert.Equal((6m, 4m, 2m, 50m), (differing.GetProperty("reported").GetDecimal(), differing.GetProperty("computed").GetDecimal(),
            differing.GetProperty("difference").GetDecimal(), differing.GetProperty("differencePercent").GetDecimal()));
        Assert.True(differing.GetProperty("overThreshold").GetBoolean());

        // The same figures in the province's workbook (a sheet of their own) and its draft report (the differing ones).
        var xlsx = await reviewer.GetAsync("/api/exports/QCDC-Q/2021-2025/LC.xlsx", Ct);
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        using (var book = Exports.OpenXmlFiles.OpenWorkbook(await xlsx.Content.ReadAsByteArrayAsync(Ct)))
        {
            Assert.Empty(Exports.OpenXmlFiles.Errors(book));
            var sheet = Exports.OpenXmlFiles.Sheet(book, "Đối chiếu 5 năm");
            var row = Exports.OpenXmlFiles.Rows(sheet).Single(r => r.TryGetValue("A", out var a) && Exports.OpenXmlFiles.Text(book, a) == "LC-SNV"
                && Exports.OpenXmlFiles.Text(book, r["C"]) == "Văn bản lãnh đạo, chỉ đạo ban hành");
            Assert.Equal((6m, 4m, 50m), (Exports.OpenXmlFiles.Number(row["D"]), Exports.OpenXmlFiles.Number(row["E"]), Exports.OpenXmlFiles.Number(row["G"])));
            Assert.Equal("Có", Exports.OpenXmlFiles.Text(book, row["H"]));
        }
        var docx = await reviewer.GetAsync("/api/reports/QCDC-Q/2021-2025/LC.docx", Ct);
        Assert.Equal(HttpStatusCode.OK, docx.StatusCode);
        using (var document = DocumentFormat.OpenXml.Packaging.WordprocessingDocument.Open(new MemoryStream(await docx.Content.ReadAsByteArrayAsync(Ct)), false))
        {
            Assert.Empty(Exports.OpenXmlFiles.Errors(document));
            var text = document.MainDocumentPart!.Document.Body!.InnerText;
            Assert.Contains("Đối chiếu số liệu báo cáo 5 năm với tổng các báo cáo quý", text, StringComparison.Ordinal);
            Assert.Contains("1/2 đơn vị có số liệu chênh lệch quá 10 %", text, StringComparison.Ordinal);
            Assert.Contains("+50 %", text, StringComparison.Ordinal);
        }

        // A district's reviewer sees nothing of the province's agencies; a quarter is not a five-year window.
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.ReviewerAsync("LC-TUY")).GetAsync("/api/reconciliation/QCDC-5Y/2021-2025/LC", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await reviewer.GetAsync("/api/reconciliation/QCDC-5Y/2024Q1/LC", Ct)).StatusCode);
    }
}
