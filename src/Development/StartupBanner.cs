using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Qcdc.Development;

/// <summary>Tells a developer where the app listens once it does (development only).</summary>
internal sealed partial class StartupBanner(
    IServer server,
    IHostApplicationLifetime lifetime,
    IEnumerable<IStartupAnnouncement> announcements,
    ILogger<StartupBanner> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(Announce);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Announce()
    {
        var url = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (url is null)
        {
            return;
        }
        url = url.Replace("://[::]", "://localhost", StringComparison.Ordinal).Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal).TrimEnd('/');
        LogListening(url, url + "/api/reference", url + "/api/health");
        foreach (var announcement in announcements)
        {
            // Written to the console, not the log: demo keys are secrets in any other environment.
            Console.WriteLine(announcement.Describe(url));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "QCDC reporting backend listening on {Url} - API reference: {ReferenceUrl} - health: {HealthUrl}")]
    private partial void LogListening(string url, string referenceUrl, string healthUrl);
}

/// <summary>Something development start prints for a developer once the app listens (e.g. the demo API keys).</summary>
public interface IStartupAnnouncement
{
    string Describe(string baseUrl);
}
