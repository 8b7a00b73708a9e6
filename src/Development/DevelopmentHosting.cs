using Microsoft.Extensions.DependencyInjection.Extensions;
using Qcdc.Development.DevStorage;
using Qcdc.Development.Seeds;

namespace Qcdc.Development;

/// <summary>
/// What a development start adds to the app: this checkout's Azurite, the demo data of <c>seeds/</c> with the demo
/// keys, and the banner that prints the URL and the keys. The app calls these only in builds that reference this
/// assembly (Debug); each part still does nothing unless its settings ask for it (<c>Storage:StartAzurite</c>,
/// <c>Seed:Demo</c>, the Development environment for the banner).
/// </summary>
public static class DevelopmentHosting
{
    /// <summary>Before any storage client exists: may start Azurite and set the connection string.</summary>
    public static IHostApplicationBuilder AddDevelopmentHosting(this IHostApplicationBuilder builder) => builder.AddDevelopmentStorage();

    /// <summary>The demo data, loaded after start when <c>Seed:Demo</c> is set. Registering it twice adds it once.</summary>
    public static IServiceCollection AddDemoData(this IServiceCollection services)
    {
        services.AddOptions<SeedOptions>().BindConfiguration(SeedOptions.Section);
        services.TryAddSingleton<DemoReportSeeder>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DemoSeeder>());
        return services;
    }

    /// <summary>The standalone server's start banner: where it listens, and the demo keys.</summary>
    public static IServiceCollection AddStartBanner(this IServiceCollection services)
    {
        services.AddHostedService<StartupBanner>();
        services.AddSingleton<IStartupAnnouncement, DemoKeysAnnouncement>();
        return services;
    }
}
