using Microsoft.Extensions.Logging;
using Qcdc.Jobs;

namespace Qcdc.Rollups;

/// <summary>
/// Daily at 01:00 in Vietnam (18:00 UTC), the safety net behind fresh-on-read: recomputes every quarter whose
/// snapshot is stale (its reports, the hierarchy or the forms changed) and writes the final snapshot of a quarter
/// that locked since.
/// </summary>
public sealed class QuarterlyRollupJob(RollupService rollups) : IScheduledJob
{
    public const string Name = "QuarterlyRollup";

    /// <summary>The app setting that holds the schedule (the timer trigger reads <c>%QuarterlyRollupSchedule%</c>).</summary>
    public const string ScheduleSetting = "QuarterlyRollupSchedule";

    /// <summary>The schedule when the setting is absent.</summary>
    public const string Schedule = "0 0 18 * * *";

    public async Task<JobResult> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        return RollupJobResult.Of(context, await rollups.RunStaleQuartersAsync(cancellationToken), "quarter");
    }
}

/// <summary>
/// Weekly, Sunday at 02:00 in Vietnam (Saturday 19:00 UTC): recomputes the half-years, years and five-year windows
/// whose snapshots are stale (refreshing stale quarters first).
/// </summary>
public sealed class PeriodRollupJob(RollupService rollups) : IScheduledJob
{
    public const string Name = "PeriodRollup";

    /// <summary>The app setting that holds the schedule (the timer trigger reads <c>%PeriodRollupSchedule%</c>).</summary>
    public const string ScheduleSetting = "PeriodRollupSchedule";

    /// <summary>The schedule when the setting is absent.</summary>
    public const string Schedule = "0 0 19 * * 6";

    public async Task<JobResult> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        return RollupJobResult.Of(context, await rollups.RunStalePeriodsAsync(cancellationToken), "period");
    }
}

/// <summary>What a rollup timer reports: a log line per rollup it ran, and a one-line summary.</summary>
internal static class RollupJobResult
{
    public static JobResult Of(JobContext context, IReadOnlyList<RollupSummary> summaries, string what)
    {
        foreach (var s in summaries)
        {
            context.Logger.LogInformation("Rolled up {Form} {Period}: {Units} units, {Reads} reads, {Writes} writes in {Seconds} s",
                s.Form, s.Period, s.Units, s.Reads, s.Writes, s.Seconds);
        }
        return new JobResult(summaries.Count == 0 ? $"no {what} was stale" : $"{summaries.Count} {what}(s) rolled up");
    }
}
