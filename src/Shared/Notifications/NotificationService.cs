using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Qcdc.Forms;
using Qcdc.Periods;
using Qcdc.Submissions;
using Qcdc.Units;

namespace Qcdc.Notifications;

/// <summary>
/// Turns what happens to reports into notices in the outbox: a return at once to the unit, submissions and approvals
/// in one digest per recipient per day, reminders before, on and after a deadline to the units that have not
/// submitted and to their reviewers. Every notice has a deterministic id, so a replayed event or a re-run job records
/// nothing twice.
/// </summary>
public sealed partial class NotificationService(
    NotificationStore notices, SubmissionStore submissions, INoticeOutbox outbox, UnitStore units, FormStore forms, PeriodCatalog periods, TimeProvider time,
    IOptions<NotificationOptions> options, ILogger<NotificationService> logger) : ISubmissionObserver
{
    private NotificationOptions Options => options.Value;

    /// <summary>The periods whose reports may still change: those ending last year and this year (and next, for reminders).</summary>
    private async Task<IReadOnlyList<(FormDefinition Form, Period Period)>> ActivePeriodsAsync(int yearsAhead, CancellationToken cancellationToken)
    {
        var catalog = await forms.GetCatalogAsync(cancellationToken);
        var year = VietnamTime.Today(time).Year;
        return [.. catalog.Current
            .SelectMany(form => Enumerable.Range(year - 1, 2 + yearsAhead).SelectMany(y => periods.PeriodsOf(form.PeriodType, y))
                .Select(p => (catalog.ForPeriod(form.Code, p)!, p)))];
    }

    /// <summary>The sweep: records the notices of every state change not yet dispatched, then forgets the changes.</summary>
    public async Task<int> DispatchAsync(CancellationToken cancellationToken)
    {
        var hierarchy = await units.GetHierarchyAsync(cancellationToken);
        var recorded = 0;
        foreach (var (form, period) in await ActivePeriodsAsync(0, cancellationToken))
        {
            recorded += await DispatchAsync(form, period, hierarchy, cancellationToken);
        }
        return recorded;
    }

    /// <summary>Right after a change is committed: its partition's pending changes become notices at once.</summary>
    public async Task CommittedAsync(SubmissionKey key, SubmissionAction action, CancellationToken cancellationToken)
    {
        if (!periods.TryResolve(key.Period, out var period))
        {
            return;
        }
        var catalog = await forms.GetCatalogAsync(cancellationToken);
        if (catalog.ForPeriod(key.Form, period) is { } form)
        {
            await DispatchAsync(form, period, await units.GetHierarchyAsync(cancellationToken), cancellationToken);
        }
    }

    private async Task<int> DispatchAsync(FormDefinition form, Period period, UnitHierarchy hierarchy, CancellationToken cancellationToken)
    {
        var recorded = 0;
        foreach (var change in await outbox.NoticeEventsAsync(form.Code, period.Key, cancellationToken))
        {
            await RecordAsync(change, form, period, hierarchy, cancellationToken);
            await outbox.DeleteNoticeEventAsync(change, cancellationToken);
            recorded++;
        }
        return recorded;
    }

    private async Task RecordAsync(NoticeEvent change, FormDefinition form, Period period, UnitHierarchy hierarchy, CancellationToken cancellationToken)
    {
        var unit = hierarchy.Find(change.Unit);
        var unitName = unit?.Name ?? change.Unit;
        var periodName = NoticeTexts.PeriodName(period);
        var link = Link($"#/bao-cao/{form.Code}/{period.Key}/{change.Unit}");
        var now = time.GetUtcNow();
        switch (change.Action)
        {
            case SubmissionAction.Returned:
                await notices.AddAsync(new Notice(
                    Notice.IdOf(NoticeKind.Returned, change.Unit, form.Code, period.Key, Day(change.At), $"r{change.Revision}"), NoticeKind.Returned,
                    change.Unit, form.Code, period.Key, $"Báo cáo {periodName} của {unitName} bị trả lại",
                    NoticeTexts.Returned(form, periodName, unitName, change.Reason, link), NoticeStatus.Pending, 0, now, now, null, null, [], []), cancellationToken);
                break;
            case SubmissionAction.Submitted:
                // To the unit above, which reviews it (the hierarchy at the end of the period).
                if (unit?.Parent is { } reviewer)
                {
                    await DigestAsync(reviewer, hierarchy, change, NoticeTexts.SubmittedLine(form, periodName, unitName, change, link), cancellationToken);
                }
                break;
            case SubmissionAction.Approved:
                await DigestAsync(change.Unit, hierarchy, change, NoticeTexts.ApprovedLine(form, periodName, change, link), cancellationToken);
                break;
        }
    }

    private async Task DigestAsync(string recipient, UnitHierarchy hierarchy, NoticeEvent change, string line, CancellationToken cancellationToken)
    {
        var at = change.At.ToOffset(VietnamTime.Offset);
        var day = DateOnly.FromDateTime(at.DateTime);
        if (at.Hour >= Options.DigestHour)
        {
            day = day.AddDays(1);
        }
        // A digest already sent (the dispatcher ran late) does not take the line: the next day's does.
        for (var tries = 0; tries < 7; tries++, day = day.AddDays(1))
        {
            var sendAt = new DateTimeOffset(day.ToDateTime(new TimeOnly(Options.DigestHour, 0)), VietnamTime.Offset);
            var digest = new Notice(Notice.IdOf(NoticeKind.Digest, recipient, null, null, day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
                NoticeKind.Digest, recipient, null, null, NoticeTexts.DigestSubject(hierarchy.Find(recipient)?.Name ?? recipient, day),
                NoticeTexts.DigestBody(Link("#/")), NoticeStatus.Pending, 0, sendAt, time.GetUtcNow(), null, null, [], []);
            if (await notices.AppendAsync(digest, $"{change.Form}|{change.Period}|{change.Row}", line, cancellationToken))
            {
                return;
            }
        }
    }

    /// <summary>
    /// Deadline reminders for today: units that have not submitted get one on the configured days before their deadline,
    /// on the day and three days after it; each reviewing unit gets the list of its units still missing on those days.
    /// </summary>
    public async Task<int> RemindAsync(CancellationToken cancellationToken)
    {
        var today = VietnamTime.Today(time);
        var hierarchy = await units.GetHierarchyAsync(cancellationToken);
        var recorded = 0;
        var reminderDays = Options.RemindDaysBefore.Select(d => -d).Append(0).Append(3).ToHashSet();
        foreach (var (form, period) in await ActivePeriodsAsync(1, cancellationToken))
        {
            var schedule = form.Schedule.For(period);
            if (!schedule.HasStartedOn(today) || today > schedule.LockDate)
            {
                continue;
            }
            var expected = hierarchy.RootsAsOf(period.End).SelectMany(r => hierarchy.SubtreeAsOf(r.Code, period.End))
                .Where(u => form.AppliesTo(u.Kind)).ToList();
            var due = expected.Where(u => reminderDays.Contains(today.DayNumber - schedule.DeadlineFor(u.Kind).DayNumber)).ToList();
            if (due.Count == 0)
            {
                continue;
            }
            var sent = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var report in submissions.ScanAsync(form.Code, period.Key, cancellationToken))
            {
                if (report.Status is SubmissionStatus.Submitted or SubmissionStatus.Approved)
                {
                    sent.Add(report.Key.Unit);
                }
            }
            var missing = due.Where(u => !sent.Contains(u.Code)).ToList();
            var periodName = NoticeTexts.PeriodName(period);
            var day = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var now = time.GetUtcNow();
            foreach (var unit in missing)
            {
                var deadline = schedule.DeadlineFor(unit.Kind);
                if (await notices.AddAsync(new Notice(Notice.IdOf(NoticeKind.Reminder, unit.Code, form.Code, period.Key, day), NoticeKind.Reminder, unit.Code,
                    form.Code, period.Key, NoticeTexts.ReminderSubject(periodName, deadline, today), NoticeTexts.Reminder(form, periodName, unit.Name, deadline, today,
                        Link($"#/bao-cao/{form.Code}/{period.Key}/{unit.Code}")), NoticeStatus.Pending, 0, now, now, null, null, [], []), cancellationToken))
                {
                    recorded++;
                }
            }
            foreach (var group in missing.Where(u => u.Parent is not null).GroupBy(u => u.Parent!, StringComparer.Ordinal))
            {
                var reviewer = hierarchy.Find(group.Key);
                if (await notices.AddAsync(new Notice(Notice.IdOf(NoticeKind.Missing, group.Key, form.Code, period.Key, day), NoticeKind.Missing, group.Key,
                    form.Code, period.Key, $"Các đơn vị chưa gửi báo cáo {periodName}", NoticeTexts.Missing(form, periodName, reviewer?.Name ?? group.Key,
                        Link($"#/duyet?period={period.Key}")), NoticeStatus.Pending, 0, now, now, null, null, [],
                    [.. group.OrderBy(u => u.Code, StringComparer.Ordinal).Select(u => $"{u.Name} ({u.Code}) — hạn {NoticeTexts.Date(schedule.DeadlineFor(u.Kind))}")]),
                    cancellationToken))
                {
                    recorded++;
                }
            }
        }
        LogReminders(recorded, today);
        return recorded;
    }

    private string? Link(string fragment) =>
        string.IsNullOrWhiteSpace(Options.PublicBaseUrl) ? null : Options.PublicBaseUrl.TrimEnd('/') + "/" + fragment;

    private static string Day(DateTimeOffset at) => VietnamTime.DateOf(at).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deadline reminders for {Today}: {Recorded} notices recorded")]
    private partial void LogReminders(int recorded, DateOnly today);
}
