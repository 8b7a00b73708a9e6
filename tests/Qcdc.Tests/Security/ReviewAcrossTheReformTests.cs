using System.Net;
using Qcdc.Tests.Infrastructure;
using Qcdc.Tests.Submissions;

namespace Qcdc.Tests.Security;

/// <summary>
/// The province reviews the year of the 2025 reform: the districts abolished on 1 July 2025 (Tam Đường, LC-TDG) are
/// read through the hierarchy of each quarter of the period asked for, never refused to the province's key; nobody
/// sees outside their subtree, and a unit created by the reform sees nothing of before its start.
/// </summary>
public sealed class ReviewAcrossTheReformTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // 10 February 2026 in Vietnam: 2025 and its halves are over, the window 2021–2025 too.
    private static readonly DateTimeOffset Now = new(2026, 2, 10, 3, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("/api/rollups/QCDC-Q/2024Q4/LC-TDG")]
    [InlineData("/api/rollups/QCDC-Q/2025Q2/LC-TDG")]
    [InlineData("/api/rollups/QCDC-Q/2025H1/LC-TDG")]
    [InlineData("/api/rollups/QCDC-Q/2025/LC-TDG")]
    [InlineData("/api/rollups/QCDC-Q/2021-2025/LC-TDG")]
    [InlineData("/api/rollups/QCDC-Q/2025/LC-TDG-01")]
    [InlineData("/api/completeness/QCDC-Q/2025/LC-TDG")]
    [InlineData("/api/exports/QCDC-Q/2025/LC-TDG.csv")]
    [InlineData("/api/submissions/QCDC-Q/2025Q2/LC-TDG-01")]
    public async Task TheProvincesReviewerReadsADistrictAbolishedByTheReformInAnyPeriodItExisted(string url)
    {
        await using var app = new ReportingApp(azurite, Now);
        var province = await app.ReviewerAsync("LC");

        var response = await province.GetAsync(url, Ct);

        Assert.NotEqual(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{url}: {(int)response.StatusCode}");
        if (!url.StartsWith("/api/submissions", StringComparison.Ordinal))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Theory]
    [InlineData("LC-TUY", "/api/rollups/QCDC-Q/2025/LC-TDG")] // a sibling district, never its subtree
    [InlineData("LC-TUY", "/api/rollups/QCDC-Q/2021-2025/LC-TDG-01")]
    [InlineData("LC-X-SONBINH", "/api/rollups/QCDC-Q/2024Q4/LC-TDG-08")] // a commune of the reform, before its start
    [InlineData("LC-X-SONBINH", "/api/submissions/QCDC-Q/2024Q4/LC-TDG-08")]
    public async Task NobodySeesOutsideTheirSubtreeNorBeforeTheirUnitExisted(string keyUnit, string url)
    {
        await using var app = new ReportingApp(azurite, Now);
        var reviewer = await app.ReviewerAsync(keyUnit);

        Assert.Equal(HttpStatusCode.Forbidden, (await reviewer.GetAsync(url, Ct)).StatusCode);
    }
}
