using Azure.Data.Tables;
using Qcdc.Storage;

namespace Qcdc.Submissions;

/// <summary>
/// Which (form, period) partitions changed since their last rollup. The mark is a row of the submission partition
/// itself (<c>M|changed</c>), upserted in the same transaction as the change, so it can never be lost to a crash
/// and costs no storage transaction of its own. A rollup compares it with the time of its last run.
/// </summary>
public sealed class ChangeMarkers(TableServiceClient tables, StorageNames names)
{
    public const string Row = "M|changed";

    private TableClient Table => tables.GetTableClient(names.Table(StorageNames.SubmissionsTable));

    public static TableTransactionAction Mark(string partition, DateTimeOffset at) =>
        new(TableTransactionActionType.UpsertReplace, new TableEntity(partition, Row) { ["ChangedAt"] = at });

    /// <summary>When the partition last changed, or null if it never did (one point read).</summary>
    public async Task<DateTimeOffset?> LastChangeAsync(string form, string period, CancellationToken cancellationToken)
    {
        var mark = await Table.GetEntityIfExistsAsync<TableEntity>($"{form}|{period}", Row, ["ChangedAt"], cancellationToken);
        return mark.HasValue ? mark.Value!.GetDateTimeOffset("ChangedAt") : null;
    }
}
