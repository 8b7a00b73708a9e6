using Microsoft.Extensions.Options;
using Qcdc.Attachments;
using Qcdc.Functions.Problems;
using Qcdc.Functions.Security;
using Qcdc.Functions.Submissions;
using Qcdc.Submissions;

namespace Qcdc.Functions.Attachments;

/// <summary>An attachment as a report lists it.</summary>
public sealed record AttachmentSummary(string Id, string FileName, string ContentType, long Size, AttachmentStatus Status)
{
    public static AttachmentSummary From(Attachment a) => new(a.Id, a.FileName, a.ContentType, a.Size, a.Status);
}

/// <summary>An attachment with its metadata and, when one was issued, its upload or download URL.</summary>
public sealed record AttachmentView(
    string Id, string FileName, string ContentType, long Size, string Sha256, AttachmentStatus Status,
    DateTimeOffset DeclaredAt, string DeclaredBy, DateTimeOffset? CompletedAt, RejectReason? RejectReason)
{
    public Uri? UploadUrl { get; init; }
    public DateTimeOffset? UploadExpiresAt { get; init; }
    /// <summary>Headers the upload URL needs on the PUT.</summary>
    public IReadOnlyDictionary<string, string>? UploadHeaders { get; init; }
    public Uri? DownloadUrl { get; init; }
    public DateTimeOffset? DownloadExpiresAt { get; init; }

    public static AttachmentView From(Attachment a) =>
        new(a.Id, a.FileName, a.ContentType, a.Size, a.Sha256, a.Status, a.DeclaredAt, a.DeclaredBy, a.CompletedAt, a.RejectReason);
}

public static class AttachmentsApi
{
    private const int DeclarationLimit = 16 * 1024;

    public static IEndpointRouteBuilder MapAttachmentsApi(this IEndpointRouteBuilder routes)
    {
        var maxSize = routes.ServiceProvider.GetRequiredService<IOptions<AttachmentOptions>>().Value.MaxSizeBytes;
        var files = routes.MapGroup("/api/submissions/{form}/{period}/{unit}/attachments").WithTags("Attachments");

        files.MapPost("", Declare).WithName("DeclareAttachment").WithBodyLimit(DeclarationLimit)
            .WithSummary("Declare a file (PDF, JPEG, PNG, DOCX, XLSX): answers a create-only upload URL valid for 15 minutes")
            .Accepts<AttachmentDeclaration>("application/json")
            .RequireAccess(AccessRule.WriteUnit);
        files.MapPost("/{id}/complete", Complete).WithName("CompleteAttachment")
            .WithSummary("Verify the upload against its declaration (size, SHA-256, type); a mismatch rejects it")
            .RequireAccess(AccessRule.WriteUnit);
        // Kestrel counts chunked-encoding framing against the limit, so the route allows twice the largest file;
        // the exact cap is the declared size, which the upload never reads past.
        files.MapPut("/{id}/content", Upload).WithName("UploadAttachmentContent").WithBodyLimit(maxSize * 2)
            // No Accepts<>: routing would answer 415 to any other content type before the access rule runs.
            .WithSummary("Upload the file's bytes as the body (for clients that cannot use the upload URL), with the same checks")
            .RequireAccess(AccessRule.WriteUnit);
        files.MapGet("/{id}", Get).WithName("GetAttachment")
            .WithSummary("The attachment's metadata and, once available, a download URL valid for 5 minutes")
            .RequireAccess(AccessRule.ReadUnit);
        files.MapDelete("/{id}", Delete).WithName("DeleteAttachment")
            .WithSummary("Remove the file and its metadata (draft or returned reports only)")
            .RequireAccess(AccessRule.WriteUnit);
        return routes;
    }

    internal static async Task<IResult> Declare(
        string form, string period, string unit, HttpContext http, AttachmentService attachments, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync(http.Request, DeclarationLimit, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var (declaration, problems) = attachments.Validate(body!.Root);
        if (declaration is null)
        {
            return ValidationProblems.Unprocessable([.. problems.Select(p => new FieldError(p.Field, p.Message.Current))]);
        }
        var key = http.Request.Headers["Idempotency-Key"].FirstOrDefault();
        var idempotency = string.IsNullOrWhiteSpace(key)
            ? ((string, string)?)null
            : (SubmissionService.Hash(key), SubmissionsApi.Fingerprint(http, body.Bytes));
        var result = await attachments.DeclareAsync(new SubmissionKey(form, period, unit), declaration, http.Caller().Actor!, idempotency, cancellationToken);
        return Answer(result, http);
    }

    internal static async Task<IResult> Complete(
        string form, string period, string unit, string id, HttpContext http, AttachmentService attachments, CancellationToken cancellationToken) =>
        Answer(await attachments.CompleteAsync(new SubmissionKey(form, period, unit), id, http.Caller().Actor!, cancellationToken), http);

    internal static async Task<IResult> Upload(
        string form, string period, string unit, string id, HttpContext http, AttachmentService attachments, CancellationToken cancellationToken) =>
        Answer(await attachments.UploadAsync(new SubmissionKey(form, period, unit), id, http.Request.Body, http.Request.ContentLength,
            http.Caller().Actor!, cancellationToken), http);

    internal static async Task<IResult> Get(
        string form, string period, string unit, string id, HttpContext http, AttachmentService attachments, CancellationToken cancellationToken) =>
        Answer(await attachments.GetAsync(new SubmissionKey(form, period, unit), id, cancellationToken), http);

    internal static async Task<IResult> Delete(
        string form, string period, string unit, string id, HttpContext http, AttachmentService attachments, CancellationToken cancellationToken)
    {
        var result = await attachments.DeleteAsync(new SubmissionKey(form, period, unit), id, http.Caller().Actor!, cancellationToken);
        return result.Failure is null && result.ReportRefusal is null ? TypedResults.NoContent() : Answer(result, http);
    }

    private static IResult Answer(AttachmentResult result, HttpContext http)
    {
        if (result.ReportRefusal is { } refusal)
        {
            return SubmissionsApi.Refusal(refusal);
        }
        if (result.Failure is { } failure)
        {
            var status = failure switch
            {
                AttachmentFailure.NotFound => StatusCodes.Status404NotFound,
                AttachmentFailure.Invalid or AttachmentFailure.Rejected or AttachmentFailure.IdempotencyKeyReused => StatusCodes.Status422UnprocessableEntity,
                _ => StatusCodes.Status409Conflict,
            };
            var extensions = new Dictionary<string, object?>();
            if (result.Attachment is { } attachment)
            {
                extensions["attachment"] = AttachmentView.From(attachment);
            }
            if (result.Problems is { Count: > 0 } problems)
            {
                extensions["errors"] = problems.Select(p => new FieldError(p.Field, p.Message.Current)).ToList();
            }
            return TypedResults.Problem(detail: result.Message?.Current, statusCode: status, extensions: extensions);
        }
        var a = result.Attachment!;
        var view = AttachmentView.From(a);
        if (result.Url is { } url)
        {
            view = a.Status == AttachmentStatus.Declared
                ? view with { UploadUrl = url.Url, UploadExpiresAt = url.ExpiresAt, UploadHeaders = UploadHeaders }
                : view with { DownloadUrl = url.Url, DownloadExpiresAt = url.ExpiresAt };
        }
        if (result.Replayed)
        {
            http.Response.Headers["Idempotent-Replayed"] = "true";
        }
        return result.Created
            ? TypedResults.Created($"/api/submissions/{a.Submission.Form}/{a.Submission.Period}/{a.Submission.Unit}/attachments/{a.Id}", view)
            : TypedResults.Ok(view);
    }

    private static readonly IReadOnlyDictionary<string, string> UploadHeaders = new Dictionary<string, string> { ["x-ms-blob-type"] = "BlockBlob" };
}
