using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Qcdc.Attachments;
using Qcdc.Forms;
using Qcdc.Functions.Http;
using Qcdc.Functions.Problems;
using Qcdc.Functions.Security;
using Qcdc.Localization;
using Qcdc.Periods;
using Qcdc.Problems;
using Qcdc.Security;
using Qcdc.Submissions;

namespace Qcdc.Functions.Submissions;

public static class SubmissionsApi
{
    /// <summary>The largest report body accepted (three narratives at their limit fit well within it).</summary>
    public const int BodyLimit = 256 * 1024;

    public const string MergePatchType = "application/merge-patch+json";

    public sealed record ReportBody(JsonObject Values);

    public sealed record ReturnBody(string Reason);

    /// <summary>An attachment as a report lists it.</summary>
    public sealed record AttachmentSummary(string Id, string FileName, string ContentType, long Size, AttachmentStatus Status);

    /// <summary>A check of the report: the rule (or <c>outlier:{cell}</c>), its kind and severity, the cells it concerns, what it means.</summary>
    public sealed record CheckView(string Rule, CheckKind Kind, CheckSeverity Severity, IReadOnlyList<string> Cells, string Message)
    {
        public static CheckView From(Check c) => new(c.Rule, c.Kind, c.Severity, c.Cells, c.Message.Current);
    }

    /// <summary>A field a draft save could not keep, and why.</summary>
    public sealed record RefusedField(string Field, string Message);

    public sealed record ReportView(
        string Form, string Period, string Unit, SubmissionStatus Status, string StatusName, int Revision, int FormVersion, JsonObject Values,
        DateTimeOffset UpdatedAt, Author UpdatedBy, DateTimeOffset? SubmittedAt, Author? SubmittedBy, bool Late, string? ReturnReason,
        IReadOnlyList<CheckView> Checks, IReadOnlyList<FollowUp> FollowUps, IReadOnlyList<RefusedField> Refused)
    {
        /// <summary>The report's files (only in the answer to GET).</summary>
        public IReadOnlyList<AttachmentSummary>? Attachments { get; init; }

        public static ReportView From(Submission s, IReadOnlyList<Check> checks, IReadOnlyList<FieldProblem>? refused = null) => new(
            s.Key.Form, s.Key.Period, s.Key.Unit, s.Status, SubmissionTexts.Status(s.Status).Current,
            s.Revision, s.FormVersion, s.Values, s.UpdatedAt, s.UpdatedBy, s.SubmittedAt, s.SubmittedBy, s.Late, s.ReturnReason,
            [.. checks.Select(CheckView.From)], s.FollowUps, [.. (refused ?? []).Select(p => new RefusedField(p.Field, p.Message.Current))]);
    }

    public sealed record FollowUpBody(string Rule, string Comment);

    public sealed record AnswerBody(string Comment);

    public sealed record HistoryView(string Form, string Period, string Unit, IReadOnlyList<SubmissionRevision> Revisions);

    internal static Task<Results<Ok<ReportView>, Created<ReportView>, ProblemHttpResult>> SaveReport(
        string form, string period, string unit, HttpContext http, SubmissionService submissions, CancellationToken cancellationToken) =>
        WriteValuesAsync(form, period, unit, http, cancellationToken, (key, values, request) => submissions.SaveAsync(key, values, request, cancellationToken));

    internal static Task<Results<Ok<ReportView>, Created<ReportView>, ProblemHttpResult>> PatchReport(
        string form, string period, string unit, HttpContext http, SubmissionService submissions, CancellationToken cancellationToken) =>
        WriteValuesAsync(form, period, unit, http, cancellationToken, (key, values, request) => submissions.PatchAsync(key, values, request, cancellationToken));

    internal static async Task<Results<Ok<ReportView>, ProblemHttpResult>> GetReport(
        string form, string period, string unit, HttpContext http, SubmissionService submissions, AttachmentService attachments, CancellationToken cancellationToken)
    {
        var key = new SubmissionKey(form, period, unit);
        var (submission, checks) = await submissions.GetCheckedAsync(key, cancellationToken);
        if (submission is null)
        {
            return ProblemResults.NotFound(SubmissionTexts.NoSubmission);
        }
        http.Response.Headers.ETag = submission.ETag;
        var files = await attachments.ListAsync(key, cancellationToken);
        return TypedResults.Ok(ReportView.From(submission, checks) with
        {
            Attachments = [.. files.Select(a => new AttachmentSummary(a.Id, a.FileName, a.ContentType, a.Size, a.Status))],
        });
    }

    internal static Task<Results<Ok<ReportView>, Created<ReportView>, ProblemHttpResult>> Submit(
        string form, string period, string unit, HttpContext http, SubmissionService submissions, CancellationToken cancellationToken) =>
        TransitionAsync(form, period, unit, http, [], (key, request) => submissions.SubmitAsync(key, request, cancellationToken));

    internal static Task<Results<Ok<ReportView>, Created<ReportView>, ProblemHttpResult>> Approve(
        string form, string period, string unit, HttpContext http, SubmissionService submissions, CancellationToken cancellationToken) =>
        TransitionAsync(form, period, unit, http, [], (key, request) => submissions.ApproveAsync(key, request, cancellationToken));

    internal static async Task<Results<Ok<ReportView>, Created<ReportView>, ProblemHttpResult>> Return(
        string form, string period, string unit, HttpContext http, SubmissionService submissions, CancellationToken cancellationToken)
    {
        var body = http.Body();
        var reason = body.Root.ValueKind == JsonValueKind.Object && body.Root.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String
            ? SubmissionValues.CleanText(r.GetString()!).Trim()
            : "";
        if (reason.Length is 0 or > 2000)
        {
            return ProblemResults.Invalid([new FieldProblem("reason", SubmissionTexts.ReasonNeeded)], SubmissionTexts.ReasonNeeded);
        }
        return await TransitionAsync(form, period, unit, http, body.Bytes, (key, request) => submissions.ReturnAsync(key, reason, request, cancellationToken));
    }

    internal static async Task<Results<Ok<ReportView>, Created<ReportView>, ProblemHttpResult>> RaiseFollowUp(
        string form, string period, string unit, HttpContext http, SubmissionService submissions, CancellationToken cancellationToken)
    {
        var body = http.Body();
        var rule = Text(body.Root, "rule", 100);
        var comment = Text(body.Root, "comment", 2000);
        if (rule.Length == 0)
        {
            return ProblemResults.Invalid([new FieldProblem("rule", SubmissionTexts.NoSuchCheck.Format(""))], SubmissionTexts.NoSuchCheck.Format(""));
        }
        if (comment.Length == 0)
        {
            return ProblemResults.Invalid([new FieldProblem("comment", SubmissionTexts.CommentNeeded)], SubmissionTexts.CommentNeeded);
        }
        return await TransitionAsync(form, period, unit, http, body.Bytes, (key, request) => submissions.RaiseFollowUpAsync(key, rule, comment, request, cancellationToken));
    }

    internal static async Task<Results<Ok<ReportView>, Created<ReportView>, ProblemHttpResult>> AnswerFollowUp(
        string form, string period, string unit, string followUp, HttpContext http, SubmissionService submissions, CancellationToken cancellationToken)
    {
        var body = http.Body();
        var comment = Text(body.Root, "comment", 2000);
        if (comment.Length == 0)
        {
            return ProblemResults.Invalid([new FieldProblem("comment", SubmissionTexts.CommentNeeded)], SubmissionTexts.CommentNeeded);
        }
        return await TransitionAsync(form, period, unit, http, body.Bytes, (key, request) => submissions.AnswerFollowUpAsync(key, followUp, comment, request, cancellationToken));
    }

    /// <summary>A string property of a JSON body, cleaned (NFC, no control characters) and trimmed; empty when absent, not text or too long.</summary>
    private static string Text(JsonElement root, string name, int limit)
    {
        var text = root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? SubmissionValues.CleanText(value.GetString()!).Trim()
            : "";
        return text.Length > limit ? "" : text;
    }

    internal static async Task<Results<Ok<HistoryView>, ProblemHttpResult>> GetHistory(
        string form, string period, string unit, SubmissionService submissions, CancellationToken cancellationToken)
    {
        var revisions = await submissions.HistoryAsync(new SubmissionKey(form, period, unit), cancellationToken);
        return revisions.Count == 0 ? ProblemResults.NotFound(SubmissionTexts.NoSubmission) : TypedResults.Ok(new HistoryView(form, period, unit, revisions));
    }

    internal static async Task<Results<Ok<SubmissionPage>, ProblemHttpResult>> ListSubmissions(
        string form, string period, string? under, string? status, string? continuationToken, int? pageSize, HttpContext http,
        [FromServices] SubmissionList list, [FromServices] PeriodCatalog periods, CancellationToken cancellationToken)
    {
        var errors = new List<FieldProblem>();
        under ??= http.Caller().Unit;
        if (under is null)
        {
            errors.Add(new("under", SubmissionTexts.UnderNeeded));
        }
        if (!periods.TryResolve(period, out var resolved))
        {
            errors.Add(new("period", CommonTexts.BadPeriod.Format(period)));
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
                errors.Add(new("status", SubmissionTexts.BadStatus.Format(status)));
            }
        }
        string? token = null;
        if (continuationToken is not null && !TryDecode(continuationToken, out token))
        {
            errors.Add(new("continuationToken", SubmissionTexts.BadToken));
        }
        if (pageSize is < 1 or > 1000)
        {
            errors.Add(new("pageSize", SubmissionTexts.BadPageSize));
        }
        if (errors.Count > 0)
        {
            return ProblemResults.Invalid(errors, SubmissionTexts.InvalidValues.Format(errors.Count));
        }
        var page = await list.ListAsync(form, resolved!, under!, wanted, token, pageSize ?? 100, cancellationToken);
        return TypedResults.Ok(page with { ContinuationToken = page.ContinuationToken is null ? null : Convert.ToBase64String(Encoding.UTF8.GetBytes(page.ContinuationToken)) });
    }

    private static bool TryDecode(string token, out string? unit)
    {
        var bytes = new byte[token.Length];
        unit = Convert.TryFromBase64String(token, bytes, out var length) ? Encoding.UTF8.GetString(bytes, 0, length) : null;
        return unit is not null && Qcdc.Storage.StorageKeys.IsSafe(unit);
    }

    private static async Task<Results<Ok<ReportView>, Created<ReportView>, ProblemHttpResult>> WriteValuesAsync(
        string form, string period, string unit, HttpContext http, CancellationToken cancellationToken,
        Func<SubmissionKey, JsonElement, WriteRequest, Task<SubmissionResult>> write)
    {
        var body = http.Body();
        if (body.Root.ValueKind != JsonValueKind.Object || !body.Root.TryGetProperty("values", out var values)
            || body.Root.EnumerateObject().Any(p => p.Name != "values"))
        {
            return ProblemResults.About(RefusalKind.BadRequest, "values", SubmissionTexts.BodyShape);
        }
        // A text holding a character nobody can keep is a malformed request (400), whatever else the values say.
        if (FirstFlawedText(values, "values") is var (field, flaw))
        {
            return ProblemResults.About(RefusalKind.BadRequest, field, CommonTexts.BadCharacter.Format(field, UserText.Describe(flaw)));
        }
        var (request, problem) = WriteConditions.Read(http, body.Bytes);
        return problem ?? Answer(await write(new SubmissionKey(form, period, unit), values, request!), http);
    }

    private static (string Field, TextFlaw Flaw)? FirstFlawedText(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String when UserText.Flaw(element.GetString()!, multiline: true) is { } flaw:
                return (path, flaw);
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (FirstFlawedText(property.Value, $"{path}.{property.Name}") is { } found)
                    {
                        return found;
                    }
                }
                break;
        }
        return null;
    }

    private static async Task<Results<Ok<ReportView>, Created<ReportView>, ProblemHttpResult>> TransitionAsync(
        string form, string period, string unit, HttpContext http, byte[] body, Func<SubmissionKey, WriteRequest, Task<SubmissionResult>> write)
    {
        var (request, problem) = WriteConditions.Read(http, body);
        return problem ?? Answer(await write(new SubmissionKey(form, period, unit), request!), http);
    }

    internal static Results<Ok<ReportView>, Created<ReportView>, ProblemHttpResult> Answer(SubmissionResult result, HttpContext http)
    {
        if (result.Submission is not { } submission)
        {
            return ProblemResults.Of(result.Refusal!);
        }
        http.Response.Headers.ETag = submission.ETag;
        if (result.Replayed)
        {
            WriteConditions.MarkReplayed(http);
        }
        var view = ReportView.From(submission, result.Checks, result.Refused);
        return result.Created
            ? TypedResults.Created($"/api/submissions/{submission.Key.Form}/{submission.Key.Period}/{submission.Key.Unit}", view)
            : TypedResults.Ok(view);
    }
}
