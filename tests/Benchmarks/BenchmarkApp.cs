using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Qcdc.Development;
using Qcdc.Development.DevStorage;

namespace Qcdc.Benchmarks;

/// <summary>Azurite (in memory, free ports) and the real app on Kestrel over loopback, at a fixed time in Vietnam.</summary>
public sealed class BenchmarkApp : WebApplicationFactory<Program>
{
    public const string AdminKey = "qcdc_benchmark_bootstrap_admin_key";
    private readonly AzuriteProcess _azurite;
    private readonly DateTimeOffset _now;

    private readonly IReadOnlyDictionary<string, string> _settings;

    private BenchmarkApp(AzuriteProcess azurite, int port, DateTimeOffset now, IReadOnlyDictionary<string, string>? settings)
    {
        _azurite = azurite;
        _settings = settings ?? new Dictionary<string, string>();
        _now = now;
        Port = port;
        UseKestrel(port);
    }

    public int Port { get; }

    public AzuriteProcess Azurite => _azurite;

    public string Prefix { get; } = "b" + Guid.NewGuid().ToString("N")[..10];

    public static async Task<BenchmarkApp> StartAsync(DateTimeOffset now, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? settings = null)
    {
        var root = AzuriteProcess.FindRepositoryRoot(AppContext.BaseDirectory) ?? throw new InvalidOperationException("Run from the repository.");
        var azurite = await AzuriteProcess.StartAsync(new AzuriteStartOptions { RepositoryRoot = root, InMemoryLimitMegabytes = 4096 }, cancellationToken);
        // The app's content root, as the test host would find it from a test project's manifest.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_QCDC_FUNCTIONS", Path.Combine(root, "src", "Functions"));
        var app = new BenchmarkApp(azurite, AzuriteProcess.FreePort(), now, settings);
        app.StartServer();
        return app;
    }

    public HttpClient CreateAdminHttpClient(int connections)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{Port}"),
            Timeout = TimeSpan.FromSeconds(60),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", AdminKey);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("Storage:ConnectionString", _azurite.ConnectionString);
        builder.UseSetting("Storage:Prefix", Prefix);
        builder.UseSetting("Jobs:SchedulerEnabled", "false");
        builder.UseSetting("QCDC_BOOTSTRAP_ADMIN_KEY", AdminKey);
        builder.UseSetting("Security:KeyHashSecret", "benchmark-key-hash-secret-0123456789abcdef");
        builder.UseSetting("Seed:Demo", "true");
        builder.UseSetting("RateLimits:PerKeyPerMinute", "100000000");
        builder.UseSetting("Seed:Path", Path.Combine(AzuriteProcess.FindRepositoryRoot(AppContext.BaseDirectory)!, "seeds"));
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureLogging(logging => logging.ClearProviders().AddConsole().SetMinimumLevel(LogLevel.Warning));
        // The benchmarks run a Release build, which carries no development hosting: the demo data is added here.
        builder.ConfigureServices(services => services.AddDemoData().Replace(ServiceDescriptor.Singleton<TimeProvider>(new FakeTimeProvider(_now))));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

}
