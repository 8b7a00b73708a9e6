using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Qcdc.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// One <see cref="TableServiceClient"/> and one <see cref="BlobServiceClient"/> for the process, from a
    /// connection string or from account URIs with a <see cref="TokenCredential"/> (DefaultAzureCredential unless
    /// one is registered), and the start-up step that creates tables and containers.
    /// </summary>
    public static IServiceCollection AddQcdcStorage(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>()
            .BindConfiguration(StorageOptions.Section)
            .Validate(o => !o.Problems().Any(), "Storage settings are incomplete: see Storage:ConnectionString or Storage:TableServiceUri/BlobServiceUri.")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        // Only asked for when the options name account URIs instead of a connection string.
        services.TryAddSingleton<TokenCredential>(_ => new DefaultAzureCredential());
        services.AddSingleton(sp => new StorageNames(sp.GetRequiredService<IOptions<StorageOptions>>().Value.Prefix));
        services.AddSingleton(sp => CreateTableServiceClient(sp.GetRequiredService<IOptions<StorageOptions>>().Value, sp));
        services.AddSingleton(sp => CreateBlobServiceClient(sp.GetRequiredService<IOptions<StorageOptions>>().Value, sp));
        services.AddSingleton<StorageInitializer>();
        services.AddHostedService(sp => sp.GetRequiredService<StorageInitializer>());
        services.AddSingleton<StorageHealth>();
        return services;
    }

    private static TableServiceClient CreateTableServiceClient(StorageOptions options, IServiceProvider services)
    {
        var clientOptions = new TableClientOptions();
        ConfigureRetry(clientOptions.Retry, options);
        UseTransport(clientOptions, services);
        return options.UsesConnectionString
            ? new TableServiceClient(options.ConnectionString!, clientOptions)
            : new TableServiceClient(options.TableServiceUri!, services.GetRequiredService<TokenCredential>(), clientOptions);
    }

    private static BlobServiceClient CreateBlobServiceClient(StorageOptions options, IServiceProvider services)
    {
        var clientOptions = new BlobClientOptions();
        ConfigureRetry(clientOptions.Retry, options);
        UseTransport(clientOptions, services);
        return options.UsesConnectionString
            ? new BlobServiceClient(options.ConnectionString, clientOptions)
            : new BlobServiceClient(options.BlobServiceUri, services.GetRequiredService<TokenCredential>(), clientOptions);
    }

    /// <summary>
    /// A transport registered in the container replaces the default one (a storage endpoint with a private
    /// certificate authority, such as a test's HTTPS emulator); nothing registers one by default.
    /// </summary>
    private static void UseTransport(ClientOptions clientOptions, IServiceProvider services)
    {
        if (services.GetService<HttpPipelineTransport>() is { } transport)
        {
            clientOptions.Transport = transport;
        }
    }

    // A request that waits on storage must answer 503 within seconds, never hang: few, short retries.
    private static void ConfigureRetry(RetryOptions retry, StorageOptions options)
    {
        retry.MaxRetries = options.MaxRetries;
        retry.Mode = RetryMode.Exponential;
        retry.Delay = TimeSpan.FromMilliseconds(200);
        retry.MaxDelay = TimeSpan.FromSeconds(2);
        retry.NetworkTimeout = options.NetworkTimeout;
    }
}
