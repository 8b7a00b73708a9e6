using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Qcdc.Attachments;
using Qcdc.Functions.Hosting;
using Qcdc.Functions.Security;
using Qcdc.Functions.Http;

namespace Qcdc.Functions.Attachments;

/// <summary>Files of a report: declared, uploaded to a short-lived URL (or through the API), verified, read, removed.</summary>
public sealed class AttachmentsFunctions(AttachmentService attachments)
{
    private const string Files = "api/submissions/{form}/{period}/{unit}/attachments";

    /// <summary>A file's own transfer takes time on a slow line: the content routes get minutes, not the usual seconds.</summary>
    private const double TransferSeconds = 600;

    private const string Pdf = "application/pdf", Docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    [Function("DeclareAttachment")]
    [Access(AccessRule.WriteUnit), Tags("Attachments"), BodyLimit(16 * 1024), AcceptsJson(typeof(AttachmentDeclaration)), WriteConditions(IfMatch = false)]
    [EndpointSummary("Declare a file (PDF, JPEG, PNG, DOCX, XLSX): answers an upload URL valid for 15 minutes")]
    [ProducesProblem(404, 409, 422)]
    public Task<Results<Created<AttachmentView>, Ok<AttachmentView>, ProblemHttpResult>> DeclareAttachment(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Files)] HttpRequest request, string form, string period, string unit) =>
        AttachmentsApi.Declare(form, period, unit, request.HttpContext, attachments, request.HttpContext.RequestAborted);

    [Function("CompleteAttachment")]
    [Access(AccessRule.WriteUnit), Tags("Attachments")]
    [EndpointSummary("Verify the upload against its declaration (size, SHA-256, type); a mismatch rejects it")]
    [ProducesProblem(404, 409, 422)]
    public Task<Results<Ok<AttachmentView>, ProblemHttpResult>> CompleteAttachment(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Files + "/{id}/complete")] HttpRequest request,
        string form, string period, string unit, string id) =>
        AttachmentsApi.Complete(form, period, unit, id, request.HttpContext, attachments, request.HttpContext.RequestAborted);

    // The body limit is the attachment options' largest file, twice over (Kestrel counts chunked framing against it);
    // the exact cap is the declared size, which the upload never reads past. No accepted media type: the access rule
    // runs before the declared type is checked.
    [Function("UploadAttachmentContent")]
    [Access(AccessRule.WriteUnit), Tags("Attachments"), AttachmentBodyLimit, RequestBudget(TransferSeconds)]
    [RawBody("The file's bytes, exactly as declared (size and SHA-256).", "application/octet-stream", Pdf, "image/jpeg", "image/png", Docx, Xlsx)]
    [EndpointSummary("Upload the file's bytes as the body (where storage URLs cannot be reached), with the same checks")]
    [ProducesProblem(404, 409, 422)]
    public Task<Results<Ok<AttachmentView>, ProblemHttpResult>> UploadAttachmentContent(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = Files + "/{id}/content")] HttpRequest request,
        string form, string period, string unit, string id) =>
        AttachmentsApi.Upload(form, period, unit, id, request.HttpContext, attachments, request.HttpContext.RequestAborted);

    [Function("DownloadAttachmentContent")]
    [Access(AccessRule.ReadUnit), Tags("Attachments"), RequestBudget(TransferSeconds), ProducesFile("application/octet-stream")]
    [EndpointSummary("The file's bytes, with its name (where storage URLs cannot be reached)")]
    [ProducesProblem(404)]
    public Task<Results<FileStreamHttpResult, ProblemHttpResult>> DownloadAttachmentContent(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Files + "/{id}/content")] HttpRequest request,
        string form, string period, string unit, string id) =>
        AttachmentsApi.Download(form, period, unit, id, attachments, request.HttpContext.RequestAborted);

    [Function("GetAttachment")]
    [Access(AccessRule.ReadUnit), Tags("Attachments")]
    [EndpointSummary("The attachment's metadata and, once available, a download URL valid for 5 minutes")]
    [ProducesProblem(404)]
    public Task<Results<Ok<AttachmentView>, ProblemHttpResult>> GetAttachment(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Files + "/{id}")] HttpRequest request,
        string form, string period, string unit, string id) =>
        AttachmentsApi.Get(form, period, unit, id, request.HttpContext, attachments, request.HttpContext.RequestAborted);

    [Function("DeleteAttachment")]
    [Access(AccessRule.WriteUnit), Tags("Attachments")]
    [EndpointSummary("Remove the file and its metadata (draft or returned reports only)")]
    [ProducesProblem(404, 409, 422)]
    public Task<Results<NoContent, ProblemHttpResult>> DeleteAttachment(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = Files + "/{id}")] HttpRequest request,
        string form, string period, string unit, string id) =>
        AttachmentsApi.Delete(form, period, unit, id, request.HttpContext, attachments, request.HttpContext.RequestAborted);
}

/// <summary>An upload's body limit: twice the largest file the attachment options allow.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AttachmentBodyLimitAttribute : Attribute, IConfiguredBodyLimit
{
    public long Limit(IServiceProvider services) =>
        services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AttachmentOptions>>().Value.MaxSizeBytes * 2;
}
