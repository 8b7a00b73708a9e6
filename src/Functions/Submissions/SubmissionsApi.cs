using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Qcdc.Attachments;
using Qcdc.Functions.Attachments;
using Qcdc.Functions.Problems;
using Qcdc.Functions.Security;
using Qcdc.Localization;
using Qcdc.Periods;
using Qcdc.Submissions;

namespace Qcdc.Functions.Submissions;

public static class SubmissionsApi
{
    /// <summary>The largest report body accepted (three narratives at their limit fit well within it).</summary>
    public const int BodyLimit = 256 * 1024;

    public static IEndpointRouteBuilder MapSubmissionsApi(this IEndpointRouteBuilder routes)
    {
        var reports = routes.MapGroup("/api/submissions/{form}/{period}").WithTags("Submissions");

        reports.MapGet("", ListSubmissions).WithName("ListSubmissions")
            .WithSummary("Submissions of a unit's subtree (?under=), optionally by status, paged with a continuation token")
            .RequireAccess(AccessRule.ReadUnit);
        reports.MapPut("/{unit}", SaveDraft).WithName("SaveReport").WithBodyLimit(BodyLimit)
            .WithSummary("Create or update the draft; updates need If-Match, retries an Idempotency-Key")
            .Accepts<ReportBody>("application/json")
            .RequireAccess(AccessRule.WriteUnit);
        reports.MapGet("/{unit}", GetReport).WithName("GetReport")
            .WithSummary("The current state, with its ETag")
            .RequireAccess(AccessRule.ReadUnit);
        reports.MapPost("/{unit}/submit", Submit).WithName("SubmitReport")
            .WithSummary("Submit the report: every required indicator and rule must pass")
            .RequireAccess(AccessRule.WriteUnit);
        reports.MapPost("/{unit}/approve", Approve).WithName("ApproveReport")
            .WithSummary("Approve a submitted report")
            .RequireAccess(AccessRule.ReviewUnit);
        reports.MapPost("/{unit}/return", Return).WithName("ReturnReport").WithBodyLimit(16 * 1024)
            .WithSummary("Return a submitted or approved report to its unit, with a reason")
            .Accepts<ReturnBody>("application/json")
            .RequireAccess(AccessRule.ReviewUnit);
        reports.MapGet("/{unit}/history", GetHistory).WithName("GetReportHistory")
            .WithSummary("Every accepted change: who, when, what changed, back-fill flag")
            .RequireAccess(AccessRule.ReadUnit);
        return routes;
    }

    public sealed record ReportBody(JsonObject Values);

    public sealed record ReturnBody(string Reason);

    public sealed record ReportView(
        string Form, string Period, string Unit, SubmissionStatus Status, int Revision, int FormVersion, JsonObject Values,
        DateTimeOffset UpdatedAt, string UpdatedBy, DateTimeOffset? SubmittedAt, string? SubmittedBy, bool Late, string? ReturnReason)
    {
        /// <summary>The report's files (only in the answer to GET).</summary>
        public IReadOnlyList<AttachmentSummary>? Attachments { get; init; }

        public static ReportView From(Submission s) => new(s.Key.Form, s.Key.Period, s.Key.Unit, s.Status, s.Revision, s.FormVersion, s.Values,
            s.UpdatedAt, s.UpdatedBy, s.SubmittedAt, s.SubmittedBy, s.Late, s.ReturnReason);
    }

    public sealed record HistoryView(string Form, string Period, string Unit, IReadOnlyList<SubmissionRevision> Revisions);

    internal static async Task<IResult> SaveDraft(
        string form, string period, string unit, HttpContext http, SubmissionService submissions, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync(http.Request, BodyLimit, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        if (body!.Root.ValueKind != JsonValueKind.Object || !body.Root.TryGetProperty("values", out var values)
            || body.Root.EnumerateObject().Any(p => p.Name != "values"))
        {
            return ValidationProblems.BadRequest(BodyShape, "values");
        }
        var result = await submissions.SaveDraftAsync(new SubmissionKey(form, period, unit), values, Write(http, body.Bytes), cancellationToken);
        return Answer(result, http);
    }

    internal static async Task<IResult> GetReport(
        string form, string period, string unit, HttpContext http, SubmissionService submissions, AttachmentService attachments, CancellationToken cancellationToken)
    {
        var key = new SubmissionKey(form, period, unit);
        var submission = await submissions.GetAsync(key, cancellationToken);
        if (submission is null)
        {
            return ValidationProblems.NotFound(NoReport);
        }
        http.Response.Headers.ETag = submission.ETag;
        var files = await attachments.ListAsync(key, cancellationToken);
        return TypedResults.Ok(ReportView.From(submission) with { Attachments = [.. files.Select(AttachmentSummary.From)] });
    }

    internal static async Task<IResult> Submit(string form, string period, string unit, HttpContext http, SubmissionService submissions, CancellationToken cancellationToken) =>
        Answer(await submissions.SubmitAsync(new SubmissionKey(form, period, unit), Write(http, []), cancellationToken), http);

    internal static async Task<IResult> Approve(string form, string period, string unit, HttpContext http, SubmissionService submissions, CancellationToken cancellationToken) =>
        Answer(await submissions.ApproveAsync(new SubmissionKey(form, period, unit), Write(http, []), cancellationToken), http);

    internal static async Task<IResult> Return(string form, string period, string unit, HttpContext http, SubmissionService submissions, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync(http.Request, 16 * 1024, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var reason = body!.Root.ValueKind == JsonValueKind.Object && body.Root.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String
            ? SubmissionValues.CleanText(r.GetString()!).Trim()
            : "";
        if (reason.Length is 0 or > 2000)
        {
            return ValidationProblems.Unprocessable([new FieldError("reason", ReasonNeeded.Current)]);
        }
        return Answer(await submissions.ReturnAsync(new SubmissionKey(form, period, unit), reason, Write(http, body.Bytes), cancellationToken), http);
    }

    internal static async Task<IResult> GetHistory(string form, string period, string unit, SubmissionService submissions, CancellationToken cancellationToken)
    {
        var key = new SubmissionKey(form, period, unit);
        var revisions = await submissions.HistoryAsync(key, cancellationToken);
        return revisions.Count == 0 ? ValidationProblems.NotFound(NoReport) : TypedResults.Ok(new HistoryView(form, period, unit, revisions));
    }

    internal static async Task<IResult> ListSubmissions(
        string form, string period, string? under, string? status, string? continuationToken, int? pageSize,
        [FromServices] SubmissionList list, [FromServices] PeriodCatalog periods, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        if (under is null)
        {
            errors.Add(new("under", UnderNeeded.Current));
        }
        if (!periods.TryResolve(period, out var resolved))
        {
            errors.Add(new("period", CommonTexts.BadPeriod.Format(period).Current));
        }
        SubmissionStatus? wanted = null;
        if (status is not null)
        {
            if (Enum.TryParse<SubmissionStatus>(status, ignoreCase: true, out var parsed) && !int.TryParse(status, out _))
            {
                wanted = parsed;
            }
            else
            {
                errors.Add(new("status", BadStatus.Format(status).Current));
            }
        }
        string? token = null;
        if (continuationToken is not null && !TryDecode(continuationToken, out token))
        {
            errors.Add(new("continuationToken", BadToken.Current));
        }
        if (pageSize is < 1 or > 1000)
        {
            errors.Add(new("pageSize", BadPageSize.Current));
        }
        if (errors.Count > 0)
        {
            return ValidationProblems.Unprocessable(errors);
        }
        var page = await list.ListAsync(form, resolved!, under!, wanted, token, pageSize ?? 100, cancellationToken);
        return TypedResults.Ok(page with { ContinuationToken = page.ContinuationToken is null ? null : Convert.ToBase64String(Encoding.UTF8.GetBytes(page.ContinuationToken)) });
    }

    private static bool TryDecode(string token, out string? unit)
    {
        var bytes = new byte[token.Length];
        unit = Convert.TryFromBase64String(token, bytes, out var length) ? Encoding.UTF8.GetString(bytes, 0, length) : null;
        return unit is not null;
    }

    /// <summary>What an Idempotency-Key is bound to: the method, the path and the exact body of the first request.</summary>
    internal static string Fingerprint(HttpContext http, byte[] body) =>
        SubmissionService.Hash($"{http.Request.Method} {http.Request.Path}\n{Convert.ToBase64String(body)}");

    private static WriteRequest Write(HttpContext http, byte[] body)
    {
        var fingerprint = Fingerprint(http, body);
        var ifMatch = http.Request.Headers.IfMatch.FirstOrDefault();
        var idempotencyKey = http.Request.Headers["Idempotency-Key"].FirstOrDefault();
        return new WriteRequest(http.Caller().Actor!, string.IsNullOrWhiteSpace(ifMatch) ? null : ifMatch, string.IsNullOrWhiteSpace(idempotencyKey) ? null : idempotencyKey, fingerprint);
    }

    private static IResult Answer(SubmissionResult result, HttpContext http)
    {
        if (result.Submission is { } submission)
        {
            http.Response.Headers.ETag = submission.ETag;
            if (result.Replayed)
            {
                http.Response.Headers["Idempotent-Replayed"] = "true";
            }
            var view = ReportView.From(submission);
            return result.Created
                ? TypedResults.Created($"/api/submissions/{submission.Key.Form}/{submission.Key.Period}/{submission.Key.Unit}", view)
                : TypedResults.Ok(view);
        }
        return Refusal(result);
    }

    /// <summary>Why a write was refused, as a problem detail (also for attachment writes the report refuses).</summary>
    internal static IResult Refusal(SubmissionResult result)
    {
        var status = result.Failure switch
        {
            SubmissionFailure.NotFound => StatusCodes.Status404NotFound,
            SubmissionFailure.Invalid or SubmissionFailure.IdempotencyKeyReused => StatusCodes.Status422UnprocessableEntity,
            SubmissionFailure.WrongStatus or SubmissionFailure.Locked => StatusCodes.Status409Conflict,
            SubmissionFailure.PreconditionFailed => StatusCodes.Status412PreconditionFailed,
            _ => StatusCodes.Status428PreconditionRequired,
        };
        var errors = result.Problems is { Count: > 0 } problems
            ? problems.Select(p => new FieldError(p.Field, p.Message.Current, p.Indicator, p.Label)).ToList()
            : null;
        return TypedResults.Problem(detail: result.Message?.Current, statusCode: status,
            extensions: errors is null ? null : new Dictionary<string, object?> { ["errors"] = errors });
    }

    private static readonly LocalizedText BodyShape = new("The body must be {\"values\": {indicator: value, …}}.", "Nội dung phải có dạng {\"values\": {chỉ tiêu: giá trị, …}}.");
    private static readonly LocalizedText NoReport = new("There is no report for this unit and period.", "Chưa có báo cáo của đơn vị cho kỳ này.");
    private static readonly LocalizedText ReasonNeeded = new("Give the reason for returning the report (up to 2000 characters).", "Hãy ghi lý do trả lại báo cáo (tối đa 2000 ký tự).");
    private static readonly LocalizedText UnderNeeded = new("Name the unit whose subtree to list (?under=).", "Cần ghi đơn vị cần liệt kê (?under=).");
    private static readonly LocalizedText BadStatus = new("'{0}' is not a status (draft, submitted, approved, returned).", "'{0}' không phải trạng thái (draft, submitted, approved, returned).");
    private static readonly LocalizedText BadToken = new("The continuation token is not one this list gave.", "Mã tiếp tục không hợp lệ.");
    private static readonly LocalizedText BadPageSize = new("pageSize must be between 1 and 1000.", "pageSize phải từ 1 đến 1000.");
}
