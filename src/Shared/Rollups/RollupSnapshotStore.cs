using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Qcdc.Storage;

namespace Qcdc.Rollups;

/// <summary>A snapshot as stored: its content (when read), its blob ETag, and the stamp it was computed from.</summary>
public sealed record StoredSnapshot(RollupSnapshot Snapshot, ETag ETag);

/// <summary>A snapshot's bytes as stored, with the change stamp it was computed from (its blob metadata).</summary>
public sealed record StoredBytes(ReadOnlyMemory<byte> Content, ETag ETag, string Stamp);

/// <summary>
/// The only class that touches the rollups container: one compressed blob per (form, period), written whole with a
/// condition on the previous blob's ETag (or on there being none), so that two instances never interleave and a run
/// that stops part-way leaves the previous snapshot as it was.
/// </summary>
public sealed class RollupSnapshotStore(BlobServiceClient blobs, StorageNames names)
{
    private BlobContainerClient Container { get; } = blobs.GetBlobContainerClient(names.Container(StorageNames.RollupsContainer));

    public static string BlobName(string form, string period) => $"{form}/{period}.snap";

    /// <summary>
    /// The snapshot of a (form, period), or null when there is none. With the ETag of a copy already held, an
    /// unchanged blob is not downloaded again (answers <paramref name="held"/>).
    /// </summary>
    public async Task<StoredSnapshot?> GetAsync(string form, string period, StoredSnapshot? held, CancellationToken cancellationToken)
    {
        var blob = Container.GetBlobClient(BlobName(form, period));
        try
        {
            var download = await blob.DownloadContentAsync(new BlobDownloadOptions
            {
                Conditions = held is null ? null : new BlobRequestConditions { IfNoneMatch = held.ETag },
            }, cancellationToken);
            if (download.GetRawResponse().Status == 304)
            {
                return held; // unchanged: answered without a body
            }
            return new StoredSnapshot(RollupSnapshotCodec.Decode(download.Value.Content.ToMemory()), download.Value.Details.ETag);
        }
        catch (RequestFailedException e) when (e.Status == 304)
        {
            return held;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>A snapshot's bytes and stamp, not decoded (a longer period reads its quarters this way); null when there is none.</summary>
    public async Task<StoredBytes?> GetBytesAsync(string form, string period, CancellationToken cancellationToken)
    {
        try
        {
            var download = await Container.GetBlobClient(BlobName(form, period)).DownloadContentAsync(cancellationToken);
            var stamp = download.Value.Details.Metadata.TryGetValue("stamp", out var s) ? s : "";
            return new StoredBytes(download.Value.Content.ToMemory(), download.Value.Details.ETag, stamp);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>The ETag of the stored snapshot, or null when there is none (one metadata read).</summary>
    public async Task<ETag?> GetETagAsync(string form, string period, CancellationToken cancellationToken)
    {
        try
        {
            var properties = await Container.GetBlobClient(BlobName(form, period)).GetPropertiesAsync(cancellationToken: cancellationToken);
            return properties.Value.ETag;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>
    /// Writes the snapshot if the stored one is still <paramref name="previous"/> (null: if there is none); answers the
    /// new ETag, or null when another writer got there first.
    /// </summary>
    public async Task<ETag?> PutAsync(RollupSnapshot snapshot, ETag? previous, CancellationToken cancellationToken)
    {
        var content = RollupSnapshotCodec.EncodeStored(snapshot);
        try
        {
            var written = await Container.GetBlobClient(BlobName(snapshot.Form, snapshot.Period)).UploadAsync(new BinaryData(content), new BlobUploadOptions
            {
                Conditions = previous is { } etag ? new BlobRequestConditions { IfMatch = etag } : new BlobRequestConditions { IfNoneMatch = ETag.All },
                HttpHeaders = new BlobHttpHeaders { ContentType = "application/octet-stream", ContentEncoding = null },
                Metadata = new Dictionary<string, string> { ["stamp"] = snapshot.Stamp, ["final"] = snapshot.Final ? "true" : "false" },
            }, cancellationToken);
            return written.Value.ETag;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return null;
        }
    }

    /// <summary>Every stored snapshot's (form, period), with the stamp it was computed from and whether it was final.</summary>
    public async Task<IReadOnlyList<(string Form, string Period, string Stamp, bool Final)>> ListAsync(CancellationToken cancellationToken)
    {
        var list = new List<(string, string, string, bool)>();
        await foreach (var blob in Container.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata }, cancellationToken))
        {
            var slash = blob.Name.IndexOf('/', StringComparison.Ordinal);
            if (slash > 0 && blob.Name.EndsWith(".snap", StringComparison.Ordinal))
            {
                var stamp = blob.Metadata.TryGetValue("stamp", out var s) ? s : "";
                var final = blob.Metadata.TryGetValue("final", out var f) && f == "true";
                list.Add((blob.Name[..slash], blob.Name[(slash + 1)..^".snap".Length], stamp, final));
            }
        }
        return list;
    }
}
