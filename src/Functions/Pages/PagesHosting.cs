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
/// The catch-all function <c>Pages</c> serves every file in both modes, with an entity tag and a last-modified date so
/// that a browser revalidates with a 304 instead of downloading again; the entry page is never cached unchecked.
/// (The standalone server once mapped the files as static-asset endpoints, compressed and fingerprinted; the 120
/// endpoints cost 110 ms of every start, measured, for files of a few tens of kilobytes on a provincial network.)
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
            // Revalidated on each use (a 304 when unchanged): a new deployment shows at once, pages and scripts together.
            request.HttpContext.Response.Headers.CacheControl = "no-cache";
            var type = ContentTypes.TryGetContentType(file.Name, out var known) ? known : "application/octet-stream";
            var tag = new EntityTagHeaderValue($"\"{file.LastModified.UtcTicks:x}-{file.Length:x}\"");
            return TypedResults.Stream(file.CreateReadStream(), type.StartsWith("text/", StringComparison.Ordinal) ? type + "; charset=utf-8" : type,
                lastModified: file.LastModified, entityTag: tag);
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
