using Qcdc.Jobs;

namespace Qcdc.Notifications;

/// <summary>
/// Hourly, the safety net: state changes recorded with reports that were not turned into notices right after their
/// commit (the process stopped in between, storage failed) become notices in the outbox.
/// </summary>
public sealed class NotificationDispatchJob(NotificationService notifications) : IScheduledJob
{
    public const string Name = "NotificationDispatch";

    /// <summary>The app setting that holds the schedule (the timer trigger reads <c>%NotificationDispatchSchedule%</c>).</summary>
    public const string ScheduleSetting = "NotificationDispatchSchedule";

    /// <summary>The schedule when the setting is absent.</summary>
    public const string Schedule = "0 5 * * * *";

    public async Task<JobResult> RunAsync(JobContext context, CancellationToken cancellationToken) =>
        new($"{await notifications.DispatchAsync(cancellationToken)} state changes recorded as notices");
}

/// <summary>Daily at 08:00 in Vietnam (01:00 UTC): deadline reminders and the lists of units still missing.</summary>
public sealed class DeadlineRemindersJob(NotificationService notifications) : IScheduledJob
{
    public const string Name = "DeadlineReminders";

    /// <summary>The app setting that holds the schedule (the timer trigger reads <c>%DeadlineRemindersSchedule%</c>).</summary>
    public const string ScheduleSetting = "DeadlineRemindersSchedule";

    /// <summary>The schedule when the setting is absent.</summary>
    public const string Schedule = "0 0 1 * * *";

    public async Task<JobResult> RunAsync(JobContext context, CancellationToken cancellationToken) =>
        new($"{await notifications.RemindAsync(cancellationToken)} reminders recorded");
}

/// <summary>Every two minutes: the outbox's due notices are delivered, retried with backoff, or marked failed.</summary>
public sealed class NoticeDeliveryJob(NoticeSender sender) : IScheduledJob
{
    public const string Name = "NoticeDelivery";

    /// <summary>The app setting that holds the schedule (the timer trigger reads <c>%NoticeDeliverySchedule%</c>).</summary>
    public const string ScheduleSetting = "NoticeDeliverySchedule";

    /// <summary>The schedule when the setting is absent.</summary>
    public const string Schedule = "0 */2 * * * *";

    public async Task<JobResult> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var delivery = await sender.SendDueAsync(cancellationToken);
        return new($"{delivery.Sent} notices delivered, {delivery.Retried} to retry, {delivery.Failed} given up");
    }
}
