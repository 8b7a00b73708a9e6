using System.Net;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Qcdc.Attachments;
using Qcdc.Functions.Http;
using Qcdc.Functions.OpenApi;
using Qcdc.Functions.Problems;
using Qcdc.Functions.Security;
using Qcdc.Problems;
using Qcdc.Submissions;

namespace Qcdc.Functions.Attachments;

/// <summary>An attachment with its metadata and, when one was issued, its upload or download URL.</summary>
public sealed record AttachmentView(
    string Id, string FileName, string ContentType, long Size, string Sha256, AttachmentStatus Status,
    DateTimeOffset DeclaredAt, string DeclaredBy, DateTimeOffset? CompletedAt, RejectReason? RejectReason)
{
    public Uri? UploadUrl { get; init; }
    public DateTimeOffset? UploadExpiresAt { get; init; }
    /// <summary>Headers the upload URL needs on the PUT (a storage URL needs x-ms-blob-type; the API's route needs the caller's key or session).</summary>
    public IReadOnlyDictionary<string, string>? UploadHeaders { get; init; }
    public Uri? DownloadUrl { get; init; }
    public DateTimeOffset? DownloadExpiresAt { get; init; }

    public static AttachmentView From(Attachment a) =>
        new(a.Id, a.FileName, a.ContentType, a.Size, a.Sha256, a.Status, a.DeclaredAt, a.DeclaredBy, a.CompletedAt, a.RejectReason);
}

public static class AttachmentsApi
{
    internal static async Task<Results<Created<AttachmentView>, Ok<AttachmentView>, ProblemHttpResult>> Declare(
        string form, string period, string unit, HttpContext http, AttachmentService attachments, CancellationToken cancellationToken)
    {
        var body = http.Body();
        var (declaration, refusal) = attachments.Validate(body.Root);
        if (declaration is null)
        {
            return ProblemResults.Of(refusal!);
        }
        var (request, problem) = WriteConditions.Read(http, body.Bytes);
        if (problem is not null)
        {
            return problem;
        }
        var key = new SubmissionKey(form, period, unit);
        var result = await attachments.DeclareAsync(key, declaration, request!.Actor, WriteConditions.Idempotency(request), SignsUrls(http, attachments), cancellationToken);
        if (result.Refusal is not null || result.Attachment is null)
        {
            return Refuse(result);
        }
        if (result.Replayed)
        {
            WriteConditions.MarkReplayed(http);
        }
        var view = WithUrl(AttachmentView.From(result.Attachment!), result, http);
        return TypedResults.Created($"/api/submissions/{form}/{period}/{unit}/attachments/{result.Attachment.Id}", view);
    }

    internal static async Task<Results<Ok<AttachmentView>, ProblemHttpResult>> Complete(
        string form, string period, string unit, string id, HttpContext http, AttachmentService attachments, CancellationToken cancellationToken) =>
        Answer(await attachments.CompleteAsync(new SubmissionKey(form, period, unit), id, http.Caller(), cancellationToken), http);

    internal static async Task<Results<Ok<AttachmentView>, ProblemHttpResult>> Upload(
        string form, string period, string unit, string id, HttpContext http, AttachmentService attachments, CancellationToken cancellationToken) =>
        Answer(await attachments.UploadAsync(new SubmissionKey(form, period, unit), id, http.Request.Body, http.Request.ContentLength,
            http.Caller(), cancellationToken), http);

    internal static async Task<Results<Ok<AttachmentView>, ProblemHttpResult>> Get(
        string form, string period, string unit, string id, HttpContext http, AttachmentService attachments, CancellationToken cancellationToken) =>
        Answer(await attachments.GetAsync(new SubmissionKey(form, period, unit), id, SignsUrls(http, attachments), cancellationToken), http);

    internal static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> Download(
        string form, string period, string unit, string id, AttachmentService attachments, CancellationToken cancellationToken)
    {
        if (await attachments.OpenAsync(new SubmissionKey(form, period, unit), id, cancellationToken) is not var (attachment, content))
        {
            return ProblemResults.NotFound(AttachmentTexts.NotFound);
        }
        return TypedResults.Stream(content, attachment.ContentType, attachment.FileName);
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        string form, string period, string unit, string id, HttpContext http, AttachmentService attachments, CancellationToken cancellationToken)
    {
        var result = await attachments.DeleteAsync(new SubmissionKey(form, period, unit), id, http.Caller(), cancellationToken);
        return result.Refusal is null ? TypedResults.NoContent() : Refuse(result);
    }

    private static Results<Ok<AttachmentView>, ProblemHttpResult> Answer(AttachmentResult result, HttpContext http) =>
        result.Refusal is not null || result.Attachment is null ? Refuse(result) : TypedResults.Ok(WithUrl(AttachmentView.From(result.Attachment!), result, http));

    /// <summary>A refusal; a rejected (or already rejected) upload also shows the attachment it is about.</summary>
    private static ProblemHttpResult Refuse(AttachmentResult result) =>
        ProblemResults.Of(result.Refusal!, result.Attachment is { } attachment
            ? [KeyValuePair.Create<string, object?>("attachment", AttachmentView.From(attachment))]
            : null);

    /// <summary>The signed storage URL when there is one, else (while URLs go through the API) the content route.</summary>
    private static AttachmentView WithUrl(AttachmentView view, AttachmentResult result, HttpContext http)
    {
        var a = result.Attachment!;
        if (result.Url is { } url)
        {
            return a.Status == AttachmentStatus.Declared
                ? view with { UploadUrl = url.Url, UploadExpiresAt = url.ExpiresAt, UploadHeaders = StorageUploadHeaders }
                : view with { DownloadUrl = url.Url, DownloadExpiresAt = url.ExpiresAt };
        }
        if (SignsUrls(http, http.RequestServices.GetRequiredService<AttachmentService>()))
        {
            return view;
        }
        var content = new Uri($"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/api/submissions/{a.Submission.Form}/{a.Submission.Period}/{a.Submission.Unit}/attachments/{a.Id}/content");
        return a.Status switch
        {
            AttachmentStatus.Declared => view with { UploadUrl = content },
            AttachmentStatus.Available => view with { DownloadUrl = content },
            AttachmentStatus.Rejected => view,
        };
    }

    private static bool SignsUrls(HttpContext http, AttachmentService attachments) =>
        attachments.SignsUrlsFor(http.Connection.RemoteIpAddress is not { } address || IPAddress.IsLoopback(address));

    private static readonly IReadOnlyDictionary<string, string> StorageUploadHeaders = new Dictionary<string, string> { ["x-ms-blob-type"] = "BlockBlob" };
}
