using Qcdc.Jobs;

namespace Qcdc.Functions.Hosting;

public sealed record HttpFunction(string Name, string Route, IReadOnlyList<string> Methods, string AuthLevel);

public sealed record TimerFunction(string Name, string Schedule);

/// <summary>
/// The Azure functions of this app, derived from its single sources of truth: the ASP.NET Core endpoint table
/// (every named endpoint under <c>/api</c>) and the timer job registry.
/// </summary>
public sealed record FunctionAppMetadata(IReadOnlyList<HttpFunction> HttpFunctions, IReadOnlyList<TimerFunction> TimerFunctions)
{
    public const string RoutePrefix = "api";

    public IEnumerable<string> Names => HttpFunctions.Select(f => f.Name).Concat(TimerFunctions.Select(f => f.Name));

    public static FunctionAppMetadata From(EndpointDataSource endpoints, IEnumerable<JobRegistration> jobs)
    {
        var http = new List<HttpFunction>();
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

    /// <summary>
    /// The route without the <c>api/</c> prefix or a trailing slash (a group's own route ends in one), or null
    /// for an endpoint outside <c>/api</c>.
    /// </summary>
    public static string? ApiRoute(RouteEndpoint endpoint)
    {
        var raw = endpoint.RoutePattern.RawText?.Trim('/');
        if (raw is null || !raw.StartsWith(RoutePrefix + "/", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        return raw[(RoutePrefix.Length + 1)..];
    }
}
