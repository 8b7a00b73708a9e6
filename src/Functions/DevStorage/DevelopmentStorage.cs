using Microsoft.Extensions.Options;
using Qcdc.Storage;

namespace Qcdc.Functions.DevStorage;

/// <summary>
/// The embedded default: when development storage is configured and nothing listens on Azurite's ports, start
/// the pinned Azurite (installed from the lock file on first use) with its data in the git-ignored
/// <c>.azurite</c> folder, and stop exactly that process when the app stops. Registered before the storage
/// initializer so that storage is up before tables are created.
/// </summary>
internal sealed partial class DevelopmentStorage(
    IOptions<StorageOptions> options,
    IHostEnvironment environment,
    ILogger<DevelopmentStorage> logger) : IHostedService, IAsyncDisposable
{
    private AzuriteProcess? _azurite;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var storage = options.Value;
        if (!storage.StartAzurite || !storage.UsesDevelopmentStorage)
        {
            return;
        }
        if (AzuriteProcess.IsListening(AzuriteProcess.DefaultBlobPort) && AzuriteProcess.IsListening(AzuriteProcess.DefaultTablePort))
        {
            LogAlreadyRunning();
            return;
        }
        var root = AzuriteProcess.FindRepositoryRoot(environment.ContentRootPath)
            ?? throw new InvalidOperationException(
                "Development storage is configured but no package.json pinning Azurite was found above " +
                $"{environment.ContentRootPath}. Start Azurite yourself or set Storage:ConnectionString.");
        var dataPath = Path.Combine(root, storage.AzuriteDataPath);
        LogStarting(dataPath);
        _azurite = await AzuriteProcess.StartAsync(AzuriteStartOptions.DefaultPorts(root, dataPath), cancellationToken);
        LogStarted(_azurite.ProcessId, _azurite.BlobPort, _azurite.TablePort);
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (_azurite is { } azurite)
        {
            _azurite = null;
            LogStopping(azurite.ProcessId);
            await azurite.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Azurite is already listening on 127.0.0.1; using it")]
    private partial void LogAlreadyRunning();

    [LoggerMessage(Level = LogLevel.Information, Message = "Starting Azurite with its data in {DataPath}")]
    private partial void LogStarting(string dataPath);

    [LoggerMessage(Level = LogLevel.Information, Message = "Azurite started (process {ProcessId}): blobs on port {BlobPort}, tables on port {TablePort}")]
    private partial void LogStarted(int processId, int blobPort, int tablePort);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping the Azurite this app started (process {ProcessId})")]
    private partial void LogStopping(int processId);
}
