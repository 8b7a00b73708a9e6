using System.Text.Json.Serialization;
using Azure;
using Qcdc.Json;
using Qcdc.Submissions;

namespace Qcdc.Attachments;

[JsonConverter(typeof(KebabCaseEnumConverter<AttachmentStatus>))]
public enum AttachmentStatus
{
    /// <summary>Declared; waiting for its upload and its completion.</summary>
    Declared,
    /// <summary>Uploaded and verified: size, SHA-256 and type match the declaration.</summary>
    Available,
    /// <summary>The upload did not match its declaration; its blob was deleted.</summary>
    Rejected,
}

/// <summary>Why an upload was refused.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<RejectReason>))]
public enum RejectReason
{
    SizeMismatch,
    HashMismatch,
    TypeMismatch,
}

/// <summary>What the client says it will upload.</summary>
public sealed record AttachmentDeclaration(string FileName, string ContentType, long Size, string Sha256);

/// <summary>
/// One file of a report. Its blob name is generated from the report's key and a random id, so that nothing the
/// client sends (least of all the file name) becomes part of a storage path.
/// </summary>
public sealed record Attachment(
    SubmissionKey Submission,
    string Id,
    string FileName,
    string ContentType,
    long Size,
    string Sha256,
    AttachmentStatus Status,
    DateTimeOffset DeclaredAt,
    string DeclaredBy,
    DateTimeOffset? CompletedAt = null,
    RejectReason? RejectReason = null,
    string? BlobETag = null)
{
    /// <summary>The table row's ETag (for conditional updates); not part of the attachment's data.</summary>
    public ETag RowETag { get; init; }

    public string BlobName => BlobNameOf(Submission, Id);

    public static string BlobNameOf(SubmissionKey key, string id) => $"{key.Form}/{key.Period}/{key.Unit}/{id}";

    /// <summary>The report and id a blob name was made from, or null if the name is not one this app generates.</summary>
    public static (SubmissionKey Key, string Id)? ParseBlobName(string blobName)
    {
        var parts = blobName.Split('/');
        return parts.Length == 4 && parts.All(p => p.Length > 0) ? (new SubmissionKey(parts[0], parts[1], parts[2]), parts[3]) : null;
    }
}
