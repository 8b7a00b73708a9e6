using System.Net;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Qcdc.Storage;
using Qcdc.Tests.Infrastructure;
using Qcdc.Tests.Submissions;
using static Qcdc.Tests.Submissions.ReportingApp;

namespace Qcdc.Tests.Problems;

/// <summary>A stored row that cannot be read never breaks its partition: readers skip it, log its keys, and an administrator can list it.</summary>
public sealed class UnreadableRowTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OneUnreadableReportLeavesEveryOtherReportRollupAndExportAnsweringAndIsListedForRepair()
    {
        await using var app = new ReportingApp(azurite);
        foreach (var unit in new[] { "LC-TDG-01", "LC-TDG-02" })
        {
            Assert.True((await app.Admin.SendAsync(Put($"{Q3}/{unit}", Complete), Ct)).IsSuccessStatusCode);
            Assert.True((await app.Admin.PostAsync($"{Q3}/{unit}/submit", null, Ct)).IsSuccessStatusCode);
        }
        await app.TamperWithStoredReportAsync("LC-TDG-02", row => row["Values"] = "{\"docs_issued\": 3,");
        await app.Admin.PostAsync("/api/manage/rollups/run", HttpJson.Body("""{"form":"QCDC-Q","period":"2024Q3"}"""), Ct);

        var rollup = await app.Admin.GetAsync("/api/rollups/QCDC-Q/2024Q3/LC-TDG", Ct);
        var list = await app.Admin.GetAsync(Q3 + "?under=LC-TDG", Ct);
        var other = await app.Admin.GetAsync(Q3 + "/LC-TDG-01/history", Ct);
        var workbook = await app.Admin.GetAsync("/api/exports/QCDC-Q/2024Q3/LC-TDG.xlsx", Ct);
        var listed = await app.Admin.GetAsync("/api/manage/unreadable/QCDC-Q/2024Q3", Ct);

        Assert.Equal(HttpStatusCode.OK, rollup.StatusCode);
        Assert.Equal(3, (await rollup.ReadJsonAsync()).GetProperty("values").GetProperty("docs_issued").GetInt32()); // LC-TDG-01's alone
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(HttpStatusCode.OK, workbook.StatusCode);
        var rows = (await listed.ReadJsonAsync()).GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("row").GetString()).ToList();
        Assert.Contains("S|LC-TDG-02", rows);
        Assert.Contains(app.Factory.Logs.Entries, e => e.Text.Contains("S|LC-TDG-02", StringComparison.Ordinal) && e.Text.Contains("cannot be read", StringComparison.Ordinal));
    }
}
