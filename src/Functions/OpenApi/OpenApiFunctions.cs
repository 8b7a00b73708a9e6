using Microsoft.AspNetCore.OpenApi;
using Microsoft.Azure.Functions.Worker;
using Microsoft.OpenApi;
using Qcdc.Functions.Hosting;
using Qcdc.Functions.Security;

namespace Qcdc.Functions.OpenApi;

/// <summary>The OpenAPI document of the API, generated from the HTTP functions' declarations.</summary>
public sealed class OpenApiFunctions([FromKeyedServices("v1")] IOpenApiDocumentProvider documents)
{
    public const string Route = "api/openapi.json";

    [Function("GetOpenApiDocument")]
    [Access(AccessRule.Anonymous), ExcludeFromDescription]
    public async Task<IResult> GetOpenApiDocument([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Route)] HttpRequest request)
    {
        var document = await documents.GetOpenApiDocumentAsync(request.HttpContext.RequestAborted);
        // The server is the one the client reached (under the Functions host, the address it forwarded from).
        document.Servers = [new OpenApiServer { Url = $"{request.Scheme}://{request.Host}{request.PathBase}".TrimEnd('/') }];
        var json = await document.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_1, request.HttpContext.RequestAborted);
        return TypedResults.Text(json, "application/json; charset=utf-8");
    }
}
