using Microsoft.AspNetCore.Http.Metadata;
using Qcdc.Functions.Hosting;

namespace Qcdc.Functions.Startup;

/// <summary>
/// The standalone server's endpoints, derived from the HTTP functions: each function's route and methods become an
/// endpoint whose handler is the function's own method (its class made per request from the request's services, as
/// the worker makes it per invocation), with the metadata of the function's attributes and of its result type.
/// </summary>
public static class StandaloneEndpoints
{
    public static IEndpointRouteBuilder MapFunctions(this IEndpointRouteBuilder routes)
    {
        foreach (var operation in FunctionTable.Http)
        {
            var method = operation.Method;
            var options = new RequestDelegateFactoryOptions
            {
                ServiceProvider = routes.ServiceProvider,
                RouteParameterNames = [.. operation.Pattern.Parameters.Select(p => p.Name)],
                EndpointBuilder = new RouteEndpointBuilder(null, operation.Pattern, 0),
            };
            Func<HttpContext, object>? target = null;
            if (!method.IsStatic)
            {
                // The class's factory is made on its first request too: making fifty at start cost 50 ms (measured).
                var create = new Lazy<ObjectFactory>(() => ActivatorUtilities.CreateFactory(method.DeclaringType!, Type.EmptyTypes));
                target = http => create.Value(http.RequestServices, null);
            }
            // The parameters' and the result's metadata (for the OpenAPI document) now; the handler itself is compiled on
            // the operation's first request, not at start — compiling fifty of them was a third of what a start spent
            // before it could answer (measured by the coldstart benchmark).
            var inferred = RequestDelegateFactory.InferMetadata(method, options);
            var handler = new Lazy<RequestDelegate>(() => RequestDelegateFactory.Create(method, target, options, inferred).RequestDelegate);
            routes.MapMethods(operation.Pattern.RawText!, operation.Methods, http => handler.Value(http))
                .WithName(operation.Name)
                .WithMetadata([method, .. options.EndpointBuilder.Metadata.Where(m => m is not IHttpMethodMetadata), .. operation.Metadata]);
        }
        return routes;
    }
}
