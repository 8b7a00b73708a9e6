namespace Qcdc.Attachments;

/// <summary>How clients upload and download attachments.</summary>
public enum AttachmentTransfer
{
    /// <summary>Signed storage URLs, unless storage listens only on loopback and the caller is elsewhere (then the API's route).</summary>
    Auto,
    /// <summary>Always signed storage URLs.</summary>
    Direct,
    /// <summary>Always the API's content route (behind a reverse proxy on a single server).</summary>
    ThroughApi,
}

/// <summary>Limits and lifetimes of report attachments. Bound from the <c>Attachments</c> configuration section.</summary>
public sealed class AttachmentOptions
{
    public const string Section = "Attachments";

    /// <summary>Largest file accepted, in bytes (default 25 MiB).</summary>
    public long MaxSizeBytes { get; set; } = 25 * 1024 * 1024;

    /// <summary>Attachments one report may hold (declared or available).</summary>
    public int MaxPerSubmission { get; set; } = 20;

    /// <summary>How long an upload URL stays valid.</summary>
    public TimeSpan UploadUrlLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a download URL stays valid.</summary>
    public TimeSpan DownloadUrlLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A declared attachment not completed within this time is removed by the cleanup job.</summary>
    public TimeSpan AbandonedAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// The address clients are given for attachment URLs instead of the storage's own (a single server whose
    /// storage listens on loopback behind a public name, e.g. <c>https://qcdc.laichau.gov.vn/blobs</c>).
    /// </summary>
    public Uri? PublicBlobEndpoint { get; set; }

    /// <summary>How clients move files: straight to storage with a signed URL, or through the API's content route.</summary>
    public AttachmentTransfer Transfer { get; set; } = AttachmentTransfer.Auto;

    /// <summary>Names each setting that is wrong; empty when the options can be used.</summary>
    public IEnumerable<string> Problems()
    {
        if (MaxSizeBytes is < 1024 or > 4L * 1024 * 1024 * 1024)
        {
            yield return "Attachments:MaxSizeBytes must be between 1 KiB and 4 GiB.";
        }
        if (MaxPerSubmission is < 1 or > 1000)
        {
            yield return "Attachments:MaxPerSubmission must be between 1 and 1000.";
        }
        if (UploadUrlLifetime < TimeSpan.FromMinutes(1) || UploadUrlLifetime > TimeSpan.FromHours(24)
            || DownloadUrlLifetime < TimeSpan.FromMinutes(1) || DownloadUrlLifetime > TimeSpan.FromHours(24))
        {
            yield return "Attachments:UploadUrlLifetime and DownloadUrlLifetime must be between 1 minute and 24 hours.";
        }
        if (PublicBlobEndpoint is { IsAbsoluteUri: false })
        {
            yield return "Attachments:PublicBlobEndpoint must be an absolute URL.";
        }
        if (AbandonedAfter < UploadUrlLifetime)
        {
            yield return "Attachments:AbandonedAfter must be at least the upload URL lifetime.";
        }
    }
}
