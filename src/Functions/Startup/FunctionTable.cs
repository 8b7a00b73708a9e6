using System.Reflection;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Azure.Functions.Worker;
using Qcdc.Functions.Hosting;

namespace Qcdc.Functions.Startup;

/// <summary>An HTTP function: its name, route (without the empty route prefix), methods and the method that serves it.</summary>
public sealed record HttpOperation(string Name, string Route, IReadOnlyList<string> Methods, MethodInfo Method)
{
    /// <summary>The endpoint metadata the operation's attributes stand for, and the attributes themselves.</summary>
    public IReadOnlyList<object> Metadata { get; } = FunctionTable.MetadataOf(Method, Route);

    public RoutePattern Pattern { get; } = RoutePatternFactory.Parse("/" + Route);
}

/// <summary>A timer function: its name, the app setting that holds its schedule (<c>%Setting%</c>) and its method.</summary>
public sealed record TimerOperation(string Name, string ScheduleSetting, MethodInfo Method);

/// <summary>
/// The function table is the code: every <c>[Function]</c> of this assembly, read once by reflection. The Functions
/// Sdk writes <c>functions.metadata</c> from the same attributes at build time; the standalone server maps the
/// same HTTP functions as endpoints and its scheduler runs the same timer functions' jobs (ADR-010).
/// </summary>
public static class FunctionTable
{
    private static readonly Lazy<(IReadOnlyList<HttpOperation> Http, IReadOnlyList<TimerOperation> Timers)> Table = new(Read);

    public static IReadOnlyList<HttpOperation> Http => Table.Value.Http;

    public static IReadOnlyList<TimerOperation> Timers => Table.Value.Timers;

    public static HttpOperation? FindHttp(string name) => Http.FirstOrDefault(o => o.Name == name);

    private static (IReadOnlyList<HttpOperation>, IReadOnlyList<TimerOperation>) Read()
    {
        var http = new List<HttpOperation>();
        var timers = new List<TimerOperation>();
        // Functions live in the {Feature}Functions classes (a convention the contract test holds: the Sdk's
        // functions.metadata, which scans everything, lists no function this table misses). Reading the attributes of
        // every method of every type instead cost 40 ms of each start, measured.
        foreach (var method in typeof(FunctionTable).Assembly.GetExportedTypes()
            .Where(t => t.Name.EndsWith("Functions", StringComparison.Ordinal))
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)))
        {
            if (method.GetCustomAttribute<FunctionAttribute>() is not { } function)
            {
                continue;
            }
            var parameters = method.GetParameters();
            if (parameters.Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null) is { } trigger)
            {
                if (trigger.AuthLevel != AuthorizationLevel.Anonymous)
                {
                    throw new InvalidOperationException($"{function.Name}: every trigger is anonymous at the host; the app authenticates.");
                }
                http.Add(new HttpOperation(function.Name, trigger.Route ?? function.Name,
                    [.. (trigger.Methods ?? []).Select(m => m.ToUpperInvariant())], method));
            }
            else if (parameters.Select(p => p.GetCustomAttribute<TimerTriggerAttribute>()).FirstOrDefault(a => a is not null) is { } timer)
            {
                timers.Add(new TimerOperation(function.Name, timer.Schedule.Trim('%'), method));
            }
        }
        return ([.. http.OrderBy(o => o.Name, StringComparer.Ordinal)], [.. timers.OrderBy(o => o.Name, StringComparer.Ordinal)]);
    }

    internal static IReadOnlyList<object> MetadataOf(MethodInfo method, string route)
    {
        var metadata = new List<object>();
        // Every operation with a code in its route or query can answer 400 naming it (Http.KeyPartChecks).
        var pattern = RoutePatternFactory.Parse("/" + route);
        if (pattern.Parameters.Any(p => Qcdc.Functions.Http.KeyPartChecks.IsCheckedRouteValue(p.Name))
            || method.GetCustomAttributes<QueryParameterAttribute>().Any(q => Qcdc.Functions.Http.KeyPartChecks.IsCheckedQuery(q.Name)))
        {
            metadata.AddRange(new ProducesProblemAttribute(400).Metadata);
        }
        foreach (var attribute in method.GetCustomAttributes(inherit: true))
        {
            metadata.Add(attribute);
            if (attribute is IOperationMetadata operation)
            {
                metadata.AddRange(operation.Metadata);
            }
        }
        return metadata;
    }
}
