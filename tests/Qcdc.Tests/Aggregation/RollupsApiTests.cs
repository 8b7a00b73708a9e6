using System.Net;
using Qcdc.Tests.Infrastructure;
using Qcdc.Tests.Submissions;
using static Qcdc.Tests.Submissions.ReportingApp;

namespace Qcdc.Tests.Aggregation;

public sealed class RollupsApiTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ARunRollsTheDistrictsCommunesUpAndReportsCompleteness()
    {
        await using var app = new ReportingApp(azurite);
        foreach (var (unit, docs) in new[] { ("LC-TDG-01", 3), ("LC-TDG-02", 5) })
        {
            await app.Admin.SendAsync(Put($"{Q3}/{unit}", Complete.Replace("\"docs_issued\": 3", $"\"docs_issued\": {docs}", StringComparison.Ordinal)), Ct);
            await app.Admin.PostAsync($"{Q3}/{unit}/submit", null, Ct);
        }
        await app.Admin.SendAsync(Put($"{Q3}/LC-TDG-03", Complete), Ct); // a draft: not counted

        var run = await app.Admin.PostAsync("/api/admin/rollups/run", HttpJson.Body("""{"form":"QCDC-Q","period":"2024Q3"}"""), Ct);
        var reviewer = await app.ReviewerAsync("LC-TDG");
        var district = await (await reviewer.GetAsync("/api/rollups/QCDC-Q/2024Q3/LC-TDG", Ct)).ReadJsonAsync();

        Assert.Equal(HttpStatusCode.OK, run.StatusCode);
        var summary = await run.ReadJsonAsync();
        Assert.Equal(1, summary.GetProperty("reads").GetInt32());
        Assert.True(summary.GetProperty("units").GetInt32() >= 20);
        Assert.Equal(8, district.GetProperty("values").GetProperty("docs_issued").GetInt32());
        Assert.Equal(2, district.GetProperty("values").GetProperty("dialogues").GetProperty("total").GetInt32());
        var completeness = district.GetProperty("completeness");
        Assert.Equal(2, completeness.GetProperty("submitted").GetInt32());
        Assert.Equal(15, completeness.GetProperty("expected").GetInt32()); // the district, its 13 communes and its agency
        Assert.Contains("LC-TDG-03", completeness.GetProperty("missing").EnumerateArray().Select(m => m.GetString()));
    }

    [Fact]
    public async Task ARollupNeverComputedIs404AndAnotherDistrictsReviewerIsRefused()
    {
        await using var app = new ReportingApp(azurite);
        var missing = await app.Admin.GetAsync("/api/rollups/QCDC-Q/2024Q2/LC-TDG", Ct);
        var other = await (await app.ReviewerAsync("LC-TUY")).GetAsync("/api/rollups/QCDC-Q/2024Q3/LC-TDG", Ct);

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("not been computed", (await missing.ReadJsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
    }

    [Fact]
    public async Task TheDailyJobRollsUpOnlyChangedQuartersAndARerunWithoutChangeWritesNothing()
    {
        await using var app = new ReportingApp(azurite);
        var service = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Qcdc.Rollups.RollupService>(app.Factory.Services);
        await app.Admin.SendAsync(Put($"{Q3}/LC-TDG-01", Complete), Ct);
        await app.Admin.PostAsync($"{Q3}/LC-TDG-01/submit", null, Ct);

        var first = await service.RunChangedQuartersAsync(Ct);
        var again = await service.RunChangedQuartersAsync(Ct);
        await app.Admin.SendAsync(Put($"{Q3}/LC-TDG-02", Complete), Ct);
        var afterChange = await service.RunChangedQuartersAsync(Ct);

        Assert.Contains(first, s => s.Period == "2024Q3");
        Assert.Empty(again);
        Assert.Equal(["2024Q3"], afterChange.Select(s => s.Period));
        var province = await (await app.Admin.GetAsync("/api/rollups/QCDC-Q/2024Q3/LC", Ct)).ReadJsonAsync();
        Assert.Equal(3, province.GetProperty("values").GetProperty("docs_issued").GetInt32());
    }

    [Fact]
    public async Task AQuarterPastItsLockDateGetsOneFinalRollup()
    {
        await using var app = new ReportingApp(azurite);
        var service = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Qcdc.Rollups.RollupService>(app.Factory.Services);
        await app.Admin.SendAsync(Put($"{Q3}/LC-TDG-01", Complete), Ct);
        await service.RunChangedQuartersAsync(Ct);

        app.Clock.SetUtcNow(new DateTimeOffset(2024, 11, 1, 3, 0, 0, TimeSpan.Zero)); // 2024Q3 locked after 25 Oct
        var closing = await service.RunChangedQuartersAsync(Ct);
        var afterwards = await service.RunChangedQuartersAsync(Ct);

        Assert.Contains(closing, s => s.Period == "2024Q3");
        Assert.DoesNotContain(afterwards, s => s.Period == "2024Q3");
    }

    [Fact]
    public async Task AYearAcrossTheReorganisationFollowsMergesAndSplitsFromQuarterlyRollupsOnly()
    {
        // 20 Dec 2025 in Vietnam: 2025Q1 is locked (admin back-fill), 2025Q3 too; the merged communes began on 1 July.
        await using var app = new ReportingApp(azurite, new DateTimeOffset(2025, 12, 20, 3, 0, 0, TimeSpan.Zero));
        async Task FileAsync(string period, string unit, int docs)
        {
            var url = $"/api/submissions/QCDC-Q/{period}/{unit}";
            await app.Admin.SendAsync(Put(url, CompleteFor(period).Replace("\"docs_issued\": 3", $"\"docs_issued\": {docs}", StringComparison.Ordinal)), Ct);
            Assert.Equal(HttpStatusCode.OK, (await app.Admin.PostAsync(url + "/submit", null, Ct)).StatusCode);
        }
        await FileAsync("2025Q1", "LC-TDG-01", 10);
        await FileAsync("2025Q1", "LC-TDG-06", 4);
        await FileAsync("2025Q1", "LC-TDG-08", 10);
        await FileAsync("2025Q3", "LC-X-BINHLU", 3);

        var run = await app.Admin.PostAsync("/api/admin/rollups/run", HttpJson.Body("""{"form":"QCDC-Q","period":"2025"}"""), Ct);
        Assert.Equal(HttpStatusCode.OK, run.StatusCode);
        var merged = await (await app.Admin.GetAsync("/api/rollups/QCDC-Q/2025/LC-X-BINHLU", Ct)).ReadJsonAsync();
        var ended = await (await app.Admin.GetAsync("/api/rollups/QCDC-Q/2025/LC-TDG", Ct)).ReadJsonAsync();
        var province = await (await app.Admin.GetAsync("/api/rollups/QCDC-Q/2025/LC", Ct)).ReadJsonAsync();

        // Bình Lư: Tam Đường town (10) and Bình Lư (4) whole, 60 % of Nùng Nàng (6), then its own 3.
        Assert.Equal(23m, merged.GetProperty("values").GetProperty("docs_issued").GetDecimal());
        Assert.Contains(merged.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("LC-TDG-08 was split", StringComparison.Ordinal));
        Assert.Equal(24m, ended.GetProperty("values").GetProperty("docs_issued").GetDecimal());
        Assert.Equal(27m, province.GetProperty("values").GetProperty("docs_issued").GetDecimal());
        Assert.Equal(4, (await run.ReadJsonAsync()).GetProperty("reads").GetInt32());
    }
}
