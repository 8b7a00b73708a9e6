using Qcdc.Jobs;

namespace Qcdc.Functions.Hosting;

/// <summary>
/// <c>Qcdc.Functions --emit-function-app &lt;folder&gt;</c>: writes host.json and the function folders generated from
/// the endpoint table and job registry into the folder, then exits. Run by the publish step.
/// </summary>
public static class FunctionAppCommand
{
    public const string Option = "emit-function-app";

    public static bool TryRun(WebApplication app)
    {
        var output = app.Configuration[Option];
        if (string.IsNullOrWhiteSpace(output))
        {
            return false;
        }
        // The app is not started here, so read the endpoint table from the app's own data sources.
        using var endpoints = new CompositeEndpointDataSource(((IEndpointRouteBuilder)app).DataSources);
        var metadata = FunctionAppMetadata.From(endpoints, app.Services.GetServices<JobRegistration>());
        var hostJson = Path.Combine(AppContext.BaseDirectory, "host.json");
        FunctionAppWriter.Write(Path.GetFullPath(output), metadata, hostJson);
        Console.WriteLine($"Wrote {metadata.HttpFunctions.Count} HTTP and {metadata.TimerFunctions.Count} timer functions to {output}");
        return true;
    }
}
