using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Qcdc.Attachments;
using Qcdc.Functions.Hosting;
using Qcdc.Functions.Http;
using Qcdc.Functions.Security;
using Qcdc.Periods;
using Qcdc.Submissions;
using static Qcdc.Functions.Submissions.SubmissionsApi;

namespace Qcdc.Functions.Submissions;

/// <summary>A unit's periodic report: draft, submit, approve, return, history, and the reviewer's list.</summary>
public sealed class SubmissionsFunctions(SubmissionService submissions, AttachmentService attachments, SubmissionList list, PeriodCatalog periods)
{
    private const string Report = "api/submissions/{form}/{period}/{unit}";

    [Function("ListSubmissions")]
    [Access(AccessRule.ReadUnit), Tags("Submissions")]
    [EndpointSummary("Submissions of a unit's subtree (?under=, default the key's unit), optionally by status, paged with a continuation token")]
    [QueryParameter("under", "The unit whose subtree is listed (default: the key's unit)."), QueryParameter("status", "Only reports in this status.")]
    [QueryParameter("continuationToken", "The token of the previous page."), QueryParameter("pageSize", "Reports a page, 1–1000 (default 100).", Type = "integer")]
    [ProducesProblem(422)]
    public Task<Results<Ok<SubmissionPage>, ProblemHttpResult>> ListSubmissions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/submissions/{form}/{period}")] HttpRequest request, string form, string period) =>
        SubmissionsApi.ListSubmissions(form, period, request.Query("under"), request.Query("status"), request.Query("continuationToken"),
            request.QueryInt32("pageSize"), request.HttpContext, list, periods, request.HttpContext.RequestAborted);

    [Function("SaveReport")]
    [Access(AccessRule.WriteUnit), Tags("Submissions"), BodyLimit(BodyLimit), AcceptsJson(typeof(ReportBody)), WriteConditions]
    [EndpointSummary("Create the report, or replace its values whole; updates need If-Match, retries an Idempotency-Key")]
    [ProducesProblem(404, 409, 412, 422, 428)]
    public Task<Results<Ok<ReportView>, Created<ReportView>, ProblemHttpResult>> SaveReport(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = Report)] HttpRequest request, string form, string period, string unit) =>
        SubmissionsApi.SaveReport(form, period, unit, request.HttpContext, submissions, request.HttpContext.RequestAborted);

    [Function("PatchReport")]
    [Access(AccessRule.WriteUnit), Tags("Submissions"), BodyLimit(BodyLimit), AcceptsJson(typeof(ReportBody), MergePatchType), WriteConditions]
    [EndpointSummary("Change only the named values (JSON merge patch; null removes one); same rules as PUT")]
    [ProducesProblem(404, 409, 412, 422, 428)]
    public Task<Results<Ok<ReportView>, Created<ReportView>, ProblemHttpResult>> PatchReport(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = Report)] HttpRequest request, string form, string period, string unit) =>
        SubmissionsApi.PatchReport(form, period, unit, request.HttpContext, submissions, request.HttpContext.RequestAborted);

    [Function("GetReport")]
    [Access(AccessRule.ReadUnit), Tags("Submissions"), EndpointSummary("The current state, with its ETag")]
    [ProducesProblem(404)]
    public Task<Results<Ok<ReportView>, ProblemHttpResult>> GetReport(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Report)] HttpRequest request, string form, string period, string unit) =>
        SubmissionsApi.GetReport(form, period, unit, request.HttpContext, submissions, attachments, request.HttpContext.RequestAborted);

    [Function("SubmitReport")]
    [Access(AccessRule.WriteUnit), Tags("Submissions"), WriteConditions]
    [EndpointSummary("Submit the report: every required indicator and rule must pass")]
    [ProducesProblem(404, 409, 412, 422, 428)]
    public Task<Results<Ok<ReportView>, Created<ReportView>, ProblemHttpResult>> SubmitReport(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Report + "/submit")] HttpRequest request, string form, string period, string unit) =>
        SubmissionsApi.Submit(form, period, unit, request.HttpContext, submissions, request.HttpContext.RequestAborted);

    [Function("ApproveReport")]
    [Access(AccessRule.ReviewUnit), Tags("Submissions"), WriteConditions, EndpointSummary("Approve a submitted report")]
    [ProducesProblem(404, 409, 412, 422, 428)]
    public Task<Results<Ok<ReportView>, Created<ReportView>, ProblemHttpResult>> ApproveReport(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Report + "/approve")] HttpRequest request, string form, string period, string unit) =>
        SubmissionsApi.Approve(form, period, unit, request.HttpContext, submissions, request.HttpContext.RequestAborted);

    [Function("ReturnReport")]
    [Access(AccessRule.ReviewUnit), Tags("Submissions"), BodyLimit(16 * 1024), AcceptsJson(typeof(ReturnBody)), WriteConditions]
    [EndpointSummary("Return a submitted or approved report to its unit, with a reason")]
    [ProducesProblem(404, 409, 412, 422, 428)]
    public Task<Results<Ok<ReportView>, Created<ReportView>, ProblemHttpResult>> ReturnReport(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Report + "/return")] HttpRequest request, string form, string period, string unit) =>
        SubmissionsApi.Return(form, period, unit, request.HttpContext, submissions, request.HttpContext.RequestAborted);

    [Function("RaiseFollowUp")]
    [Access(AccessRule.ReviewUnit), Tags("Submissions"), BodyLimit(16 * 1024), AcceptsJson(typeof(FollowUpBody)), WriteConditions]
    [EndpointSummary("Mark one of the report's checks \"cần kiểm tra lại\" (follow-up) with a comment; it goes into the history")]
    [ProducesProblem(404, 412, 422, 428)]
    public Task<Results<Ok<ReportView>, Created<ReportView>, ProblemHttpResult>> RaiseFollowUp(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Report + "/follow-ups")] HttpRequest request, string form, string period, string unit) =>
        SubmissionsApi.RaiseFollowUp(form, period, unit, request.HttpContext, submissions, request.HttpContext.RequestAborted);

    [Function("AnswerFollowUp")]
    [Access(AccessRule.WriteUnit), Tags("Submissions"), BodyLimit(16 * 1024), AcceptsJson(typeof(AnswerBody)), WriteConditions]
    [EndpointSummary("Answer an open follow-up of the report with a comment; it goes into the history")]
    [ProducesProblem(404, 412, 422, 428)]
    public Task<Results<Ok<ReportView>, Created<ReportView>, ProblemHttpResult>> AnswerFollowUp(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Report + "/follow-ups/{followUp}/answer")] HttpRequest request,
        string form, string period, string unit, string followUp) =>
        SubmissionsApi.AnswerFollowUp(form, period, unit, followUp, request.HttpContext, submissions, request.HttpContext.RequestAborted);

    [Function("GetReportHistory")]
    [Access(AccessRule.ReadUnit), Tags("Submissions")]
    [EndpointSummary("Every accepted change: who (key id, label, name), when, what changed, back-fill flag")]
    [ProducesProblem(404)]
    public Task<Results<Ok<HistoryView>, ProblemHttpResult>> GetReportHistory(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Report + "/history")] HttpRequest request, string form, string period, string unit) =>
        SubmissionsApi.GetHistory(form, period, unit, submissions, request.HttpContext.RequestAborted);
}
