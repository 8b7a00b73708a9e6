using Microsoft.Net.Http.Headers;
using Qcdc.Functions.Security;

namespace Qcdc.Functions.Pages;

/// <summary>
/// The pages people use — sign-in, a clerk's quarter, the reviewer's desk, the dashboard — as static files of
/// <c>wwwroot</c> served by this executable: compressed and fingerprinted at build (<c>MapStaticAssets</c>), under a
/// strict content security policy (no inline script or style, nothing from another origin). The entry page at
/// <c>/</c> is also the Functions host's readiness probe.
/// </summary>
public static class PagesHosting
{
    /// <summary>Scripts, styles, images and requests from this origin only; no inline script; no framing.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; "
        + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public const string EntryPage = "index.html";

    public static WebApplication MapPages(this WebApplication app)
    {
        app.MapStaticAssets().RequireAccess(AccessRule.Anonymous);
        app.MapGet("/", (IWebHostEnvironment environment, HttpContext http) =>
            {
                var page = environment.WebRootFileProvider.GetFileInfo(EntryPage);
                http.Response.Headers.CacheControl = "no-cache";
                return TypedResults.Stream(page.CreateReadStream(), "text/html; charset=utf-8");
            })
            .WithName("Root")
            .RequireAccess(AccessRule.Anonymous)
            .ExcludeFromDescription();
        return app;
    }

    /// <summary>Whether an answer is a page or one of its files (everything outside <c>/api</c>).</summary>
    public static bool IsPage(HttpRequest request) => !request.Path.StartsWithSegments("/api");

    public static void AddPageHeaders(IHeaderDictionary headers) => headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
}
