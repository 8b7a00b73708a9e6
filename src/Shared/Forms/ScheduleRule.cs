using Qcdc.Periods;

namespace Qcdc.Forms;

/// <summary>
/// When reports of one level are due: a number of working days after the data cut-off (communes: 1, as the
/// minimum Decree 09/2019 Art. 8(5) allows) or a fixed day of the period's last month (provincial bodies: the
/// 25th, as Art. 13 sets for reports to the Government).
/// </summary>
public sealed record DeadlineRule(int? WorkingDaysAfterCutoff = null, int? DayOfLastMonth = null)
{
    public DateOnly DueDate(Period period) => DayOfLastMonth is { } day
        ? new DateOnly(period.End.Year, period.End.Month, Math.Min(day, period.End.Day))
        : AddWorkingDays(period.Cutoff, WorkingDaysAfterCutoff ?? 1);

    /// <summary>Working days are Monday to Friday (public holidays are not modelled).</summary>
    public static DateOnly AddWorkingDays(DateOnly from, int days)
    {
        var date = from;
        while (days > 0)
        {
            date = date.AddDays(1);
            if (date.DayOfWeek is not DayOfWeek.Saturday and not DayOfWeek.Sunday)
            {
                days--;
            }
        }
        return date;
    }
}

/// <summary>A form's schedule: a deadline per unit kind (with a default) and how long after it the period locks.</summary>
public sealed record ScheduleRule(IReadOnlyDictionary<string, DeadlineRule> Deadlines, int LockAfterDays)
{
    public const string DefaultKind = "default";

    public static ScheduleRule Decree09Default { get; } = new(
        new Dictionary<string, DeadlineRule>
        {
            ["commune"] = new(WorkingDaysAfterCutoff: 1),
            ["district"] = new(WorkingDaysAfterCutoff: 3),
            [DefaultKind] = new(DayOfLastMonth: 25),
        },
        LockAfterDays: 30);

    public DeadlineRule DeadlineFor(string unitKind) =>
        Deadlines.TryGetValue(unitKind, out var rule) ? rule
        : Deadlines.TryGetValue(DefaultKind, out var fallback) ? fallback
        : new DeadlineRule(DayOfLastMonth: 25);

    public PeriodSchedule For(Period period)
    {
        var deadlines = Deadlines.ToDictionary(d => d.Key, d => d.Value.DueDate(period), StringComparer.Ordinal);
        var latest = deadlines.Count == 0 ? period.End : deadlines.Values.Max();
        return new PeriodSchedule(period, period.DataStart, period.Cutoff, deadlines, latest.AddDays(LockAfterDays));
    }
}

/// <summary>The dates of one period under one form's schedule.</summary>
public sealed record PeriodSchedule(
    Period Period, DateOnly DataStart, DateOnly Cutoff, IReadOnlyDictionary<string, DateOnly> Deadlines, DateOnly LockDate)
{
    public DateOnly DeadlineFor(string unitKind) =>
        Deadlines.TryGetValue(unitKind, out var date) ? date
        : Deadlines.TryGetValue(ScheduleRule.DefaultKind, out var fallback) ? fallback
        : Period.End;

    /// <summary>The period has started (its data window is open) and has not locked.</summary>
    public bool IsOpenOn(DateOnly today) => today >= DataStart && !IsLockedOn(today);

    public bool HasStartedOn(DateOnly today) => today >= DataStart;

    /// <summary>Locked from the day after the lock date: reporters and reviewers can no longer write.</summary>
    public bool IsLockedOn(DateOnly today) => today > LockDate;
}
