using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Sas;
using Microsoft.Extensions.Options;
using Qcdc.Storage;

namespace Qcdc.Attachments;

/// <summary>Where the user-delegation keys that sign SAS URLs come from (the seam tests replace).</summary>
public interface IUserDelegationKeySource
{
    /// <summary>A key valid at least until <paramref name="validUntil"/>.</summary>
    Task<UserDelegationKey> GetKeyAsync(DateTimeOffset validUntil, CancellationToken cancellationToken);
}

/// <summary>
/// Asks the storage account for a user-delegation key (Entra ID identity, role with
/// <c>generateUserDelegationKey</c>) and reuses it for hours: one key request signs every URL of that time.
/// </summary>
public sealed class UserDelegationKeyCache(BlobServiceClient blobs, TimeProvider time) : IUserDelegationKeySource
{
    /// <summary>How long a requested key is valid (the service allows up to 7 days).</summary>
    public static readonly TimeSpan KeyLifetime = TimeSpan.FromHours(6);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private UserDelegationKey? _key;

    public async Task<UserDelegationKey> GetKeyAsync(DateTimeOffset validUntil, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _key) is { } cached && cached.SignedExpiresOn >= validUntil)
        {
            return cached;
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_key is { } again && again.SignedExpiresOn >= validUntil)
            {
                return again;
            }
            var now = time.GetUtcNow();
            var expires = now + KeyLifetime > validUntil ? now + KeyLifetime : validUntil;
            // Starts a little in the past so that a clock a few minutes apart from the service's still accepts it.
            var key = await blobs.GetUserDelegationKeyAsync(new BlobGetUserDelegationKeyOptions(expires) { StartsOn = now.AddMinutes(-5) }, cancellationToken);
            Volatile.Write(ref _key, key.Value);
            return key.Value;
        }
        finally
        {
            _gate.Release();
        }
    }
}

/// <summary>A short-lived URL for one blob.</summary>
public sealed record SignedUrl(Uri Url, DateTimeOffset ExpiresAt);

/// <summary>
/// The only class that touches the attachments container: short-lived URLs for one blob (create-only for the
/// upload, read-only for the download), streaming reads and writes, deletion and listing. With a connection
/// string (Azurite, a single server) URLs are service SAS signed with the account key; with
/// <c>DefaultAzureCredential</c> and account URIs there is no key, and they are user-delegation SAS. A configured
/// public blob endpoint replaces the address clients are given (a single server whose storage listens on loopback
/// behind a public name).
/// </summary>
public sealed class AttachmentBlobs(BlobServiceClient blobs, StorageNames names, IUserDelegationKeySource keys, IOptions<AttachmentOptions> options, TimeProvider time)
{
    private const int BlockSize = 4 * 1024 * 1024;

    private BlobContainerClient Container { get; } = blobs.GetBlobContainerClient(names.Container(StorageNames.AttachmentsContainer));

    /// <summary>True when the storage the app talks to listens only on this machine's loopback address.</summary>
    public bool IsOnLoopback => Container.Uri.IsLoopback;

    /// <summary>Create only: the URL writes a new blob under this one name, cannot overwrite it, read it or list others.</summary>
    public Task<SignedUrl> UploadUrlAsync(string blobName, TimeSpan lifetime, CancellationToken cancellationToken) =>
        SignAsync(blobName, BlobSasPermissions.Create, lifetime, null, cancellationToken);

    /// <summary>Read only, answered with the original file name as Content-Disposition and the declared type.</summary>
    public Task<SignedUrl> DownloadUrlAsync(string blobName, string fileName, string contentType, TimeSpan lifetime, CancellationToken cancellationToken) =>
        SignAsync(blobName, BlobSasPermissions.Read, lifetime, sas =>
        {
            sas.ContentDisposition = ContentDisposition(fileName);
            sas.ContentType = contentType;
        }, cancellationToken);

    /// <summary>The blob's content as a stream and its ETag, or null when nothing was uploaded under the name.</summary>
    public async Task<(Stream Content, ETag ETag)?> OpenReadAsync(string blobName, CancellationToken cancellationToken)
    {
        try
        {
            var download = await Container.GetBlobClient(blobName).DownloadStreamingAsync(cancellationToken: cancellationToken);
            return (download.Value.Content, download.Value.Details.ETag);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>
    /// Streams <paramref name="content"/> into a new blob in 4 MiB blocks, one at a time (memory stays at a block or
    /// two whatever the file's size); null when a blob of that name exists already (it is never overwritten).
    /// </summary>
    public async Task<ETag?> UploadNewAsync(string blobName, Stream content, string contentType, CancellationToken cancellationToken)
    {
        try
        {
            var uploaded = await Container.GetBlockBlobClient(blobName).UploadAsync(content, new BlobUploadOptions
            {
                TransferOptions = new() { InitialTransferSize = BlockSize, MaximumTransferSize = BlockSize, MaximumConcurrency = 1 },
                HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
            }, cancellationToken);
            return uploaded.Value.ETag;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return null;
        }
    }

    /// <summary>Deletes a blob if it is there.</summary>
    public async Task DeleteAsync(string blobName, CancellationToken cancellationToken) =>
        await Container.GetBlobClient(blobName).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken);

    /// <summary>The names of every blob in the container.</summary>
    public async IAsyncEnumerable<string> ListNamesAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var blob in Container.GetBlobsAsync(cancellationToken: cancellationToken))
        {
            yield return blob.Name;
        }
    }

    /// <summary>
    /// <c>attachment; filename="…"; filename*=UTF-8''…</c> (RFC 6266): an ASCII stand-in for old clients and the
    /// exact Unicode name for the rest.
    /// </summary>
    public static string ContentDisposition(string fileName)
    {
        var ascii = new StringBuilder(fileName.Length);
        foreach (var c in fileName.Normalize(NormalizationForm.FormD))
        {
            if (c is >= ' ' and <= '~' and not '"' and not '\\')
            {
                ascii.Append(c);
            }
            else if (System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.NonSpacingMark)
            {
                ascii.Append(c is 'đ' ? 'd' : c is 'Đ' ? 'D' : '_');
            }
        }
        return $"attachment; filename=\"{ascii}\"; filename*=UTF-8''{Uri.EscapeDataString(fileName)}";
    }

    private async Task<SignedUrl> SignAsync(
        string blobName, BlobSasPermissions permissions, TimeSpan lifetime, Action<BlobSasBuilder>? configure, CancellationToken cancellationToken)
    {
        var blob = Container.GetBlobClient(blobName);
        var expires = time.GetUtcNow() + lifetime;
        var sas = new BlobSasBuilder(permissions, expires)
        {
            BlobContainerName = blob.BlobContainerName,
            BlobName = blob.Name,
            Resource = "b",
            Protocol = blob.Uri.Scheme == Uri.UriSchemeHttps ? SasProtocol.Https : SasProtocol.HttpsAndHttp,
        };
        configure?.Invoke(sas);
        Uri signed;
        if (blob.CanGenerateSasUri)
        {
            signed = blob.GenerateSasUri(sas);
        }
        else
        {
            var key = await keys.GetKeyAsync(expires, cancellationToken);
            signed = new BlobUriBuilder(blob.Uri) { Sas = sas.ToSasQueryParameters(key, blobs.AccountName) }.ToUri();
        }
        return new SignedUrl(Public(signed), expires);
    }

    /// <summary>The URL as clients reach it: the configured public endpoint's scheme, host, port and path prefix.</summary>
    private Uri Public(Uri signed)
    {
        if (options.Value.PublicBlobEndpoint is not { } endpoint)
        {
            return signed;
        }
        var service = blobs.Uri.AbsolutePath.TrimEnd('/');
        var rest = signed.AbsolutePath[service.Length..];
        return new UriBuilder(endpoint) { Path = endpoint.AbsolutePath.TrimEnd('/') + rest, Query = signed.Query.TrimStart('?') }.Uri;
    }
}
