using Azure.Data.Tables;
using Azure.Storage.Blobs;

namespace Qcdc.Storage;

public sealed record StorageHealthReport(bool TablesReachable, bool BlobsReachable)
{
    public bool Healthy => TablesReachable && BlobsReachable;
}

/// <summary>Checks that both storage services answer, with a short time limit so that a probe never hangs.</summary>
public sealed class StorageHealth(TableServiceClient tables, BlobServiceClient blobs, StorageNames names)
{
    public static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(3);

    public async Task<StorageHealthReport> CheckAsync(CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeLimit);
        var tablesReachable = ProbeAsync(async ct =>
        {
            await foreach (var _ in tables.QueryAsync(maxPerPage: 1, cancellationToken: ct).AsPages(pageSizeHint: 1))
            {
                break;
            }
        }, limit.Token);
        var blobsReachable = ProbeAsync(
            ct => blobs.GetBlobContainerClient(names.Container(StorageNames.JobsContainer)).ExistsAsync(ct),
            limit.Token);
        var results = await Task.WhenAll(tablesReachable, blobsReachable);
        cancellationToken.ThrowIfCancellationRequested();
        return new StorageHealthReport(results[0], results[1]);
    }

    private static async Task<bool> ProbeAsync(Func<CancellationToken, Task> probe, CancellationToken cancellationToken)
    {
        try
        {
            await probe(cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (Exception exception) when (StorageFailures.IsUnavailable(exception) || exception is Azure.RequestFailedException)
        {
            return false;
        }
    }
}
