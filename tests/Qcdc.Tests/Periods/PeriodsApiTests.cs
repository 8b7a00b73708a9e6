using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Qcdc.Tests.Infrastructure;

namespace Qcdc.Tests.Periods;

public sealed class PeriodsApiTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private QcdcAppFactory At(DateTimeOffset now) => new QcdcAppFactory(azurite).WithSeeds()
        .WithServices(s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(new FakeTimeProvider(now))));

    [Fact]
    public async Task TheQuartersOfAYearHaveCutOffDeadlinesLockDateAndOpenState()
    {
        // 20 Sept 2024, 10:00 in Vietnam.
        await using var app = At(new DateTimeOffset(2024, 9, 20, 3, 0, 0, TimeSpan.Zero));
        var body = await (await app.CreateClient().GetAsync("/api/periods/QCDC-Q?year=2024", Ct)).ReadJsonAsync();
        var periods = body.GetProperty("periods").EnumerateArray().ToList();

        Assert.Equal(["2024Q1", "2024Q2", "2024Q3", "2024Q4"], periods.Select(p => p.GetProperty("period").GetString()));
        var q3 = periods[2];
        Assert.Equal("2024-06-15", q3.GetProperty("dataStart").GetString());
        Assert.Equal("2024-09-14", q3.GetProperty("cutoff").GetString());
        Assert.Equal("2024-09-16", q3.GetProperty("deadlines").GetProperty("commune").GetString());
        Assert.Equal("2024-09-25", q3.GetProperty("deadlines").GetProperty("default").GetString());
        Assert.Equal("2024-10-25", q3.GetProperty("lockDate").GetString());
        Assert.True(q3.GetProperty("open").GetBoolean());
        Assert.True(periods[0].GetProperty("locked").GetBoolean());
        // Q4's data window opened on 15 Sept (Decree 09), so drafts for it may already begin.
        Assert.True(periods[3].GetProperty("open").GetBoolean());
        Assert.False(periods[3].GetProperty("locked").GetBoolean());
    }

    [Fact]
    public async Task TheNamedWindowsAreListedWithTheirTitleAndQuarters()
    {
        await using var app = At(new DateTimeOffset(2024, 9, 20, 3, 0, 0, TimeSpan.Zero));

        var window = Assert.Single((await (await app.CreateClient().GetAsync("/api/windows", Ct)).ReadJsonAsync()).GetProperty("windows").EnumerateArray());

        Assert.Equal(("NQ02-2017", "2017Q3", "2022Q2"), (window.GetProperty("name").GetString(), window.GetProperty("firstQuarter").GetString(), window.GetProperty("lastQuarter").GetString()));
        Assert.Equal("Nghị quyết 02-NQ/TU ngày 12/5/2017", window.GetProperty("title").GetString());
    }

    [Fact]
    public async Task APeriodWhoseDataWindowHasNotStartedIsNotOpen()
    {
        await using var app = At(new DateTimeOffset(2024, 9, 20, 3, 0, 0, TimeSpan.Zero));
        var body = await (await app.CreateClient().GetAsync("/api/periods/QCDC-Q?year=2025", Ct)).ReadJsonAsync();
        Assert.All(body.GetProperty("periods").EnumerateArray(), p => Assert.False(p.GetProperty("open").GetBoolean()));
    }

    [Fact]
    public async Task TodayIsTheDateInVietnam()
    {
        // 14 Sept 2024 at 18:00 UTC is already 15 Sept in Vietnam.
        await using var app = At(new DateTimeOffset(2024, 9, 14, 18, 0, 0, TimeSpan.Zero));
        var body = await (await app.CreateClient().GetAsync("/api/periods/QCDC-Q?year=2024", Ct)).ReadJsonAsync();
        Assert.Equal("2024-09-15", body.GetProperty("today").GetString());
        Assert.True(body.GetProperty("periods")[3].GetProperty("open").GetBoolean());
    }

    [Fact]
    public async Task TheFiveYearFormListsItsPlanPeriodAndTheWindowsEndingThatYear()
    {
        await using var app = At(new DateTimeOffset(2026, 9, 20, 3, 0, 0, TimeSpan.Zero));
        var in2026 = await (await app.CreateClient().GetAsync("/api/periods/QCDC-5Y?year=2026", Ct)).ReadJsonAsync();
        Assert.Equal(["2026-2030"], in2026.GetProperty("periods").EnumerateArray().Select(p => p.GetProperty("period").GetString()));
        var notAPlanPeriod = await app.CreateClient().GetAsync("/api/rollups/QCDC-Q/2022-2026/LC", Ct);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, notAPlanPeriod.StatusCode);

        var body = await (await app.CreateClient().GetAsync("/api/periods/QCDC-5Y?year=2022", Ct)).ReadJsonAsync();
        var keys = body.GetProperty("periods").EnumerateArray().Select(p => p.GetProperty("period").GetString()).ToList();
        Assert.Equal(["2021-2025", "NQ02-2017"], keys.Order());
        var window = body.GetProperty("periods").EnumerateArray().First(p => p.GetProperty("period").GetString() == "NQ02-2017");
        Assert.Equal("2017Q3", window.GetProperty("quarters")[0].GetString());
    }

    [Fact]
    public async Task WithoutAYearTheCurrentYearInVietnamIsListed()
    {
        await using var app = At(new DateTimeOffset(2025, 12, 31, 18, 0, 0, TimeSpan.Zero));
        var body = await (await app.CreateClient().GetAsync("/api/periods/QCDC-Q", Ct)).ReadJsonAsync();
        Assert.Equal(2026, body.GetProperty("year").GetInt32());
    }

    [Theory]
    [InlineData("/api/periods/QCDC-Q?year=twenty", HttpStatusCode.BadRequest)]
    [InlineData("/api/periods/QCDC-Q?year=1999", HttpStatusCode.BadRequest)]
    [InlineData("/api/periods/NOPE?year=2024", HttpStatusCode.NotFound)]
    public async Task BadRequestsAreProblems(string url, HttpStatusCode status)
    {
        await using var app = At(DateTimeOffset.UtcNow);
        var response = await app.CreateClient().GetAsync(url, Ct);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
