using System.Text;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
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
/// Short-lived URLs for one attachment's blob: create-only for the upload, read-only for the download. With a
/// connection string (Azurite, a single server) they are service SAS signed with the account key; with
/// <c>DefaultAzureCredential</c> and account URIs there is no key, and they are user-delegation SAS.
/// </summary>
public sealed class AttachmentUrls(BlobServiceClient blobs, StorageNames names, IUserDelegationKeySource keys, TimeProvider time)
{
    private BlobContainerClient Container { get; } = blobs.GetBlobContainerClient(names.Container(StorageNames.AttachmentsContainer));

    /// <summary>Create only: the URL writes a new blob under this one name, cannot overwrite it, read it or list others.</summary>
    public Task<SignedUrl> UploadAsync(string blobName, TimeSpan lifetime, CancellationToken cancellationToken) =>
        SignAsync(blobName, BlobSasPermissions.Create, lifetime, null, cancellationToken);

    /// <summary>Read only, answered with the original file name as Content-Disposition and the declared type.</summary>
    public Task<SignedUrl> DownloadAsync(string blobName, string fileName, string contentType, TimeSpan lifetime, CancellationToken cancellationToken) =>
        SignAsync(blobName, BlobSasPermissions.Read, lifetime, sas =>
        {
            sas.ContentDisposition = ContentDisposition(fileName);
            sas.ContentType = contentType;
        }, cancellationToken);

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
        if (blob.CanGenerateSasUri)
        {
            return new SignedUrl(blob.GenerateSasUri(sas), expires);
        }
        var key = await keys.GetKeyAsync(expires, cancellationToken);
        var uri = new BlobUriBuilder(blob.Uri) { Sas = sas.ToSasQueryParameters(key, blobs.AccountName) };
        return new SignedUrl(uri.ToUri(), expires);
    }
}
