using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Qcdc.Storage;

/// <summary>
/// Creates every table and container at start, idempotently and in parallel, while the rest of the host starts: the
/// first attempt does not hold up the listening socket (a cold start pays it once, overlapped), and requests wait
/// for that first attempt (<see cref="FirstAttempt"/>, at most <see cref="StartLimit"/>) before they touch storage.
/// When storage is unreachable the app still starts (health answers 503) and creation is retried in the background
/// until it succeeds.
/// </summary>
public sealed partial class StorageInitializer(
    TableServiceClient tables,
    BlobServiceClient blobs,
    StorageNames names,
    TimeProvider time,
    ILogger<StorageInitializer> logger) : IHostedService
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(15);
    // Never disposed: the host may stop this service after the container disposed it, and a token source
    // without timers holds nothing that needs disposing.
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _firstAttempt = Task.CompletedTask;
    private Task? _retries;

    /// <summary>Completes once every table and container exists.</summary>
    public Task Ready => _ready.Task;

    /// <summary>
    /// Completes when the first attempt at start has succeeded or given up (within <see cref="StartLimit"/>); it faults
    /// only when the app stops during it. A request awaits it so that a fresh deployment's first request finds its tables.
    /// </summary>
    public Task FirstAttempt => _firstAttempt;

    /// <summary>How long the first attempt may take; past it requests go on and creation goes on in the background.</summary>
    public static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(5);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _firstAttempt = FirstAttemptAsync(_stopping.Token);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _firstAttempt.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (_retries is not null)
        {
            await _retries.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task FirstAttemptAsync(CancellationToken cancellationToken)
    {
        // Off the host's start path: the creation requests run while the rest of the host starts.
        await Task.Yield();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(StartLimit);
        if (await TryCreateAllAsync(limit.Token) || cancellationToken.IsCancellationRequested)
        {
            return;
        }
        _retries = RetryUntilReadyAsync(cancellationToken);
    }

    private async Task RetryUntilReadyAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(RetryInterval, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (await TryCreateAllAsync(cancellationToken))
            {
                return;
            }
        }
    }

    private async Task<bool> TryCreateAllAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(EnsureTablesAsync(cancellationToken), EnsureContainersAsync(cancellationToken));
            _ready.TrySetResult();
            LogReady(StorageNames.AllTables.Count, StorageNames.AllContainers.Count, names.Prefix);
            return true;
        }
        catch (Exception exception) when (!_stopping.IsCancellationRequested)
        {
            // Whatever storage answered (nothing, an error, something unreadable), the app starts and keeps trying.
            LogUnavailable(RetryInterval.TotalSeconds, exception.GetType().Name);
            return false;
        }
    }

    // Every start but the first finds everything in place: one listing of the app's tables and one of its containers
    // (two storage requests instead of ten), then creation of only what is missing. Creating a container that exists
    // would also cost the Blobs SDK a thrown and caught exception.
    private async Task EnsureTablesAsync(CancellationToken cancellationToken)
    {
        var filter = names.Prefix.Length == 0 ? null : TableClient.CreateQueryFilter($"TableName ge {names.Prefix} and TableName lt {names.Prefix + "~"}");
        var existing = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await foreach (var table in tables.QueryAsync(filter, cancellationToken: cancellationToken))
        {
            existing.Add(table.Name);
        }
        await Task.WhenAll(StorageNames.AllTables.Select(names.Table).Where(t => !existing.Contains(t))
            .Select(t => tables.CreateTableIfNotExistsAsync(t, cancellationToken)));
    }

    private async Task EnsureContainersAsync(CancellationToken cancellationToken)
    {
        var existing = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var container in blobs.GetBlobContainersAsync(prefix: names.Prefix.ToLowerInvariant(), cancellationToken: cancellationToken))
        {
            existing.Add(container.Name);
        }
        await Task.WhenAll(StorageNames.AllContainers.Select(names.Container).Where(c => !existing.Contains(c))
            .Select(c => blobs.GetBlobContainerClient(c).CreateIfNotExistsAsync(cancellationToken: cancellationToken)));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage ready: {Tables} tables and {Containers} containers (prefix '{Prefix}')")]
    private partial void LogReady(int tables, int containers, string prefix);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage is unreachable at start; retrying every {Seconds} s ({Reason})")]
    private partial void LogUnavailable(double seconds, string reason);
}
