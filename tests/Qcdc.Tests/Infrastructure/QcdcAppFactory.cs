using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Qcdc.Storage;

namespace Qcdc.Tests.Infrastructure;

/// <summary>
/// The real app (real HTTP pipeline, real Azure SDK) against the test run's Azurite, with a storage prefix of its
/// own. Settings and services can be changed per test before the first request.
/// </summary>
public class QcdcAppFactory(AzuriteFixture azurite) : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings = new()
    {
        ["Storage:ConnectionString"] = azurite.ConnectionString,
        ["Storage:Prefix"] = AzuriteFixture.UniquePrefix(),
        ["Storage:StartAzurite"] = "false",
        ["Jobs:SchedulerEnabled"] = "false",
        ["QCDC_BOOTSTRAP_ADMIN_KEY"] = AdminKey,
        ["Security:KeyHashSecret"] = "test-key-hash-secret-0123456789-abcdefghij",
    };
    private readonly List<Action<IServiceCollection>> _services = [];

    public string Environment { get; set; } = "Testing";

    public CapturedLogs Logs { get; } = new();

    public string Prefix => _settings["Storage:Prefix"]!;

    public QcdcAppFactory With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    public const string AdminKey = "qcdc_test_admin_key_for_this_run";

    /// <summary>Loads seeds/ (the Lai Châu units and both forms) at start, as development start does.</summary>
    public QcdcAppFactory WithSeeds() => With("Seed:Demo", "true").With("Seed:Path", Path.Combine(AzuriteFixture.RepositoryRoot, "seeds"));

    /// <summary>A client whose every answer is checked against the published OpenAPI document.</summary>
    public new HttpClient CreateClient() => CreateClient(new WebApplicationFactoryClientOptions());

    /// <inheritdoc cref="CreateClient()"/>
    public new HttpClient CreateClient(WebApplicationFactoryClientOptions options)
    {
        var handlers = new List<DelegatingHandler> { new ContractCheckingHandler(() => base.CreateClient()) };
        if (options.AllowAutoRedirect)
        {
            handlers.Add(new Microsoft.AspNetCore.Mvc.Testing.Handlers.RedirectHandler(options.MaxAutomaticRedirections));
        }
        if (options.HandleCookies)
        {
            handlers.Add(new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler());
        }
        var client = CreateDefaultClient(options.BaseAddress, [.. handlers]);
        // On Kestrel the client talks to the real server's address.
        if (Services.GetService<Microsoft.AspNetCore.Hosting.Server.IServer>()?.Features
            .Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses.FirstOrDefault() is { } address
            && options.BaseAddress == new WebApplicationFactoryClientOptions().BaseAddress)
        {
            client.BaseAddress = new Uri(address);
        }
        return client;
    }

    /// <summary>A client that sends the bootstrap admin key.</summary>
    public HttpClient CreateAdminClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("ApiKey", AdminKey);
        return client;
    }

    public QcdcAppFactory WithServices(Action<IServiceCollection> configure)
    {
        _services.Add(configure);
        return this;
    }

    public TableServiceClient Tables => Services.GetRequiredService<TableServiceClient>();

    public BlobServiceClient Blobs => Services.GetRequiredService<BlobServiceClient>();

    public StorageNames Names => Services.GetRequiredService<StorageNames>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environment);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureLogging(logging => logging.ClearProviders().AddProvider(Logs));
        builder.ConfigureServices(services =>
        {
            foreach (var configure in _services)
            {
                configure(services);
            }
        });
    }
}
