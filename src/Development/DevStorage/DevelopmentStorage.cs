using Qcdc.Storage;

namespace Qcdc.Development.DevStorage;

/// <summary>The embedded storage of development start, bound from the <c>Storage</c> section.</summary>
public sealed class DevelopmentStorageOptions
{
    /// <summary>Start Azurite when development storage (<c>UseDevelopmentStorage=true</c>) is configured.</summary>
    public bool StartAzurite { get; set; }

    /// <summary>Folder, relative to the repository root (or absolute), where the embedded Azurite keeps its data.</summary>
    public string AzuriteDataPath { get; set; } = ".azurite";

    /// <summary>The ports development storage means: Azurite's defaults.</summary>
    public int AzuriteBlobPort { get; set; } = AzuriteProcess.DefaultBlobPort;

    public int AzuriteTablePort { get; set; } = AzuriteProcess.DefaultTablePort;
}

/// <summary>
/// The embedded default of <c>dotnet run</c>: when development storage is configured, use this checkout's Azurite
/// if it already listens on the default ports, otherwise start the pinned Azurite (installed from the lock file on
/// first use) with this checkout's data folder — on the default ports when they are free, on free ports when
/// something else (another checkout's Azurite, any other program) holds them, so that two checkouts never share
/// storage silently. The storage connection string is then set to the ports in use, before any storage client
/// exists; the process this app started is stopped with it.
/// </summary>
public static partial class DevelopmentStorage
{
    public static IHostApplicationBuilder AddDevelopmentStorage(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(StorageOptions.Section);
        var options = section.Get<DevelopmentStorageOptions>() ?? new DevelopmentStorageOptions();
        var storage = section.Get<StorageOptions>() ?? new StorageOptions();
        if (!options.StartAzurite || !storage.UsesDevelopmentStorage)
        {
            return builder;
        }
        var root = AzuriteProcess.FindRepositoryRoot(builder.Environment.ContentRootPath)
            ?? throw new InvalidOperationException(
                "Development storage is configured but no package.json pinning Azurite was found above " +
                $"{builder.Environment.ContentRootPath}. Start Azurite yourself or set Storage:ConnectionString.");
        var dataPath = Path.GetFullPath(Path.Combine(root, options.AzuriteDataPath));
        using var loggers = LoggerFactory.Create(logging => logging.AddSimpleConsole(o => o.SingleLine = true));
        var logger = loggers.CreateLogger(typeof(DevelopmentStorage).FullName!);

        var blobTaken = AzuriteProcess.IsListening(options.AzuriteBlobPort);
        var tableTaken = AzuriteProcess.IsListening(options.AzuriteTablePort);
        string connectionString;
        AzuriteProcess? started = null;
        if (blobTaken && tableTaken && PortOwner.IsAzuriteWithData(options.AzuriteBlobPort, dataPath) && PortOwner.IsAzuriteWithData(options.AzuriteTablePort, dataPath))
        {
            LogReusing(logger, options.AzuriteBlobPort, options.AzuriteTablePort, dataPath);
            connectionString = AzuriteProcess.ConnectionStringFor(options.AzuriteBlobPort, options.AzuriteTablePort);
        }
        else
        {
            var defaultsFree = !blobTaken && !tableTaken;
            if (!defaultsFree)
            {
                LogPortsTaken(logger, options.AzuriteBlobPort, options.AzuriteTablePort);
            }
            var start = (defaultsFree
                ? AzuriteStartOptions.DefaultPorts(root, dataPath) with { BlobPort = options.AzuriteBlobPort, TablePort = options.AzuriteTablePort, QueuePort = 0 }
                : new AzuriteStartOptions { RepositoryRoot = root, DataPath = dataPath }) with
            { Progress = message => LogProgress(logger, message) };
            LogStarting(logger);
            started = AzuriteProcess.StartAsync(start, CancellationToken.None).GetAwaiter().GetResult();
            LogStarted(logger, started.ProcessId, started.BlobPort, started.TablePort, dataPath);
            connectionString = started.ConnectionString;
        }
        builder.Configuration[$"{StorageOptions.Section}:ConnectionString"] = connectionString;
        if (started is not null)
        {
            builder.Services.AddHostedService(_ => new StartedAzurite(started));
        }
        return builder;
    }

    /// <summary>Stops the Azurite this app started when the app stops.</summary>
    private sealed class StartedAzurite(AzuriteProcess azurite) : IHostedService, IAsyncDisposable
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public async Task StopAsync(CancellationToken cancellationToken) => await azurite.DisposeAsync();

        public ValueTask DisposeAsync() => azurite.DisposeAsync();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Message}")]
    private static partial void LogProgress(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Starting Azurite (local storage)")]
    private static partial void LogStarting(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Using this checkout's Azurite on ports {BlobPort}/{TablePort} (data in {DataPath})")]
    private static partial void LogReusing(ILogger logger, int blobPort, int tablePort, string dataPath);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ports {BlobPort}/{TablePort} are held by another program (not this checkout's Azurite): starting this checkout's Azurite on free ports")]
    private static partial void LogPortsTaken(ILogger logger, int blobPort, int tablePort);

    [LoggerMessage(Level = LogLevel.Information, Message = "Azurite started (process {ProcessId}): blobs on port {BlobPort}, tables on port {TablePort}, data in {DataPath}")]
    private static partial void LogStarted(ILogger logger, int processId, int blobPort, int tablePort, string dataPath);
}
