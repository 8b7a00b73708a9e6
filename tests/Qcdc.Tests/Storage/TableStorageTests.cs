using Azure;
using Azure.Data.Tables;
using Qcdc.Tests.Infrastructure;

namespace Qcdc.Tests.Storage;

/// <summary>
/// Azure.Data.Tables against Azurite: what the stores rely on, case by case, and the defects of the hand-written
/// client that replaced it for a while (ADR-010), each shown not to return.
/// </summary>
public sealed class TableStorageTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<TableClient> NewTableAsync()
    {
        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient(AzuriteFixture.UniquePrefix() + "Tbl");
        await table.CreateIfNotExistsAsync(Ct);
        return table;
    }

    [Fact]
    public async Task EveryStoredTypeComesBackAsItWasWritten()
    {
        var table = await NewTableAsync();
        var at = new DateTimeOffset(2024, 9, 10, 10, 0, 0, 123, TimeSpan.FromHours(7)).AddTicks(4567);
        var id = Guid.NewGuid();
        await table.AddEntityAsync(new TableEntity("LC|2024Q3", "S|LC-X-BINHLU")
        {
            ["Text"] = "Xã Bình Lư — \"dân biết, dân bàn\"",
            ["Int"] = -42,
            ["Big"] = 5_000_000_000L,
            ["Ratio"] = 0.1 + 0.2,
            ["Whole"] = 3.0,
            ["Flag"] = true,
            ["At"] = at,
            ["Id"] = id,
            ["Bytes"] = new byte[] { 0, 1, 254, 255 },
            ["Missing"] = null,
        }, Ct);

        var read = await table.GetEntityIfExistsAsync<TableEntity>("LC|2024Q3", "S|LC-X-BINHLU", cancellationToken: Ct);

        Assert.True(read.HasValue);
        var e = read.Value!;
        Assert.Equal("Xã Bình Lư — \"dân biết, dân bàn\"", e.GetString("Text"));
        Assert.Equal(-42, e.GetInt32("Int"));
        Assert.Equal(5_000_000_000L, e.GetInt64("Big"));
        Assert.Equal(0.1 + 0.2, e.GetDouble("Ratio"));
        Assert.Equal(3.0, e.GetDouble("Whole"));
        Assert.True(e.GetBoolean("Flag"));
        Assert.Equal(at, e.GetDateTimeOffset("At"));
        Assert.Equal(TimeSpan.Zero, e.GetDateTimeOffset("At")!.Value.Offset);
        Assert.Equal(id, e.GetGuid("Id"));
        Assert.Equal(new byte[] { 0, 1, 254, 255 }, e.GetBinary("Bytes"));
        Assert.Null(e["Missing"]);
        Assert.NotEqual(default, e.ETag);
        Assert.NotNull(e.Timestamp);
    }

    [Fact]
    public async Task KeysWithQuotesBarsAndVietnameseAreAddressedExactly()
    {
        var table = await NewTableAsync();
        string[] rows = ["I|O'Brien|x", "A|đợt 1|ý kiến", "R|LC-X|000001"];
        foreach (var row in rows)
        {
            await table.AddEntityAsync(new TableEntity("P|'q'", row) { ["Row"] = row }, Ct);
        }

        foreach (var row in rows)
        {
            var read = await table.GetEntityIfExistsAsync<TableEntity>("P|'q'", row, ["Row"], Ct);
            Assert.Equal(row, read.Value!.GetString("Row"));
        }
        var filtered = await table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"P|'q'"} and RowKey eq {rows[0]}"), cancellationToken: Ct).ToListAsync(Ct);
        Assert.Equal([rows[0]], filtered.Select(e => e.RowKey));
        Assert.False((await table.GetEntityIfExistsAsync<TableEntity>("P|'q'", "nothing", cancellationToken: Ct)).HasValue);
        var missing = await Assert.ThrowsAsync<RequestFailedException>(() => table.GetEntityAsync<TableEntity>("P|'q'", "nothing", cancellationToken: Ct));
        Assert.Equal(404, missing.Status);
    }

    [Fact]
    public async Task AQueryLongerThanAPageIsFollowedToItsEndInKeyOrder()
    {
        var table = await NewTableAsync();
        var actions = Enumerable.Range(0, 95).Select(i => new TableTransactionAction(TableTransactionActionType.Add,
            new TableEntity("P", $"S|{i:D3}") { ["N"] = i, ["Skip"] = "x" })).ToList();
        await table.SubmitTransactionAsync(actions, Ct);

        var pages = await table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"P"} and RowKey gt {"S|"} and RowKey lt {"S|~"}"),
            maxPerPage: 40, select: ["N"], cancellationToken: Ct).AsPages().ToListAsync(Ct);

        Assert.Equal([40, 40, 15], pages.Select(p => p.Values.Count));
        var all = pages.SelectMany(p => p.Values).ToList();
        Assert.Equal(Enumerable.Range(0, 95), all.Select(e => e.GetInt32("N")!.Value));
        Assert.All(all, e => Assert.Null(e["Skip"]));
    }

    [Fact]
    public async Task AStaleVersionIsRefusedAndTheCurrentOneAccepted()
    {
        var table = await NewTableAsync();
        await table.AddEntityAsync(new TableEntity("P", "R") { ["V"] = 1 }, Ct);
        var first = (await table.GetEntityAsync<TableEntity>("P", "R", cancellationToken: Ct)).Value;
        var written = await table.UpdateEntityAsync(new TableEntity("P", "R") { ["V"] = 2 }, first.ETag, TableUpdateMode.Replace, Ct);

        var stale = await Assert.ThrowsAsync<RequestFailedException>(() =>
            table.UpdateEntityAsync(new TableEntity("P", "R") { ["V"] = 3 }, first.ETag, TableUpdateMode.Replace, Ct));
        var exists = await Assert.ThrowsAsync<RequestFailedException>(() => table.AddEntityAsync(new TableEntity("P", "R"), Ct));
        await table.UpdateEntityAsync(new TableEntity("P", "R") { ["W"] = "merged" }, written.Headers.ETag!.Value, TableUpdateMode.Merge, Ct);

        Assert.Equal(412, stale.Status);
        Assert.Equal(409, exists.Status);
        Assert.Equal("EntityAlreadyExists", exists.ErrorCode);
        var now = (await table.GetEntityAsync<TableEntity>("P", "R", cancellationToken: Ct)).Value;
        Assert.Equal((2, "merged"), (now.GetInt32("V"), now.GetString("W")));
    }

    [Fact]
    public async Task ATransactionWithOneRefusedActionChangesNothingAndNamesTheAction()
    {
        var table = await NewTableAsync();
        await table.AddEntityAsync(new TableEntity("P", "exists"), Ct);

        var refused = await Assert.ThrowsAsync<TableTransactionFailedException>(() => table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("P", "new")),
            new(TableTransactionActionType.UpsertReplace, new TableEntity("P", "mark") { ["Stamp"] = "a" }),
            new(TableTransactionActionType.Add, new TableEntity("P", "exists")),
        ], Ct));

        Assert.Equal(409, refused.Status);
        Assert.Equal(2, refused.FailedTransactionActionIndex);
        Assert.False((await table.GetEntityIfExistsAsync<TableEntity>("P", "new", cancellationToken: Ct)).HasValue);
        Assert.False((await table.GetEntityIfExistsAsync<TableEntity>("P", "mark", cancellationToken: Ct)).HasValue);

        var stale = await Assert.ThrowsAsync<TableTransactionFailedException>(() => table.SubmitTransactionAsync(
            [new(TableTransactionActionType.UpdateReplace, new TableEntity("P", "exists"), new ETag("W/\"datetime'2000-01-01T00%3A00%3A00.0000000Z'\""))], Ct));
        Assert.Equal(412, stale.Status);
    }

    [Fact]
    public async Task DeletingAGoneRowIsNotAnErrorAndCreatingAnExistingTableNeither()
    {
        var table = await NewTableAsync();
        await table.UpsertEntityAsync(new TableEntity("P", "R") { ["V"] = 1 }, TableUpdateMode.Replace, Ct);
        await table.DeleteEntityAsync("P", "R", ETag.All, Ct);
        await table.DeleteEntityAsync("P", "R", ETag.All, Ct);
        await table.CreateIfNotExistsAsync(Ct);

        Assert.False((await table.GetEntityIfExistsAsync<TableEntity>("P", "R", cancellationToken: Ct)).HasValue);
        await table.DeleteAsync(Ct);
        var gone = await Assert.ThrowsAsync<RequestFailedException>(() => table.AddEntityAsync(new TableEntity("P", "R"), Ct));
        Assert.Equal("TableNotFound", gone.ErrorCode);
    }

    [Fact]
    public async Task AWrongAccountKeyIsRefusedByTheService()
    {
        var wrongKey = System.Text.RegularExpressions.Regex.Replace(azurite.ConnectionString, "AccountKey=[^;]+",
            "AccountKey=" + Convert.ToBase64String(new byte[64]));
        var table = new TableServiceClient(wrongKey).GetTableClient("probe");

        var refused = await Assert.ThrowsAsync<RequestFailedException>(() => table.CreateIfNotExistsAsync(Ct));

        Assert.Equal(403, refused.Status);
    }

    [Fact]
    public async Task AShortLivedSharedAccessSignatureReachesTheTable()
    {
        var table = await NewTableAsync();
        await table.AddEntityAsync(new TableEntity("P", "R") { ["V"] = 7 }, Ct);
        var sas = new TableServiceClient(azurite.ConnectionString)
            .GenerateSasUri(Azure.Data.Tables.Sas.TableAccountSasPermissions.All, Azure.Data.Tables.Sas.TableAccountSasResourceTypes.All,
                DateTimeOffset.UtcNow.AddMinutes(10));
        var tableEndpoint = System.Text.RegularExpressions.Regex.Match(azurite.ConnectionString, "TableEndpoint=([^;]+)").Groups[1].Value;
        var viaSas = new TableServiceClient($"TableEndpoint={tableEndpoint};SharedAccessSignature={sas.Query.TrimStart('?')}")
            .GetTableClient(table.Name);

        var read = await viaSas.GetEntityAsync<TableEntity>("P", "R", cancellationToken: Ct);
        await viaSas.UpsertEntityAsync(new TableEntity("P", "S") { ["V"] = 8 }, TableUpdateMode.Replace, Ct);

        Assert.Equal(7, read.Value.GetInt32("V"));
        Assert.Equal(8, (await table.GetEntityAsync<TableEntity>("P", "S", cancellationToken: Ct)).Value.GetInt32("V"));
    }

    [Fact]
    public async Task ANoticeSentAfterAFailedAttemptNoLongerCarriesTheError()
    {
        var names = new Qcdc.Storage.StorageNames(AzuriteFixture.UniquePrefix());
        var tables = new TableServiceClient(azurite.ConnectionString);
        await tables.GetTableClient(names.Table(Qcdc.Storage.StorageNames.NotificationsTable)).CreateIfNotExistsAsync(Ct);
        var store = new Qcdc.Notifications.NotificationStore(tables, names);
        var now = DateTimeOffset.UtcNow;
        await store.AddAsync(new Qcdc.Notifications.Notice("n1", Qcdc.Notifications.NoticeKind.Returned, "LC-X-BINHLU", "QCDC-Q", "2026Q4",
            "Báo cáo bị trả lại", "…", Qcdc.Notifications.NoticeStatus.Pending, 0, now, now, null, null, [], []), Ct);

        await store.MarkFailedAttemptAsync("n1", "smtp: connection refused", now, givenUp: false, [], Ct);
        await store.MarkSentAsync("n1", now, ["email"], Ct);

        var notice = Assert.Single(await store.ListAsync(null, 10, Ct));
        Assert.Equal(Qcdc.Notifications.NoticeStatus.Sent, notice.Status);
        Assert.Null(notice.LastError);
    }

    [Fact]
    public void FilterHolesBecomeODataLiterals()
    {
        var at = new DateTimeOffset(2024, 9, 10, 10, 0, 0, TimeSpan.FromHours(7));
        Assert.Equal("PartitionKey eq 'O''Brien' and At lt datetime'2024-09-10T03:00:00Z' and N ge 5 and Big eq 7L and Ok eq true",
            TableClient.CreateQueryFilter($"PartitionKey eq {"O'Brien"} and At lt {at} and N ge {5} and Big eq {7L} and Ok eq {true}"));
    }
}
