using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Qcdc.Json;

namespace Qcdc.Jobs;

/// <summary>
/// A timer job. The same job runs when the Azure Functions host invokes its timer function and, when the app runs
/// alone, when the in-process scheduler reaches its schedule.
/// </summary>
public interface IScheduledJob
{
    Task<JobResult> RunAsync(JobContext context, CancellationToken cancellationToken);
}

/// <summary>What triggered a run.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<JobTrigger>))]
public enum JobTrigger
{
    Scheduler,
    FunctionsHost,
    Manual,
}

/// <param name="Trigger">Who started the run.</param>
/// <param name="IsPastDue">True for the one catch-up run after downtime.</param>
/// <param name="Occurrence">The scheduled time this run is for.</param>
/// <param name="Logger">Writes to the app log and to the run's own log lines (returned to the Functions host).</param>
public sealed record JobContext(JobTrigger Trigger, bool IsPastDue, DateTimeOffset Occurrence, ILogger Logger);

/// <summary>A one-line summary of what the run did.</summary>
public sealed record JobResult(string Summary);
