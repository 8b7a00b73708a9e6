using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Qcdc.FakeHost;
using Qcdc.Development.DevStorage;

[assembly: AssemblyFixture(typeof(Qcdc.WorkerHost.WorkerApp))]

namespace Qcdc.WorkerHost;

/// <summary>
/// The app as the Azure Functions host runs it: the built worker (or the package named by <c>QCDC_PACKAGE</c>, the
/// folder infra/package.sh publishes, as CI passes it) started by <see cref="FakeFunctionsHost"/>, over an Azurite of
/// its own (the suite freezes it), with the reference data and two keys loaded through the API as an administrator would. Both processes are stopped by the
/// ids this fixture started.
/// </summary>
public sealed class WorkerApp : IAsyncLifetime
{
    public const string PackageVariable = "QCDC_PACKAGE";
    /// <summary>The bootstrap administrator's key (<c>QCDC_BOOTSTRAP_ADMIN_KEY</c>), as a province's first start has it.</summary>
    public const string AdminKey = "qcdc_workeradmin1_WorkerMode-ProvincialAdmin";
    public const string ReporterUnit = "LC-X-BINHLU";

    private AzuriteProcess? _azurite;

    public FakeFunctionsHost Host { get; } = new();

    /// <summary>The commune clerk's key, issued through the keys API at start.</summary>
    public string ReporterKey { get; private set; } = "";

    /// <summary>The province reviewer's key, issued through the keys API at start.</summary>
    public string ReviewerKey { get; private set; } = "";

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
        await LoadReferenceDataAsync(cancellation);
    }

    /// <summary>
    /// What a province's administrator does after the first start (the package carries no demo data): the units and
    /// forms of <c>seeds/</c> through the management API with the bootstrap key, then a clerk's and a reviewer's keys.
    /// </summary>
    private async Task LoadReferenceDataAsync(CancellationToken cancellation)
    {
        async Task<JsonElement> Post(string path, string json)
        {
            var (response, _) = await Host.SendAsync(Request(HttpMethod.Post, path, AdminKey, new StringContent(json, Encoding.UTF8, "application/json")), cancellation);
            var body = await response.Content.ReadAsStringAsync(cancellation);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {body}{Environment.NewLine}{Host.Output}");
            }
            return JsonDocument.Parse(body).RootElement.Clone();
        }

        var seeds = Path.Combine(RepositoryRoot, "seeds");
        await Post("/api/manage/units", await File.ReadAllTextAsync(Path.Combine(seeds, "units.json"), cancellation));
        var forms = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(seeds, "forms.json"), cancellation))!["forms"]!.AsArray();
        foreach (var form in forms)
        {
            await Post("/api/manage/forms", form!.ToJsonString());
        }
        ReporterKey = (await Post("/api/manage/keys", $$"""{"unit":"{{ReporterUnit}}","role":"reporter","label":"Worker mode reporter"}""")).GetProperty("key").GetString()!;
        ReviewerKey = (await Post("/api/manage/keys", """{"unit":"LC","role":"reviewer","label":"Worker mode reviewer"}""")).GetProperty("key").GetString()!;
    }

    /// <summary>The app settings the host would pass: storage, the key-hash secret and the bootstrap administrator's key.</summary>
    public static Dictionary<string, string> Settings(string connectionString, string prefix)
    {
        var settings = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["Storage__ConnectionString"] = connectionString,
            ["Storage__Prefix"] = prefix,
            ["Security__KeyHashSecret"] = "worker-mode-key-hash-secret-0123456789abcdef",
            ["QCDC_BOOTSTRAP_ADMIN_KEY"] = AdminKey,
            ["Logging__LogLevel__Default"] = "Warning",
            // Larger than the worker's own Kestrel default (30,000,000 bytes), to show the operation's limit applies.
            ["Attachments__MaxSizeBytes"] = "40000000",
        };
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
