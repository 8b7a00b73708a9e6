using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Options;
using Qcdc.Jobs;
using Qcdc.Functions.Hosting;

namespace Qcdc.Functions.Startup;

/// <summary>
/// The .NET isolated worker under the Azure Functions host: taken only when the host's <c>--functions-uri</c>
/// argument is present (the worker cannot start without it). The host's timer triggers run the jobs, so the
/// in-process scheduler stays off.
/// </summary>
public static class WorkerHosting
{
    public const string HostArgument = "--functions-uri";

    public static bool IsUnderFunctionsHost(IReadOnlyList<string> args) =>
        args.Any(a => a == HostArgument || a.StartsWith(HostArgument + "=", StringComparison.Ordinal));

    public static void Run(string[] args)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        builder.ConfigureFunctionsWebApplication();
        builder.AddApplicationServices();
        builder.Services.PostConfigure<JobOptions>(options => options.SchedulerEnabled = false);
        builder.Services.AddSingleton<WorkerPipeline>();
        builder.UseMiddleware<AspNetCorePipelineMiddleware>();
        builder.Build().Run();
    }
}

/// <summary>
/// The app's cross-cutting HTTP pipeline (problem details, budget, keys and session, anti-forgery, rate limits, body
/// limits, strict JSON) built once as a request delegate, for the worker middleware to run around each HTTP
/// function. The worker's own ASP.NET Core pipeline is fixed and its endpoints carry only their methods, so the
/// refusals belong here, after the invocation has begun (ADR-010).
/// </summary>
public sealed class WorkerPipeline
{
    private static readonly object InvocationKey = new();
    private readonly Dictionary<string, Endpoint> _endpoints;

    public WorkerPipeline(IServiceProvider services)
    {
        _endpoints = FunctionTable.Http.ToDictionary(o => o.Name, o => (Endpoint)new RouteEndpoint(
            _ => Task.CompletedTask, o.Pattern, 0,
            new EndpointMetadataCollection([o.Method, .. o.Metadata, new HttpMethodMetadata(o.Methods), new EndpointNameMetadata(o.Name)]),
            o.Name));
        var app = new ApplicationBuilder(services);
        app.UseApplicationPipeline(route: pipeline => pipeline.Use(RefuseOtherMediaTypes));
        app.Run(InvokeFunctionAsync);
        Delegate = app.Build();
    }

    public RequestDelegate Delegate { get; }

    public Endpoint? EndpointOf(string functionName) => _endpoints.GetValueOrDefault(functionName);

    public async Task RunAsync(HttpContext http, FunctionContext context, FunctionExecutionDelegate next)
    {
        http.Items[InvocationKey] = (context, next);
        await Delegate(http);
    }

    /// <summary>
    /// The function itself, and its result executed here rather than after the pipeline, so that the problem details,
    /// the budget and the exception handlers cover writing the answer as they do on the standalone server.
    /// </summary>
    private static async Task InvokeFunctionAsync(HttpContext http)
    {
        var (context, next) = ((FunctionContext, FunctionExecutionDelegate))http.Items[InvocationKey]!;
        await next(context);
        var result = context.GetInvocationResult();
        if (result.Value is IResult answer)
        {
            await answer.ExecuteAsync(http);
            result.Value = Results.Empty;
        }
    }

    /// <summary>What routing answers on the standalone server: a body of a media type the operation does not read is 415.</summary>
    private static async Task RefuseOtherMediaTypes(HttpContext http, RequestDelegate next)
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>() is { ContentTypes.Count: > 0 } accepts
            && http.Request.ContentType is { Length: > 0 } type
            && !accepts.ContentTypes.Any(t => type.StartsWith(t, StringComparison.OrdinalIgnoreCase)))
        {
            http.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }
        await next(http);
    }
}

/// <summary>Runs each HTTP invocation through <see cref="WorkerPipeline"/> with the endpoint metadata of its function.</summary>
internal sealed class AspNetCorePipelineMiddleware(WorkerPipeline pipeline) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (context.GetHttpContext() is not { } http || pipeline.EndpointOf(context.FunctionDefinition.Name) is not { } endpoint)
        {
            await next(context);
            return;
        }
        http.SetEndpoint(endpoint);
        // The host routed the request; its route values arrive as binding data, and the pipeline checks them there.
        foreach (var parameter in ((RouteEndpoint)endpoint).RoutePattern.Parameters)
        {
            if (!http.Request.RouteValues.ContainsKey(parameter.Name)
                && context.BindingContext?.BindingData?.TryGetValue(parameter.Name, out var value) == true && value is not null)
            {
                http.Request.RouteValues[parameter.Name] = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        await pipeline.RunAsync(http, context, next);
    }
}
