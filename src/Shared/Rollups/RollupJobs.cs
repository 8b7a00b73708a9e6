using Microsoft.Extensions.Logging;
using Qcdc.Jobs;

namespace Qcdc.Rollups;

/// <summary>
/// Daily at 01:00 in Vietnam (18:00 UTC): recomputes the quarters whose reports changed and closes quarters past
/// their lock date with a final rollup.
/// </summary>
public sealed class QuarterlyRollupJob(RollupService rollups) : IScheduledJob
{
    public const string Name = "QuarterlyRollup";
    public const string Schedule = "0 0 18 * * *";

    public async Task<JobResult> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        return RollupJobResult.Of(context, await rollups.RunChangedQuartersAsync(cancellationToken), "quarter");
    }
}

/// <summary>
/// Weekly, Sunday at 02:00 in Vietnam (Saturday 19:00 UTC): recomputes the half-years, years and five-year windows
/// whose quarterly rollups changed since their last run (refreshing stale quarters first).
/// </summary>
public sealed class PeriodRollupJob(RollupService rollups) : IScheduledJob
{
    public const string Name = "PeriodRollup";
    public const string Schedule = "0 0 19 * * 6";

    public async Task<JobResult> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        return RollupJobResult.Of(context, await rollups.RunChangedPeriodsAsync(cancellationToken), "period");
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
        return new JobResult(summaries.Count == 0 ? $"no {what} changed" : $"{summaries.Count} {what}(s) rolled up");
    }
}
