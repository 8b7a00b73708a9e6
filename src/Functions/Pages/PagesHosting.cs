using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Net.Http.Headers;
using Qcdc.Functions.Hosting;
using Qcdc.Functions.Problems;
using Qcdc.Functions.Security;

namespace Qcdc.Functions.Pages;

/// <summary>
/// The pages people use — sign-in, a clerk's quarter, the reviewer's desk, the dashboard — as static files of
/// <c>wwwroot</c>, under a strict content security policy (no inline script or style, nothing from another origin).
/// The standalone server serves the files compressed and fingerprinted (<c>MapStaticAssets</c>); the catch-all
/// function <c>Pages</c> serves the entry page at <c>/</c> in both modes and, under the Functions host, every file.
/// </summary>
public sealed class PagesFunctions(IWebHostEnvironment environment)
{
    public const string EntryPage = "index.html";

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    [Function("Pages")]
    [Access(AccessRule.Anonymous), ExcludeFromDescription]
    public Results<FileStreamHttpResult, ProblemHttpResult> Pages(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "{*path}")] HttpRequest request)
    {
        var path = request.Path.Value?.Trim('/') ?? "";
        var file = environment.WebRootFileProvider.GetFileInfo(path.Length == 0 ? EntryPage : path);
        if (PagesHosting.IsPage(request) && !path.Contains("..", StringComparison.Ordinal) && file is { Exists: true, IsDirectory: false })
        {
            if (path.Length == 0)
            {
                request.HttpContext.Response.Headers.CacheControl = "no-cache";
            }
            var type = ContentTypes.TryGetContentType(file.Name, out var known) ? known : "application/octet-stream";
            return TypedResults.Stream(file.CreateReadStream(), type.StartsWith("text/", StringComparison.Ordinal) ? type + "; charset=utf-8" : type);
        }
        return TypedResults.Problem(detail: ProblemTexts.RouteNotFound.Current, statusCode: StatusCodes.Status404NotFound);
    }
}

public static class PagesHosting
{
    /// <summary>Scripts, styles, images and requests from this origin only; no inline script; no framing.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; "
        + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>Whether an answer is a page or one of its files (everything outside <c>/api</c>).</summary>
    public static bool IsPage(HttpRequest request) => !request.Path.StartsWithSegments("/api");

    public static void AddPageHeaders(IHeaderDictionary headers) => headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
}
