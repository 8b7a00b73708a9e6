using System.Globalization;
using Qcdc.Functions.Security;

namespace Qcdc.Functions.Hosting;

/// <summary>
/// The custom-handler side of the Azure Functions host contract: listen on <c>FUNCTIONS_CUSTOMHANDLER_PORT</c>
/// (loopback only) when the host sets it, answer its readiness probe on <c>GET /</c>, and leave scheduling to it.
/// </summary>
public static class CustomHandlerHosting
{
    public const string PortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";

    public static bool IsUnderFunctionsHost(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[PortVariable]);

    public static WebApplicationBuilder UseCustomHandlerPort(this WebApplicationBuilder builder)
    {
        if (int.TryParse(builder.Configuration[PortVariable], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port > 0)
        {
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        }
        // Under the host, its timer triggers run the jobs (with their own singleton lease): no second scheduler.
        builder.Services.AddOptions<Qcdc.Jobs.JobOptions>().PostConfigure<IConfiguration>((options, configuration) =>
        {
            if (IsUnderFunctionsHost(configuration))
            {
                options.SchedulerEnabled = false;
            }
        });
        return builder;
    }

}
