using System.Text;
using System.Text.Json;
using Azure;
using Microsoft.Extensions.Options;
using Qcdc.Localization;
using Qcdc.Problems;
using Qcdc.Security;
using Qcdc.Submissions;

namespace Qcdc.Attachments;

/// <summary>
/// What an attachment request did: the attachment (with a signed URL when one was issued), or why not. A rejected
/// upload carries both the refusal and the attachment it rejected.
/// </summary>
public sealed record AttachmentResult(Attachment? Attachment, SignedUrl? Url = null, bool Created = false, bool Replayed = false, Refusal? Refusal = null)
{
    public static AttachmentResult Refuse(RefusalKind kind, LocalizedText message, Attachment? attachment = null) =>
        new(attachment, Refusal: Refusal.Of(kind, message));
}

/// <summary>
/// Files of a report in Blob Storage, uploaded by the client straight to a short-lived create-only URL (or
/// streamed through the app), then verified against their declaration (size, SHA-256, first bytes) before they
/// count. Attachments follow their report: they change only while it is a draft or returned, by whoever may
/// write it.
/// </summary>
public sealed class AttachmentService(
    AttachmentStore store,
    AttachmentBlobs blobs,
    SubmissionService submissions,
    IOptions<AttachmentOptions> options,
    TimeProvider time)
{
    /// <summary>Longest file name kept.</summary>
    public const int MaxFileNameLength = 255;

    private static readonly string[] Fields = ["fileName", "contentType", "size", "sha256"];

    private AttachmentOptions Options => options.Value;

    /// <summary>Whether a caller on loopback (or not) is given signed storage URLs or the API's content route.</summary>
    public bool SignsUrlsFor(bool callerOnLoopback) => Options.Transfer switch
    {
        AttachmentTransfer.Direct => true,
        AttachmentTransfer.ThroughApi => false,
        AttachmentTransfer.Auto => Options.PublicBlobEndpoint is not null || !blobs.IsOnLoopback || callerOnLoopback,
    };

    /// <summary>Reads a declaration: the file name cleaned (NFC, no control characters), every problem listed.</summary>
    public (AttachmentDeclaration? Declaration, Refusal? Refusal) Validate(JsonElement body)
    {
        var problems = new List<FieldProblem>();
        void Add(string field, LocalizedText message) => problems.Add(new FieldProblem(field, message));

        if (body.ValueKind != JsonValueKind.Object)
        {
            return (null, Refusal.About(RefusalKind.BadRequest, "body", AttachmentTexts.BodyShape.Format(body.ValueKind)));
        }
        foreach (var property in body.EnumerateObject().Where(p => !Fields.Contains(p.Name, StringComparer.Ordinal)))
        {
            Add(property.Name, AttachmentTexts.BodyShape.Format(property.Name));
        }
        string? Text(string name) => body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        var fileName = Text("fileName") is { } raw ? CleanFileName(raw) : null;
        var type = AttachmentTypes.Find(Text("contentType"));
        if (fileName is null || fileName.Length is 0 or > MaxFileNameLength)
        {
            Add("fileName", AttachmentTexts.FileNameNeeded.Format(MaxFileNameLength));
        }
        else if (fileName.Contains('/') || fileName.Contains('\\') || fileName.Trim('.').Length == 0)
        {
            Add("fileName", AttachmentTexts.FileNameWithPath.Format(fileName));
        }
        else if (type is not null && !type.HasExtensionOf(fileName))
        {
            Add("fileName", AttachmentTexts.WrongExtension.Format(fileName, type.ContentType, string.Join(", ", type.Extensions)));
        }
        if (type is null)
        {
            Add("contentType", AttachmentTexts.TypeNotAllowed.Format(Text("contentType") ?? "", string.Join(", ", AttachmentTypes.All.Select(t => t.ContentType))));
        }
        long size = 0;
        if (!body.TryGetProperty("size", out var sizeValue) || sizeValue.ValueKind != JsonValueKind.Number
            || !sizeValue.TryGetInt64(out size) || size < 1 || size > Options.MaxSizeBytes)
        {
            Add("size", AttachmentTexts.SizeOutOfRange.Format(Options.MaxSizeBytes));
        }
        var sha256 = Text("sha256");
        if (sha256 is null || sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigit))
        {
            Add("sha256", AttachmentTexts.HashFormat);
        }
        return problems.Count > 0
            ? (null, new Refusal(RefusalKind.Invalid, AttachmentTexts.Invalid.Format(problems.Count), problems))
            : (new AttachmentDeclaration(fileName!, type!.ContentType, size, sha256!.ToLowerInvariant()), null);
    }

    /// <summary>
    /// Declares a file: checks the report may change and has room, records the attachment, and answers a
    /// create-only upload URL for its generated blob name (when URLs are signed). A retry with the same
    /// Idempotency-Key answers the same attachment (with a fresh URL while it is still waiting for its upload).
    /// </summary>
    public async Task<AttachmentResult> DeclareAsync(
        SubmissionKey key, AttachmentDeclaration declaration, Actor actor, (string KeyHash, string RequestHash)? idempotency, bool signUrl,
        CancellationToken cancellationToken)
    {
        var report = await submissions.CheckEditableAsync(key, actor, cancellationToken);
        if (report.Refusal is { } refusal)
        {
            return new AttachmentResult(null, Refusal: refusal);
        }
        if (idempotency is { } first && await ReplayAsync(key, first, signUrl, cancellationToken) is { } replay)
        {
            return replay;
        }
        var existing = await store.ListAsync(key, cancellationToken);
        if (existing.Count(a => a.Status != AttachmentStatus.Rejected) >= Options.MaxPerSubmission)
        {
            return AttachmentResult.Refuse(RefusalKind.LimitReached, AttachmentTexts.LimitReached.Format(Options.MaxPerSubmission));
        }
        var now = time.GetUtcNow();
        var attachment = new Attachment(key, Guid.CreateVersion7(now).ToString("N"), declaration.FileName, declaration.ContentType,
            declaration.Size, declaration.Sha256, AttachmentStatus.Declared, now, actor.KeyId);
        if (!await store.AddAsync(attachment, idempotency, cancellationToken))
        {
            // A twin with the same Idempotency-Key won the race: its answer is this request's answer.
            return await ReplayAsync(key, idempotency!.Value, signUrl, cancellationToken)
                ?? AttachmentResult.Refuse(RefusalKind.IdempotencyKeyReused, AttachmentTexts.KeyReused);
        }
        // Two declarations racing for the last place both got in: the later one (ids sort by time) gives way.
        var counted = (await store.ListAsync(key, cancellationToken)).Where(a => a.Status != AttachmentStatus.Rejected).ToList();
        if (counted.FindIndex(a => a.Id == attachment.Id) >= Options.MaxPerSubmission)
        {
            await store.DeleteAsync(attachment, cancellationToken);
            return AttachmentResult.Refuse(RefusalKind.LimitReached, AttachmentTexts.LimitReached.Format(Options.MaxPerSubmission));
        }
        var url = signUrl ? await blobs.UploadUrlAsync(attachment.BlobName, Options.UploadUrlLifetime, cancellationToken) : null;
        return new AttachmentResult(attachment, url, Created: true);
    }

    /// <summary>
    /// Verifies the uploaded blob against the declaration. A match makes the attachment available; a mismatch
    /// rejects it and deletes the blob; nothing uploaded yet leaves it waiting.
    /// </summary>
    public async Task<AttachmentResult> CompleteAsync(SubmissionKey key, string id, Actor actor, CancellationToken cancellationToken)
    {
        var (attachment, refusal) = await FindWritableAsync(key, id, actor, cancellationToken);
        if (attachment is null)
        {
            return refusal!;
        }
        if (attachment.Status != AttachmentStatus.Declared)
        {
            return attachment.Status == AttachmentStatus.Available
                ? new AttachmentResult(attachment)
                : AttachmentResult.Refuse(RefusalKind.WrongState, AttachmentTexts.WasRejected, attachment);
        }
        if (await blobs.OpenReadAsync(attachment.BlobName, cancellationToken) is not var (content, etag))
        {
            return AttachmentResult.Refuse(RefusalKind.WrongState,
                AttachmentTexts.NotUploaded.Format(attachment.DeclaredAt + Options.UploadUrlLifetime), attachment);
        }
        await using (content)
        {
            using var probe = new ContentProbe(content, attachment.Size + 1);
            await probe.DrainAsync(cancellationToken);
            return await FinishAsync(attachment, probe, etag, cancellationToken);
        }
    }

    /// <summary>
    /// For clients that cannot use the upload URL: streams the request body to the blob (never more than one block
    /// in memory), measuring it on the way, then applies the same checks as <see cref="CompleteAsync"/>.
    /// </summary>
    public async Task<AttachmentResult> UploadAsync(
        SubmissionKey key, string id, Stream body, long? contentLength, Actor actor, CancellationToken cancellationToken)
    {
        var (attachment, refusal) = await FindWritableAsync(key, id, actor, cancellationToken);
        if (attachment is null)
        {
            return refusal!;
        }
        if (attachment.Status != AttachmentStatus.Declared)
        {
            return AttachmentResult.Refuse(RefusalKind.WrongState,
                attachment.Status == AttachmentStatus.Available ? AttachmentTexts.AlreadyAvailable : AttachmentTexts.WasRejected, attachment);
        }
        if (contentLength is { } length && length != attachment.Size)
        {
            return await RejectAsync(attachment, RejectReason.SizeMismatch, cancellationToken);
        }
        using var probe = new ContentProbe(body, attachment.Size + 1);
        if (await blobs.UploadNewAsync(attachment.BlobName, probe, attachment.ContentType, cancellationToken) is not { } etag)
        {
            return AttachmentResult.Refuse(RefusalKind.WrongState, AttachmentTexts.AlreadyAvailable, attachment);
        }
        return await FinishAsync(attachment, probe, etag, cancellationToken);
    }

    /// <summary>The attachment, with a download URL when it is available and URLs are signed.</summary>
    public async Task<AttachmentResult> GetAsync(SubmissionKey key, string id, bool signUrl, CancellationToken cancellationToken)
    {
        var attachment = await store.GetAsync(key, id, cancellationToken);
        if (attachment is null)
        {
            return AttachmentResult.Refuse(RefusalKind.NotFound, AttachmentTexts.NotFound);
        }
        if (attachment.Status != AttachmentStatus.Available || !signUrl)
        {
            return new AttachmentResult(attachment);
        }
        var url = await blobs.DownloadUrlAsync(attachment.BlobName, attachment.FileName, attachment.ContentType, Options.DownloadUrlLifetime, cancellationToken);
        return new AttachmentResult(attachment, url);
    }

    /// <summary>The content of an available attachment, for the API's download route; null when there is none.</summary>
    public async Task<(Attachment Attachment, Stream Content)?> OpenAsync(SubmissionKey key, string id, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(key, id, cancellationToken) is not { Status: AttachmentStatus.Available } attachment
            || await blobs.OpenReadAsync(attachment.BlobName, cancellationToken) is not var (content, _))
        {
            return null;
        }
        return (attachment, content);
    }

    public Task<IReadOnlyList<Attachment>> ListAsync(SubmissionKey key, CancellationToken cancellationToken) => store.ListAsync(key, cancellationToken);

    /// <summary>Removes the blob, then the metadata (so that a crash in between leaves an orphan blob the cleanup finds).</summary>
    public async Task<AttachmentResult> DeleteAsync(SubmissionKey key, string id, Actor actor, CancellationToken cancellationToken)
    {
        var (attachment, refusal) = await FindWritableAsync(key, id, actor, cancellationToken);
        if (attachment is null)
        {
            return refusal!;
        }
        await blobs.DeleteAsync(attachment.BlobName, cancellationToken);
        await store.DeleteAsync(attachment, cancellationToken);
        return new AttachmentResult(attachment);
    }

    private async Task<(Attachment? Attachment, AttachmentResult? Refusal)> FindWritableAsync(
        SubmissionKey key, string id, Actor actor, CancellationToken cancellationToken)
    {
        var report = await submissions.CheckEditableAsync(key, actor, cancellationToken);
        if (report.Refusal is { } refusal)
        {
            return (null, new AttachmentResult(null, Refusal: refusal));
        }
        var attachment = await store.GetAsync(key, id, cancellationToken);
        return attachment is null ? (null, AttachmentResult.Refuse(RefusalKind.NotFound, AttachmentTexts.NotFound)) : (attachment, null);
    }

    private async Task<AttachmentResult> FinishAsync(Attachment attachment, ContentProbe probe, ETag blobETag, CancellationToken cancellationToken)
    {
        var declared = new AttachmentDeclaration(attachment.FileName, attachment.ContentType, attachment.Size, attachment.Sha256);
        if (probe.Check(declared) is { } reason)
        {
            return await RejectAsync(attachment, reason, cancellationToken);
        }
        var available = attachment with { Status = AttachmentStatus.Available, CompletedAt = time.GetUtcNow(), BlobETag = blobETag.ToString() };
        if (!await store.UpdateAsync(available, cancellationToken))
        {
            // A concurrent completion got there first: its outcome stands.
            return await store.GetAsync(attachment.Submission, attachment.Id, cancellationToken) is { } now
                ? now.Status == AttachmentStatus.Available ? new AttachmentResult(now) : AttachmentResult.Refuse(RefusalKind.WrongState, AttachmentTexts.WasRejected, now)
                : AttachmentResult.Refuse(RefusalKind.NotFound, AttachmentTexts.NotFound);
        }
        return new AttachmentResult(available);
    }

    private async Task<AttachmentResult> RejectAsync(Attachment attachment, RejectReason reason, CancellationToken cancellationToken)
    {
        await blobs.DeleteAsync(attachment.BlobName, cancellationToken);
        var rejected = attachment with { Status = AttachmentStatus.Rejected, CompletedAt = time.GetUtcNow(), RejectReason = reason };
        await store.UpdateAsync(rejected, cancellationToken);
        return AttachmentResult.Refuse(RefusalKind.Rejected, AttachmentTexts.Rejected(reason), rejected);
    }

    private async Task<AttachmentResult?> ReplayAsync(SubmissionKey key, (string KeyHash, string RequestHash) idempotency, bool signUrl, CancellationToken cancellationToken)
    {
        var record = await store.GetDeclarationAsync(key, idempotency.KeyHash, cancellationToken);
        if (record is null)
        {
            return null;
        }
        if (record.RequestHash != idempotency.RequestHash)
        {
            return AttachmentResult.Refuse(RefusalKind.IdempotencyKeyReused, AttachmentTexts.KeyReused);
        }
        var attachment = await store.GetAsync(key, record.AttachmentId, cancellationToken);
        if (attachment is null)
        {
            return AttachmentResult.Refuse(RefusalKind.NotFound, AttachmentTexts.NotFound);
        }
        var url = attachment.Status == AttachmentStatus.Declared && signUrl
            ? await blobs.UploadUrlAsync(attachment.BlobName, Options.UploadUrlLifetime, cancellationToken)
            : null;
        return new AttachmentResult(attachment, url, Created: true, Replayed: true);
    }

    /// <summary>NFC, without control characters, without surrounding spaces.</summary>
    public static string CleanFileName(string name)
    {
        // Direction overrides would make "hóa đơn‮fdp.exe" read as an innocent name; characters normalisation cannot
        // take are dropped rather than thrown on.
        var normalised = Qcdc.Localization.UserText.WithoutBidiControls(Qcdc.Localization.UserText.ForFiles(name));
        var builder = new StringBuilder(normalised.Length);
        foreach (var c in normalised.Where(c => !char.IsControl(c)))
        {
            builder.Append(c);
        }
        return builder.ToString().Trim();
    }
}
