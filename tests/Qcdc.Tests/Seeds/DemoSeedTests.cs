using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Qcdc.Seeds;
using Qcdc.Tests.Infrastructure;
using Qcdc.Tests.Submissions;
using Qcdc.Units;

namespace Qcdc.Tests.Seeds;

/// <summary>A first start shows the product: the demo keys fit the README's walk-through, and there are reports to look at.</summary>
public sealed class DemoSeedTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // 1 December 2026 in Vietnam: 2026Q4 is open, 2026Q3 and earlier are locked.
    private static readonly DateTimeOffset Today = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);

    private static ReportingApp DemoApp(AzuriteFixture azurite) => new(azurite, Today, f => f.With("Seed:DemoReports", "true"));

    [Fact]
    public async Task TheDemoReviewerIsAnAncestorOfTheDemoReporterOnTodaysHierarchy()
    {
        var settings = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AzuriteFixture.RepositoryRoot, "src", "Functions", "appsettings.Development.json"), Ct))!;
        var keys = settings["Seed"]!["DemoKeys"]!.AsArray();
        string UnitOf(string role) => keys.Single(k => k!["Role"]!.GetValue<string>() == role)!["Unit"]!.GetValue<string>();
        var hierarchy = new UnitHierarchy((await SeedFiles.ReadUnitsAsync(SeedData.Folder, Ct)).Units);

        Assert.True(hierarchy.IsInSubtree(UnitOf("reporter"), UnitOf("reviewer"), new DateOnly(2026, 12, 1)));
        Assert.True(hierarchy.Find(UnitOf("reviewer"))!.IsActiveOn(new DateOnly(2026, 12, 1)));
    }

    [Fact]
    public async Task TheDemoReportsShowEveryStatusAMissingUnitAndALateOne()
    {
        await using var app = DemoApp(azurite);
        var reviewer = await app.ReviewerAsync("LC");

        var current = await ListAsync(reviewer, "2026Q4");
        var previous = await ListAsync(reviewer, "2026Q3");
        var returned = await (await reviewer.GetAsync("/api/submissions/QCDC-Q/2026Q4/LC-X-BINHLU", Ct)).ReadJsonAsync();

        Assert.Equal(["approved", "draft", "returned", "submitted"], current.Select(r => r.GetProperty("status").GetString()).Distinct().Order());
        Assert.Equal("returned", returned.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(returned.GetProperty("returnReason").GetString()));
        Assert.Equal(2, returned.GetProperty("formVersion").GetInt32());
        Assert.Contains(previous, r => r.GetProperty("late").GetBoolean());
        Assert.DoesNotContain(previous, r => r.GetProperty("unit").GetString() == "LC-X-MUONGCANG");
        Assert.All(previous.Where(r => r.GetProperty("status").GetString() == "approved"),
            r => Assert.True(r.GetProperty("submittedAt").GetDateTimeOffset() < new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public async Task ASecondStartWritesNoDemoReport()
    {
        await using var app = DemoApp(azurite);
        await app.Admin.GetAsync("/api/health", Ct);
        var before = await ListAsync(app.Admin, "2026Q3", "LC");

        var seeder = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Qcdc.Functions.Seeds.DemoReportSeeder>(app.Factory.Services);
        await seeder.SeedAsync(await SeedFiles.ReadDemoReportsAsync(SeedData.Folder, Ct), Ct);
        var after = await ListAsync(app.Admin, "2026Q3", "LC");

        Assert.Equal(before.Select(r => r.GetProperty("revision").GetInt32()), after.Select(r => r.GetProperty("revision").GetInt32()));
    }

    private static async Task<List<JsonElement>> ListAsync(HttpClient client, string period, string? under = null)
    {
        var response = await client.GetAsync($"/api/submissions/QCDC-Q/{period}" + (under is null ? "" : $"?under={under}"), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.ReadJsonAsync()).GetProperty("items").EnumerateArray()];
    }
}
