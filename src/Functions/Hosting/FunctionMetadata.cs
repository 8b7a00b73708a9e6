using Qcdc.Jobs;

namespace Qcdc.Functions.Hosting;

public sealed record HttpFunction(string Name, string Route, IReadOnlyList<string> Methods, string AuthLevel);

public sealed record TimerFunction(string Name, string Schedule);

/// <summary>
/// The Azure functions of this app, derived from its single sources of truth: the ASP.NET Core endpoint table and
/// the timer job registry. <c>host.json</c> sets an empty route prefix, so a function's route is the app's own
/// route: every named endpoint under <c>/api</c> is a function with its route, and one catch-all function
/// (<see cref="PagesFunction"/>, <c>{*path}</c>, GET and HEAD) forwards everything else — pages, static files, the
/// root — which routing ranks below every more specific route.
/// </summary>
public sealed record FunctionAppMetadata(IReadOnlyList<HttpFunction> HttpFunctions, IReadOnlyList<TimerFunction> TimerFunctions)
{
    public const string ApiPrefix = "api";
    public const string PagesFunction = "Pages";
    public const string PagesRoute = "{*path}";

    public IEnumerable<string> Names => HttpFunctions.Select(f => f.Name).Concat(TimerFunctions.Select(f => f.Name));

    public static FunctionAppMetadata From(EndpointDataSource endpoints, IEnumerable<JobRegistration> jobs)
    {
        var http = new List<HttpFunction> { new(PagesFunction, PagesRoute, ["get", "head"], FunctionAuthLevel.Anonymous.Level) };
        foreach (var endpoint in endpoints.Endpoints.OfType<RouteEndpoint>())
        {
            var route = ApiRoute(endpoint);
            if (route is null)
            {
                continue;
            }
            var name = endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName
                ?? throw new InvalidOperationException($"The endpoint '{endpoint.RoutePattern.RawText}' has no name; name it (it becomes its Azure function).");
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods
                ?? throw new InvalidOperationException($"The endpoint '{name}' accepts any method; declare its methods.");
            var level = endpoint.Metadata.GetMetadata<FunctionAuthLevel>() ?? FunctionAuthLevel.Anonymous;
            http.Add(new HttpFunction(name, route, [.. methods.Select(m => m.ToLowerInvariant()).Order(StringComparer.Ordinal)], level.Level));
        }
        var timers = jobs.Select(j => new TimerFunction(j.Name, j.Schedule)).ToList();
        return new FunctionAppMetadata(
            [.. http.OrderBy(f => f.Name, StringComparer.Ordinal)],
            [.. timers.OrderBy(f => f.Name, StringComparer.Ordinal)]);
    }

    /// <summary>The route of an endpoint under <c>/api</c> (without leading or trailing slash), or null for any other endpoint.</summary>
    public static string? ApiRoute(RouteEndpoint endpoint)
    {
        var raw = endpoint.RoutePattern.RawText?.Trim('/');
        return raw is not null && raw.StartsWith(ApiPrefix + "/", StringComparison.OrdinalIgnoreCase) ? raw : null;
    }
}
