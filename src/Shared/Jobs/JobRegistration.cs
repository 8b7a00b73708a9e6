using Cronos;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Qcdc.Jobs;

/// <summary>
/// One entry of the job registry: the timer function's name, its 6-field NCRONTAB schedule (UTC), the app setting
/// the schedule was read from (the timer trigger's <c>%Setting%</c>, when it has one) and the job type.
/// </summary>
public sealed record JobRegistration(string Name, string Schedule, Type JobType, string? Setting = null)
{
    public CronExpression Cron { get; } = JobSchedule.Parse(Schedule);
}

public static class JobSchedule
{
    /// <summary>Parses a 6-field NCRONTAB expression (seconds first), as the Functions timer trigger takes it.</summary>
    public static CronExpression Parse(string schedule)
    {
        var fields = schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 6)
        {
            throw new FormatException($"'{schedule}' is not a 6-field NCRONTAB expression (second minute hour day month day-of-week).");
        }
        return CronExpression.Parse(schedule, CronFormat.IncludeSeconds);
    }
}

public static class JobServiceCollectionExtensions
{
    /// <summary>The runner (blob lease per job) and the in-process scheduler for standalone hosting.</summary>
    public static IServiceCollection AddQcdcJobs(this IServiceCollection services)
    {
        services.AddOptions<JobOptions>()
            .BindConfiguration(JobOptions.Section)
            .Validate(o => o.LeaseDuration >= TimeSpan.FromSeconds(15) && o.LeaseDuration <= TimeSpan.FromSeconds(60),
                "Jobs:LeaseDuration must be between 15 and 60 seconds.")
            .ValidateOnStart();
        services.AddSingleton<JobRunner>();
        services.AddHostedService<JobScheduler>();
        return services;
    }

    /// <summary>Registers a timer job under its function name and UTC schedule.</summary>
    public static IServiceCollection AddScheduledJob<TJob>(this IServiceCollection services, string name, string schedule)
        where TJob : class, IScheduledJob
    {
        services.AddSingleton(new JobRegistration(name, schedule, typeof(TJob)));
        services.AddTransient<TJob>();
        return services;
    }

    /// <summary>
    /// Registers a timer job whose schedule is the app setting <paramref name="setting"/> (as the Functions host reads a
    /// timer trigger's <c>%setting%</c>), or <paramref name="defaultSchedule"/> when the setting is absent.
    /// </summary>
    public static IServiceCollection AddScheduledJob<TJob>(this IServiceCollection services, string name, string setting, string defaultSchedule)
        where TJob : class, IScheduledJob
    {
        services.AddSingleton(sp => new JobRegistration(
            name, sp.GetRequiredService<IConfiguration>()[setting] is { Length: > 0 } configured ? configured : defaultSchedule, typeof(TJob), setting));
        services.AddTransient<TJob>();
        return services;
    }
}
