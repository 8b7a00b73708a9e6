using Azure;
using Azure.Data.Tables;
using Qcdc.Storage;

namespace Qcdc.Tests.Infrastructure;

/// <summary>
/// Every row and blob the app has stored, with its entity tag: two equal snapshots mean nothing was written in
/// between (what a refused request must leave).
/// </summary>
public static class StorageSnapshot
{
    public static async Task<IReadOnlyList<string>> TakeAsync(QcdcAppFactory app, CancellationToken cancellationToken)
    {
        var items = new List<string>();
        foreach (var table in StorageNames.AllTables)
        {
            var client = app.Tables.GetTableClient(app.Names.Table(table));
            try
            {
                await foreach (var row in client.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
                {
                    items.Add($"{table}/{row.PartitionKey}/{row.RowKey} {row.ETag}");
                }
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // Not created yet.
            }
        }
        foreach (var container in StorageNames.AllContainers)
        {
            var client = app.Blobs.GetBlobContainerClient(app.Names.Container(container));
            if (!await client.ExistsAsync(cancellationToken))
            {
                continue;
            }
            await foreach (var blob in client.GetBlobsAsync(cancellationToken: cancellationToken))
            {
                items.Add($"{container}/{blob.Name} {blob.Properties.ETag}");
            }
        }
        items.Sort(StringComparer.Ordinal);
        return items;
    }
}
