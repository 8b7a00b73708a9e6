using Qcdc.Jobs;

namespace Qcdc.Security;

/// <summary>Daily at 03:30 in Vietnam (20:30 UTC): removes browser sessions that ended.</summary>
public sealed class SessionCleanupJob(SessionStore sessions) : IScheduledJob
{
    public const string Name = "SessionCleanup";

    /// <summary>The app setting that holds the schedule (the timer trigger reads <c>%SessionCleanupSchedule%</c>).</summary>
    public const string ScheduleSetting = "SessionCleanupSchedule";

    /// <summary>The schedule when the setting is absent.</summary>
    public const string Schedule = "0 30 20 * * *";

    public async Task<JobResult> RunAsync(JobContext context, CancellationToken cancellationToken) =>
        new($"{await sessions.RemoveEndedAsync(cancellationToken)} ended sessions removed");
}
