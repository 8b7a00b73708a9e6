using System.Net.Http.Headers;
using Qcdc.FakeHost;
using Qcdc.Functions.DevStorage;

[assembly: AssemblyFixture(typeof(Qcdc.WorkerHost.WorkerApp))]

namespace Qcdc.WorkerHost;

/// <summary>
/// The app as the Azure Functions host runs it: the built worker (or the package named by <c>QCDC_PACKAGE</c>, the
/// folder infra/package.sh publishes, as CI passes it) started by <see cref="FakeFunctionsHost"/>, over an Azurite of
/// its own (the suite freezes it) with the reference data and three keys loaded. Both processes are stopped by the
/// ids this fixture started.
/// </summary>
public sealed class WorkerApp : IAsyncLifetime
{
    public const string PackageVariable = "QCDC_PACKAGE";
    public const string ReporterKey = "qcdc_workerreport_WorkerMode-CommuneReporter";
    public const string ReviewerKey = "qcdc_workerreview_WorkerMode-ProvinceReviewer";
    public const string AdminKey = "qcdc_workeradmin1_WorkerMode-ProvincialAdmin";
    public const string ReporterUnit = "LC-X-BINHLU";

    private AzuriteProcess? _azurite;

    public FakeFunctionsHost Host { get; } = new();

    public AzuriteProcess Azurite => _azurite ?? throw new InvalidOperationException("Azurite has not started.");

    public string AppDirectory { get; private set; } = "";

    public string Prefix { get; } = "w" + Guid.NewGuid().ToString("N")[..10];

    public static string RepositoryRoot =>
        AzuriteProcess.FindRepositoryRoot(AppContext.BaseDirectory) ?? throw new InvalidOperationException("Run from the repository.");

    /// <summary>The app's build output beside this test project's (same configuration), unless a package is named.</summary>
    public static string FindApp() =>
        Environment.GetEnvironmentVariable(PackageVariable) is { Length: > 0 } package
            ? Path.GetFullPath(package)
            : Path.Combine(RepositoryRoot, "src", "Functions", "bin", new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name, "net10.0");

    public async ValueTask InitializeAsync()
    {
        var cancellation = new CancellationTokenSource(TimeSpan.FromMinutes(3)).Token;
        AppDirectory = FindApp();
        _azurite = await AzuriteProcess.StartAsync(new AzuriteStartOptions { RepositoryRoot = RepositoryRoot }, cancellation);
        await Host.StartAsync(AppDirectory, Settings(_azurite.ConnectionString, Prefix), cancellation);
    }

    /// <summary>The app settings the host would pass: storage, the key-hash secret, the reference data and three keys.</summary>
    public static Dictionary<string, string> Settings(string connectionString, string prefix)
    {
        var settings = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["Storage__ConnectionString"] = connectionString,
            ["Storage__Prefix"] = prefix,
            ["Security__KeyHashSecret"] = "worker-mode-key-hash-secret-0123456789abcdef",
            ["Seed__Demo"] = "true",
            ["Seed__Path"] = Path.Combine(RepositoryRoot, "seeds"),
            ["Logging__LogLevel__Default"] = "Warning",
            // Larger than the worker's own Kestrel default (30,000,000 bytes), to show the operation's limit applies.
            ["Attachments__MaxSizeBytes"] = "40000000",
        };
        (string Key, string Unit, string Role)[] keys = [(ReporterKey, ReporterUnit, "reporter"), (ReviewerKey, "LC", "reviewer"), (AdminKey, "LC", "admin")];
        for (var i = 0; i < keys.Length; i++)
        {
            settings[$"Seed__DemoKeys__{i}__Key"] = keys[i].Key;
            settings[$"Seed__DemoKeys__{i}__Unit"] = keys[i].Unit;
            settings[$"Seed__DemoKeys__{i}__Role"] = keys[i].Role;
            settings[$"Seed__DemoKeys__{i}__Label"] = $"Worker mode {keys[i].Role}";
        }
        return settings;
    }

    /// <summary>A request as a client sends it to the Functions host (with an API key when one is given).</summary>
    public static HttpRequestMessage Request(HttpMethod method, string path, string? apiKey = null, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (apiKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", apiKey);
        }
        return request;
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}
