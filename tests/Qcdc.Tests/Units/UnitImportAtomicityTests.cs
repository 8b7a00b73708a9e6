using System.Net;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Qcdc.Storage;
using Qcdc.Tests.Infrastructure;

namespace Qcdc.Tests.Units;

/// <summary>
/// A unit import is all-or-nothing: storage failing half-way through a large import leaves every reader on the
/// hierarchy as it was and no row of the refused import behind; old generations do not pile up.
/// </summary>
public sealed class UnitImportAtomicityTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Fails the chosen entity-group transactions to the units table, as a storage outage mid-import would.</summary>
    private sealed class FailingBatches : HttpPipelineSynchronousPolicy
    {
        private int _batches;

        public int FailFrom { get; set; } = int.MaxValue;

        public int FailTo { get; set; } = int.MaxValue;

        public override void OnSendingRequest(HttpMessage message)
        {
            if (message.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal))
            {
                var n = Interlocked.Increment(ref _batches);
                if (n >= FailFrom && n <= FailTo)
                {
                    throw new RequestFailedException(500, "Injected storage failure.", "InternalError", null);
                }
            }
        }

        public void Reset() => _batches = 0;
    }

    /// <summary>Makes every entity-group transaction to the units table slow, as a busy storage account would.</summary>
    private sealed class SlowBatches(TimeSpan delay) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message)
        {
            if (message.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal))
            {
                Thread.Sleep(delay);
            }
        }
    }

    private static string Communes(int count, string nameSuffix) =>
        "{\"units\":[{\"code\":\"P\",\"name\":\"Tỉnh\",\"kind\":\"province\",\"validFrom\":\"2008-01-01\"}"
        + string.Concat(Enumerable.Range(1, count).Select(i =>
            $",{{\"code\":\"C{i:D3}\",\"name\":\"Xã {i}{nameSuffix}\",\"kind\":\"commune\",\"validFrom\":\"2008-01-01\",\"parent\":\"P\"}}"))
        + "]}";

    private async Task<List<TableEntity>> AllRowsAsync(QcdcAppFactory app)
    {
        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient(app.Names.Table(StorageNames.UnitsTable));
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(cancellationToken: Ct))
        {
            rows.Add(row);
        }
        return rows;
    }

    private static QcdcAppFactory AppWith(AzuriteFixture azurite, HttpPipelinePolicy policy) =>
        new QcdcAppFactory(azurite).WithServices(s => s.Replace(ServiceDescriptor.Singleton(_ =>
        {
            var options = new TableClientOptions();
            options.AddPolicy(policy, HttpPipelinePosition.PerCall);
            return new TableServiceClient(azurite.ConnectionString, options);
        })));

    [Fact]
    public async Task AStorageFailureHalfWayThroughAnImportLeavesTheHierarchyAsItWasAndNoRowOfIt()
    {
        var policy = new FailingBatches();
        await using var app = AppWith(azurite, policy);
        var admin = app.CreateAdminClient();
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/manage/units", HttpJson.Body(Communes(250, "")), Ct)).StatusCode);
        var before = await AllRowsAsync(app);

        // 251 units go out in three transactions: the first is stored, the second fails.
        policy.Reset();
        (policy.FailFrom, policy.FailTo) = (2, 2);
        var failed = await admin.PostAsync("/api/manage/units", HttpJson.Body(Communes(251, " (mới)")), Ct);

        Assert.True((int)failed.StatusCode >= 500, $"{failed.StatusCode}");
        var units = (await (await admin.GetAsync("/api/units?parent=P", Ct)).ReadJsonAsync()).GetProperty("units").EnumerateArray().ToList();
        Assert.Equal(250, units.Count);
        Assert.All(units, u => Assert.DoesNotContain("(mới)", u.GetProperty("name").GetString(), StringComparison.Ordinal));
        var after = await AllRowsAsync(app);
        Assert.Equal(
            before.Select(r => (r.PartitionKey, r.RowKey, r.ETag)).Order(),
            after.Select(r => (r.PartitionKey, r.RowKey, r.ETag)).Order());

        // Another instance, starting cold, reads the same hierarchy.
        await using var other = new QcdcAppFactory(azurite).With("Storage:Prefix", app.Prefix);
        var seen = (await (await other.CreateClient().GetAsync("/api/units?parent=P", Ct)).ReadJsonAsync()).GetProperty("units");
        Assert.Equal(250, seen.GetArrayLength());

        // Once storage is back the same file goes in whole.
        (policy.FailFrom, policy.FailTo) = (int.MaxValue, int.MaxValue);
        var retried = await (await admin.PostAsync("/api/manage/units", HttpJson.Body(Communes(251, " (mới)")), Ct)).ReadJsonAsync();
        Assert.Equal((1, 250), (retried.GetProperty("created").GetInt32(), retried.GetProperty("updated").GetInt32()));
        var now = (await (await admin.GetAsync("/api/units?parent=P", Ct)).ReadJsonAsync()).GetProperty("units").EnumerateArray().ToList();
        Assert.Equal(251, now.Count);
        Assert.All(now, u => Assert.EndsWith("(mới)", u.GetProperty("name").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task OnlyTheHierarchyInUseAndTheOneBeforeItAreKept()
    {
        await using var app = new QcdcAppFactory(azurite);
        var admin = app.CreateAdminClient();
        foreach (var suffix in new[] { "", " A", " B", " C" })
        {
            var r = await admin.PostAsync("/api/manage/units", HttpJson.Body(Communes(120, suffix)), Ct);
            Assert.True(r.StatusCode == HttpStatusCode.OK, app.Logs.AllText);
        }

        var rows = await AllRowsAsync(app);
        var generations = rows.Where(r => r.RowKey != "~version").GroupBy(r => r.PartitionKey).ToList();
        Assert.Equal(2, generations.Count);
        Assert.All(generations, g => Assert.Equal(121, g.Count()));
        var names = (await (await admin.GetAsync("/api/units?parent=P", Ct)).ReadJsonAsync()).GetProperty("units").EnumerateArray()
            .Select(u => u.GetProperty("name").GetString()).ToList();
        Assert.All(names, n => Assert.EndsWith(" C", n, StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnitsStoredBeforeGenerationsAreReadAndReplacedByTheFirstImports()
    {
        await using var app = new QcdcAppFactory(azurite);
        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient(app.Names.Table(StorageNames.UnitsTable));
        await table.CreateIfNotExistsAsync(Ct);
        // The layout an older release wrote: the units and the version row in one partition.
        await table.AddEntityAsync(new TableEntity("unit", "P") { ["Name"] = "Tỉnh cũ", ["Kind"] = "province", ["ValidFrom"] = "2008-01-01" }, Ct);
        await table.AddEntityAsync(new TableEntity("unit", "~version") { ["Stamp"] = "old", ["ChangedAt"] = DateTimeOffset.UtcNow }, Ct);

        var client = app.CreateClient();
        Assert.Equal("Tỉnh cũ", (await (await client.GetAsync("/api/units/P", Ct)).ReadJsonAsync()).GetProperty("unit").GetProperty("name").GetString());

        var admin = app.CreateAdminClient();
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/manage/units", HttpJson.Body(Communes(2, "")), Ct)).StatusCode);
        Assert.Equal("Tỉnh", (await (await client.GetAsync("/api/units/P", Ct)).ReadJsonAsync()).GetProperty("unit").GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/manage/units", HttpJson.Body(Communes(3, "")), Ct)).StatusCode);

        var rows = await AllRowsAsync(app);
        Assert.Equal(["~version"], rows.Where(r => r.PartitionKey == "unit").Select(r => r.RowKey));
        Assert.Equal(3, (await (await client.GetAsync("/api/units?parent=P", Ct)).ReadJsonAsync()).GetProperty("units").GetArrayLength());
    }

    [Fact]
    public async Task AUnitsFileTakingLongerThanAnOrdinaryRequestsStorageBudgetIsImportedWhole()
    {
        // 1,000 communes are 11 transactions of 100 ms each: over the ordinary one-second budget, well within the import's own.
        await using var app = AppWith(azurite, new SlowBatches(TimeSpan.FromMilliseconds(100))).With("Storage:RequestBudget", "00:00:01");
        var admin = app.CreateAdminClient();

        var response = await admin.PostAsync("/api/manage/units", HttpJson.Body(Communes(999, "")), Ct);

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
        Assert.Equal(1000, (await response.ReadJsonAsync()).GetProperty("created").GetInt32());
        Assert.Equal(999, (await (await admin.GetAsync("/api/units?parent=P", Ct)).ReadJsonAsync()).GetProperty("units").GetArrayLength());
    }
}
