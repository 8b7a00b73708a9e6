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

    private TableClient Table { get; } = tables.GetTableClient(names.Table(StorageNames.SubmissionsTable));

    public static TableTransactionAction Mark(string partition, DateTimeOffset at) =>
        new(TableTransactionActionType.UpsertReplace, new TableEntity(partition, Row) { ["ChangedAt"] = at, ["Stamp"] = Guid.NewGuid().ToString("N") });

    /// <summary>The partition's last change: a stamp new with every change, and its time; null if it never changed (one point read).</summary>
    public async Task<(string Stamp, DateTimeOffset ChangedAt)?> LastChangeAsync(string form, string period, CancellationToken cancellationToken)
    {
        var mark = await Table.GetEntityIfExistsAsync<TableEntity>($"{form}|{period}", Row, ["ChangedAt", "Stamp"], cancellationToken);
        return mark.HasValue ? (mark.Value!.GetString("Stamp"), mark.Value.GetDateTimeOffset("ChangedAt") ?? DateTimeOffset.MinValue) : null;
    }
}
