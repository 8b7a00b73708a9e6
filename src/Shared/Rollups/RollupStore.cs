using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Qcdc.Storage;

namespace Qcdc.Rollups;

/// <summary>A stored rollup of one unit, as the API returns it.</summary>
public sealed record StoredRollup(
    string Form, string Period, string Unit, JsonObject Values, Completeness Completeness, DateTimeOffset ComputedAt, IReadOnlyList<string> Notes);

/// <summary>Rollups in one partition per (form, period), one row per unit, written in 100-entity transactions.</summary>
public sealed class RollupStore(TableServiceClient tables, StorageNames names)
{
    private TableClient Table { get; } = tables.GetTableClient(names.Table(StorageNames.RollupsTable));

    private static string Partition(string form, string period) => StorageKeys.FormPeriod(form, period);

    public async Task<StoredRollup?> GetAsync(string form, string period, string unit, CancellationToken cancellationToken)
    {
        var entity = await Table.GetEntityIfExistsAsync<TableEntity>(Partition(form, period), unit, cancellationToken: cancellationToken);
        if (!entity.HasValue)
        {
            return null;
        }
        return FromEntity(form, period, entity.Value!);
    }

    /// <summary>Every unit's rollup of one (form, period), read in pages of 1,000.</summary>
    public async Task<(Dictionary<string, StoredRollup> Rollups, int Reads)> ReadAllAsync(string form, string period, CancellationToken cancellationToken)
    {
        var rollups = new Dictionary<string, StoredRollup>(StringComparer.Ordinal);
        var reads = 0;
        await foreach (var page in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition(form, period)} and RowKey lt {"~"}"),
            maxPerPage: 1000, cancellationToken: cancellationToken).AsPages(pageSizeHint: 1000))
        {
            reads++;
            foreach (var entity in page.Values)
            {
                rollups[entity.RowKey] = FromEntity(form, period, entity);
            }
        }
        return (rollups, reads);
    }

    private static StoredRollup FromEntity(string form, string period, TableEntity e)
    {
        return new StoredRollup(form, period, e.RowKey,
            JsonNode.Parse(e.GetString("Values"))!.AsObject(),
            new Completeness(e.GetInt32("Expected") ?? 0, e.GetInt32("Submitted") ?? 0, e.GetInt32("OnTime") ?? 0, e.GetInt32("Late") ?? 0,
                JsonSerializer.Deserialize(e.GetString("Missing") ?? "[]", Qcdc.Json.QcdcJson.Context.ListString) ?? []),
            e.GetDateTimeOffset("ComputedAt") ?? DateTimeOffset.MinValue,
            JsonSerializer.Deserialize(e.GetString("Notes") ?? "[]", Qcdc.Json.QcdcJson.Context.ListString) ?? []);
    }

    private const string RunRow = "~run";

    /// <summary>The change mark a partition's last rollup was computed from, and whether that rollup was final.</summary>
    public async Task<(string? SourceStamp, bool Final)> GetRunAsync(string form, string period, CancellationToken cancellationToken)
    {
        var run = await Table.GetEntityIfExistsAsync<TableEntity>(Partition(form, period), RunRow, cancellationToken: cancellationToken);
        return run.HasValue ? (run.Value!.GetString("SourceStamp"), run.Value.GetBoolean("Final") ?? false) : (null, false);
    }

    public async Task SetRunAsync(string form, string period, string? sourceStamp, bool final, DateTimeOffset computedAt, CancellationToken cancellationToken) =>
        await Table.UpsertEntityAsync(new TableEntity(Partition(form, period), RunRow)
        {
            ["SourceStamp"] = sourceStamp,
            ["Final"] = final,
            ["ComputedAt"] = computedAt,
        }, TableUpdateMode.Replace, cancellationToken);

    /// <summary>Batch transactions in flight at once: storage handles them in parallel, and the rollup waits less.</summary>
    private const int ConcurrentBatches = 4;

    /// <summary>
    /// Writes every unit's rollup in full 100-entity transactions, a few at a time; returns the number of
    /// transactions. Each row is replaced whole, so a write interrupted part-way and done again leaves exactly
    /// what an uninterrupted one leaves.
    /// </summary>
    public async Task<int> WriteAsync(string form, string period, IReadOnlyList<UnitRollup> rollups, DateTimeOffset computedAt, CancellationToken cancellationToken)
    {
        var batches = rollups.Chunk(100).ToList();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = ConcurrentBatches, CancellationToken = cancellationToken },
            async (batch, ct) => await Table.SubmitTransactionAsync(batch.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                new TableEntity(Partition(form, period), r.Unit)
                {
                    ["Values"] = r.Values.ToJsonString(),
                    ["Expected"] = r.Completeness.Expected,
                    ["Submitted"] = r.Completeness.Submitted,
                    ["OnTime"] = r.Completeness.OnTime,
                    ["Late"] = r.Completeness.Late,
                    ["Missing"] = JsonSerializer.Serialize([.. r.Completeness.Missing], Qcdc.Json.QcdcJson.Context.ListString),
                    ["ComputedAt"] = computedAt,
                    ["Notes"] = r.Notes is { Count: > 0 } notes ? JsonSerializer.Serialize([.. notes], Qcdc.Json.QcdcJson.Context.ListString) : null,
                })), ct));
        return batches.Count;
    }
}
