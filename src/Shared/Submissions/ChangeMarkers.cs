using Azure.Data.Tables;
using Qcdc.Storage;

namespace Qcdc.Submissions;

/// <summary>
/// Records which (form, period) partitions changed since their last rollup. The mark is written before the
/// submission itself, so a crash can leave an extra mark (a harmless recompute) but never a change without one.
/// </summary>
public sealed class ChangeMarkers(TableServiceClient tables, StorageNames names, TimeProvider time)
{
    public const string Partition = "changed";

    private TableClient Table => tables.GetTableClient(names.Table(StorageNames.ChangesTable));

    public async Task MarkAsync(string form, string period, CancellationToken cancellationToken) =>
        await Table.UpsertEntityAsync(new TableEntity(Partition, $"{form}|{period}")
        {
            ["Form"] = form,
            ["Period"] = period,
            ["ChangedAt"] = time.GetUtcNow(),
        }, TableUpdateMode.Replace, cancellationToken);

    public async Task<IReadOnlyList<(string Form, string Period, DateTimeOffset ChangedAt)>> ListAsync(CancellationToken cancellationToken)
    {
        var marks = new List<(string, string, DateTimeOffset)>();
        await foreach (var e in Table.QueryAsync<TableEntity>(e => e.PartitionKey == Partition, cancellationToken: cancellationToken))
        {
            marks.Add((e.GetString("Form"), e.GetString("Period"), e.GetDateTimeOffset("ChangedAt") ?? DateTimeOffset.MinValue));
        }
        return marks;
    }
}
