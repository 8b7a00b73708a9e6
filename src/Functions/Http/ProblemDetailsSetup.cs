using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Localization;
using Qcdc.Functions.Problems;

namespace Qcdc.Functions.Http;

/// <summary>RFC 9457 problem details for every error: routing misses, bad requests, storage outages, bugs.</summary>
internal static class ProblemDetailsSetup
{
    private static readonly string[] Languages = ["en", "vi"];

    public static IServiceCollection AddQcdcProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = Customize);
        // Last, after the JSON writer: a client that accepts no JSON (a download link asking for a workbook) still
        // gets its refusal's status, with a short text, never a 500.
        services.AddSingleton<IProblemDetailsWriter, PlainTextProblemWriter>();
        // A body that does not bind throws in every environment, so that the refusal says where (not a bare 400).
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.AddExceptionHandler<StorageUnavailableExceptionHandler>();
        services.AddExceptionHandler<UnexpectedExceptionHandler>();
        services.AddRequestLocalization(options =>
        {
            options.SetDefaultCulture("en");
            options.AddSupportedCultures(Languages);
            options.AddSupportedUICultures(Languages);
            options.ApplyCurrentCultureToResponseHeaders = true;
            options.RequestCultureProviders = [new AcceptLanguageHeaderRequestCultureProvider()];
        });
        return services;
    }

    /// <summary>
    /// Language first (so that errors are localized), then exceptions, then empty error answers. Standalone, routing
    /// comes after these, so that a failure while routing is a problem detail too; under the Functions host the
    /// worker has routed before its middleware runs them.
    /// </summary>
    public static IApplicationBuilder UseQcdcProblemDetails(this IApplicationBuilder app)
    {
        app.UseRequestLocalization();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }

    private static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var status = problem.Status ?? context.HttpContext.Response.StatusCode;
        if (ProblemTexts.IsDefaultTitle(status, problem.Title))
        {
            problem.Title = ProblemTexts.Title(status) ?? problem.Title;
        }
        if (problem.Detail is null)
        {
            // Only routing produces a bare 404 (no endpoint) or a 405; endpoints say why they found nothing.
            problem.Detail = status switch
            {
                404 when context.HttpContext.GetEndpoint() is null => ProblemTexts.RouteNotFound.Current,
                405 => ProblemTexts.MethodNotAllowed.Format(context.HttpContext.Request.Method).Current,
                415 => (HttpMethods.IsPatch(context.HttpContext.Request.Method) ? ProblemTexts.SendMergePatch : ProblemTexts.SendJson).Current,
                _ => null,
            };
        }
        if (problem.Type is null || problem.Type.StartsWith("https://tools.ietf.org/", StringComparison.Ordinal))
        {
            problem.Type = ProblemTexts.Type(status);
        }
        problem.Instance ??= context.HttpContext.Request.Path;
        var traceId = context.HttpContext.Features.Get<IHttpActivityFeature>()?.Activity?.Id ?? context.HttpContext.TraceIdentifier;
        problem.Extensions.TryAdd("traceId", traceId);
        problem.Extensions.Remove("exception");
    }
}

/// <summary>A refusal for a client that takes no JSON: its status and a one-line text of the title and detail.</summary>
internal sealed class PlainTextProblemWriter : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public async ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        http.Response.ContentType = "text/plain; charset=utf-8";
        var problem = context.ProblemDetails;
        var status = problem.Status ?? http.Response.StatusCode;
        var text = string.Join(": ", new[] { $"{status} {problem.Title}".Trim(), problem.Detail }.Where(t => !string.IsNullOrWhiteSpace(t)));
        await http.Response.WriteAsync(text + "\n", http.RequestAborted);
    }
}
