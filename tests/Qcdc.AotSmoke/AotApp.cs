using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Qcdc.Functions.DevStorage;

[assembly: AssemblyFixture(typeof(Qcdc.AotSmoke.AotApp))]

namespace Qcdc.AotSmoke;

/// <summary>
/// The Native AOT package as it is deployed: taken from <c>QCDC_AOT_PACKAGE</c> (the folder infra/package.sh
/// wrote, as CI does) or published here by infra/package.sh, started once with a port in
/// <c>FUNCTIONS_CUSTOMHANDLER_PORT</c> as the Functions host starts a custom handler, over a real Azurite with the
/// reference data and three keys loaded. Both processes are stopped by the ids this fixture started.
/// </summary>
public sealed class AotApp : IAsyncLifetime
{
    public const string PackageVariable = "QCDC_AOT_PACKAGE";
    public const string ReporterKey = "qcdc_smokereportr_AotSmoke-CommuneReporter";
    public const string ReviewerKey = "qcdc_smokereviewr_AotSmoke-ProvinceReviewer";
    public const string AdminKey = "qcdc_smokeadmin01_AotSmoke-ProvincialAdmin";
    public const string ReporterUnit = "LC-X-BINHLU";

    private AzuriteProcess? _azurite;
    private Process? _app;
    private string? _publishedHere;
    private readonly StringBuilder _output = new();

    /// <summary>The folder of the package: the executable, host.json and one folder per function.</summary>
    public string Package { get; private set; } = "";

    public string Executable => Path.Combine(Package, "Qcdc.Functions");

    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    public static string RepositoryRoot =>
        AzuriteProcess.FindRepositoryRoot(AppContext.BaseDirectory) ?? throw new InvalidOperationException("Run from the repository.");

    public async ValueTask InitializeAsync()
    {
        var cancellation = new CancellationTokenSource(TimeSpan.FromMinutes(15)).Token;
        Package = Environment.GetEnvironmentVariable(PackageVariable) is { Length: > 0 } given
            ? Path.GetFullPath(given)
            : await PublishAsync(cancellation);
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"No executable at {Executable}: run infra/package.sh or set {PackageVariable}.");
        }
        _azurite = await AzuriteProcess.StartAsync(new AzuriteStartOptions { RepositoryRoot = RepositoryRoot }, cancellation);
        var port = AzuriteProcess.FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Package,
        };
        var environment = start.Environment;
        environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(CultureInfo.InvariantCulture);
        environment["DOTNET_ENVIRONMENT"] = "Production";
        environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        environment["Storage__ConnectionString"] = _azurite.ConnectionString;
        environment["Security__KeyHashSecret"] = "aot-smoke-key-hash-secret-0123456789abcdef";
        environment["Seed__Demo"] = "true";
        environment["Seed__Path"] = Path.Combine(RepositoryRoot, "seeds");
        (string Key, string Unit, string Role)[] keys = [(ReporterKey, ReporterUnit, "reporter"), (ReviewerKey, "LC", "reviewer"), (AdminKey, "LC", "admin")];
        for (var i = 0; i < keys.Length; i++)
        {
            environment[$"Seed__DemoKeys__{i}__Key"] = keys[i].Key;
            environment[$"Seed__DemoKeys__{i}__Unit"] = keys[i].Unit;
            environment[$"Seed__DemoKeys__{i}__Role"] = keys[i].Role;
            environment[$"Seed__DemoKeys__{i}__Label"] = $"Smoke {keys[i].Role}";
        }
        environment["Logging__LogLevel__Default"] = "Warning";
        _app = Process.Start(start) ?? throw new InvalidOperationException("The executable did not start.");
        _app.OutputDataReceived += (_, e) => Record(e.Data);
        _app.ErrorDataReceived += (_, e) => Record(e.Data);
        _app.BeginOutputReadLine();
        _app.BeginErrorReadLine();
        await WaitUntilHealthyAsync(cancellation);
    }

    /// <summary>A client of the started app, with an API key when one is given.</summary>
    public HttpClient Client(string? apiKey = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", apiKey);
        }
        return client;
    }

    /// <summary>What the app wrote to its console so far (for a failure's message).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private async Task WaitUntilHealthyAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_app!.HasExited)
            {
                throw new InvalidOperationException($"The executable exited with {_app.ExitCode}:{Environment.NewLine}{Output}");
            }
            try
            {
                using var health = await http.GetAsync(new Uri(BaseAddress, "/api/health"), cancellationToken);
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
            await Task.Delay(50, cancellationToken);
        }
        throw new InvalidOperationException($"The executable did not answer /api/health with 200 within a minute:{Environment.NewLine}{Output}");
    }

    private async Task<string> PublishAsync(CancellationToken cancellationToken)
    {
        _publishedHere = Path.Combine(Path.GetTempPath(), "qcdc-aot-smoke-" + Guid.NewGuid().ToString("N")[..8]);
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot, "infra", "package.sh"));
        start.ArgumentList.Add(_publishedHere);
        using var publish = Process.Start(start)!;
        var stdout = publish.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = publish.StandardError.ReadToEndAsync(cancellationToken);
        await publish.WaitForExitAsync(cancellationToken);
        if (publish.ExitCode != 0)
        {
            throw new InvalidOperationException($"infra/package.sh failed:{Environment.NewLine}{await stdout}{await stderr}");
        }
        return Path.Combine(_publishedHere, "functionapp");
    }


    public async ValueTask DisposeAsync()
    {
        if (_app is { HasExited: false })
        {
            _app.Kill(entireProcessTree: true);
            await _app.WaitForExitAsync();
        }
        _app?.Dispose();
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
        if (_publishedHere is not null && Directory.Exists(_publishedHere))
        {
            Directory.Delete(_publishedHere, recursive: true);
        }
    }
}
