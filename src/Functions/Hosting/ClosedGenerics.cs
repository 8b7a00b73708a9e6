using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.WebEncoders;
using Qcdc.Attachments;
using Qcdc.Functions.Problems;
using Qcdc.Functions.Security;
using Qcdc.Functions.Seeds;
using Qcdc.Jobs;
using Qcdc.Notifications;
using Qcdc.Rollups;
using Qcdc.Security;
using Qcdc.Storage;

namespace Qcdc.Functions.Hosting;

/// <summary>
/// Closed registrations of the generic services a start resolves (options, loggers), so that the Native AOT compiler
/// emits each closed type instead of the type loader building it at run time (ADR-009). The container closes an
/// open-generic registration such as <c>IOptions&lt;&gt;</c> at its first resolution with <c>MakeGenericType</c>, which
/// an AOT executable answers by building the type from its template (~0.2 ms each, ~90 before the first answer); a
/// registration naming the closed type lets the compiler see it. The implementations are the framework's own
/// (<see cref="OptionsFactory{T}"/>, <see cref="OptionsMonitor{T}"/>, <see cref="OptionsCache{T}"/>,
/// <see cref="Logger{T}"/>) with the framework's lifetimes; a type missing here is only built at run time, as before.
/// </summary>
internal static class ClosedGenerics
{
    public static IServiceCollection AddClosedGenerics(this IServiceCollection services)
    {
        // The app's options.
        services.CloseOptions<StorageOptions>();
        services.CloseOptions<JobOptions>();
        services.CloseOptions<SecurityOptions>();
        services.CloseOptions<AttachmentOptions>();
        services.CloseOptions<BrowserSessionOptions>();
        services.CloseOptions<RateLimitOptions>();
        services.CloseOptions<NotificationOptions>();
        services.CloseOptions<RollupOptions>();
        services.CloseOptions<SeedOptions>();

        // The framework's options that the host, the middleware and the first request read.
        services.CloseOptions<HostOptions>();
        services.CloseOptions<ConsoleLifetimeOptions>();
        services.CloseOptions<LoggerFactoryOptions>();
        services.CloseOptions<LoggerFilterOptions>();
        services.CloseOptions<ConsoleLoggerOptions>();
        services.CloseOptions<ConsoleFormatterOptions>();
        services.CloseOptions<SimpleConsoleFormatterOptions>();
        services.CloseOptions<JsonConsoleFormatterOptions>();
        services.CloseOptions<MetricsOptions>();
        services.CloseOptions<KestrelServerOptions>();
        services.CloseOptions<SocketTransportOptions>();
        services.CloseOptions<HostFilteringOptions>();
        services.CloseOptions<RouteOptions>();
        services.CloseOptions<RouteHandlerOptions>();
        services.CloseOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>();
        services.CloseOptions<FormOptions>();
        services.CloseOptions<WebEncoderOptions>();
        services.CloseOptions<ProblemDetailsOptions>();
        services.CloseOptions<ExceptionHandlerOptions>();
        services.CloseOptions<StatusCodePagesOptions>();
        services.CloseOptions<RequestLocalizationOptions>();
        services.CloseOptions<AuthenticationOptions>();
        services.CloseOptions<AuthenticationSchemeOptions>();
        services.CloseOptions<PolicySchemeOptions>();
        services.CloseOptions<AuthorizationOptions>();
        services.CloseOptions<RateLimiterOptions>();
        services.CloseOptions<OpenApiOptions>();

        services.CloseLogger<ApplicationLifetime>();
        services.CloseLogger<KestrelServer>();
        services.CloseLogger<HostFilteringMiddleware>();
        services.CloseLogger<AuthorizationMiddleware>();
        services.CloseLogger<StorageInitializer>();
        services.CloseLogger<JobScheduler>();
        services.CloseLogger<DemoSeeder>();
        services.CloseLogger<StorageUnavailableExceptionHandler>();
        services.CloseLogger<UnexpectedExceptionHandler>();
        return services;
    }

    private static void CloseOptions<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] T>(
        this IServiceCollection services) where T : class
    {
        services.AddSingleton<IOptions<T>, UnnamedOptions<T>>();
        services.AddSingleton<IOptionsMonitor<T>, OptionsMonitor<T>>();
        services.AddSingleton<IOptionsMonitorCache<T>, OptionsCache<T>>();
        services.AddTransient<IOptionsFactory<T>, OptionsFactory<T>>();
    }

    private static void CloseLogger<T>(this IServiceCollection services) =>
        services.AddSingleton<ILogger<T>, Logger<T>>();

    /// <summary>
    /// What the framework's internal <c>UnnamedOptionsManager&lt;T&gt;</c> does: the default instance, created on first
    /// read and kept; a failed creation (a validation error) is not kept, so the next read tries again.
    /// </summary>
    private sealed class UnnamedOptions<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] T>(
        IOptionsFactory<T> factory) : IOptions<T> where T : class
    {
        private readonly Lock _lock = new();
        private volatile T? _value;

        public T Value
        {
            get
            {
                if (_value is { } value)
                {
                    return value;
                }
                lock (_lock)
                {
                    return _value ??= factory.Create(Options.DefaultName);
                }
            }
        }
    }
}
