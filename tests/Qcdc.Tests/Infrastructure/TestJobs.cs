using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Qcdc.Jobs;

namespace Qcdc.Tests.Infrastructure;

/// <summary>What the test jobs saw: every run, and how many ran at the same time.</summary>
public sealed class JobProbe
{
    private int _running;
    private int _maxConcurrent;

    public ConcurrentQueue<JobContext> Runs { get; } = new();

    public int MaxConcurrent => Volatile.Read(ref _maxConcurrent);

    public TimeSpan RunTime { get; set; } = TimeSpan.Zero;

    public async Task<JobResult> RecordAsync(JobContext context, CancellationToken cancellationToken)
    {
        var running = Interlocked.Increment(ref _running);
        int seen;
        while (running > (seen = Volatile.Read(ref _maxConcurrent)) && Interlocked.CompareExchange(ref _maxConcurrent, running, seen) != seen)
        {
        }
        try
        {
            Runs.Enqueue(context);
            context.Logger.LogInformation("Probe run {Count}", Runs.Count);
            if (RunTime > TimeSpan.Zero)
            {
                await Task.Delay(RunTime, cancellationToken);
            }
            return new JobResult($"run {Runs.Count}");
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }
}

public sealed class ProbeJob(JobProbe probe) : IScheduledJob
{
    public Task<JobResult> RunAsync(JobContext context, CancellationToken cancellationToken) => probe.RecordAsync(context, cancellationToken);
}

public sealed class FailingJob : IScheduledJob
{
    public Task<JobResult> RunAsync(JobContext context, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("The test job fails on purpose.");
}
