using Microsoft.AspNetCore.Http.HttpResults;
using Qcdc.Functions.Http;
using Qcdc.Functions.Problems;
using Qcdc.Functions.Security;
using Qcdc.Jobs;
using Qcdc.Localization;
using Qcdc.Notifications;
using Qcdc.Problems;
using Qcdc.Units;

namespace Qcdc.Functions.Notifications;

/// <summary>Who gets a unit's notices, what the outbox holds, and running a timer job now (administrators).</summary>
public static class NotificationsApi
{
    public sealed record ContactsBody(IReadOnlyList<string> Emails, string? WebhookUrl);

    public sealed record ContactsView(string Unit, IReadOnlyList<string> Emails, string? WebhookUrl);

    /// <summary>A notice as administrators see it: what, to which unit, where it stands (no addresses).</summary>
    public sealed record NoticeView(
        string Id, NoticeKind Kind, string Unit, string? Form, string? Period, string Subject, NoticeStatus Status, int Attempts,
        DateTimeOffset CreatedAt, DateTimeOffset NotBefore, DateTimeOffset? SentAt, IReadOnlyList<string> Channels, string? LastError, int Lines);

    public sealed record NoticeList(IReadOnlyList<NoticeView> Notices);

    public sealed record JobRunView(string Job, JobRunStatus Status, string? Summary);

    internal static async Task<Results<Ok<ContactsView>, ProblemHttpResult>> PutContacts(
        string code, HttpContext http, UnitStore units, NotificationStore store, CancellationToken cancellationToken)
    {
        if ((await units.GetHierarchyAsync(cancellationToken)).Find(code) is null)
        {
            return ProblemResults.NotFound(CommonTexts.UnknownUnit.Format(code));
        }
        var (contacts, refusal) = ContactRules.Read(http.Body().Root);
        if (contacts is null)
        {
            return ProblemResults.Of(refusal!);
        }
        await store.PutContactsAsync(code, contacts, cancellationToken);
        return TypedResults.Ok(new ContactsView(code, contacts.Emails, contacts.WebhookUrl));
    }

    internal static async Task<Results<Ok<ContactsView>, ProblemHttpResult>> GetContacts(string code, NotificationStore store, CancellationToken cancellationToken) =>
        await store.GetContactsAsync(code, cancellationToken) is { } contacts
            ? TypedResults.Ok(new ContactsView(code, contacts.Emails, contacts.WebhookUrl))
            : ProblemResults.NotFound(ContactTexts.NoContacts.Format(code));

    internal static async Task<Results<Ok<NoticeList>, ProblemHttpResult>> ListNotifications(
        string? status, NotificationStore store, CancellationToken cancellationToken)
    {
        NoticeStatus? wanted = null;
        if (status is not null)
        {
            if (!Enum.TryParse<NoticeStatus>(status, ignoreCase: true, out var parsed) || int.TryParse(status, out _))
            {
                return ProblemResults.About(RefusalKind.BadRequest, "status", ContactTexts.BadStatus);
            }
            wanted = parsed;
        }
        var notices = await store.ListAsync(wanted, 1000, cancellationToken);
        return TypedResults.Ok(new NoticeList([.. notices.OrderByDescending(n => n.CreatedAt).Select(n => new NoticeView(
            n.Id, n.Kind, n.Unit, n.Form, n.Period, n.Subject, n.Status, n.Attempts, n.CreatedAt, n.NotBefore, n.SentAt, n.Channels, n.LastError, n.Lines.Count))]));
    }

    internal static async Task<Results<Ok<JobRunView>, ProblemHttpResult>> RunJob(
        string name, IEnumerable<JobRegistration> jobs, JobRunner runner, TimeProvider time, CancellationToken cancellationToken)
    {
        var job = jobs.FirstOrDefault(j => string.Equals(j.Name, name, StringComparison.OrdinalIgnoreCase));
        if (job is null)
        {
            return ProblemResults.NotFound(ContactTexts.UnknownJob.Format(name));
        }
        var outcome = await runner.RunAsync(job, JobTrigger.Manual, isPastDue: false, time.GetUtcNow(), cancellationToken);
        return TypedResults.Ok(new JobRunView(job.Name, outcome.Status, outcome.Summary));
    }
}
