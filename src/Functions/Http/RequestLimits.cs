using System.Globalization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Qcdc.Functions.Problems;
using Qcdc.Localization;
using Qcdc.Functions.Security;

namespace Qcdc.Functions.Http;

/// <summary>
/// Body size limits per route and security headers on every answer (the rate limits, which need the caller, are
/// Security's).
/// </summary>
public static class RequestLimits
{
    public static IServiceCollection AddRequestLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section);
        return services;
    }

    /// <summary>Security headers first (so that every answer has them), then body limits and rate limits after authentication.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        app.Use(async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                headers["Cross-Origin-Resource-Policy"] = "same-origin";
                if (Pages.PagesHosting.IsPage(context.Request))
                {
                    Pages.PagesHosting.AddPageHeaders(headers);
                }
                else if (!context.Request.Path.StartsWithSegments("/api/reference"))
                {
                    headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
                }
                if (context.Request.Path.StartsWithSegments("/api"))
                {
                    headers.CacheControl = "no-store";
                }
                if (context.Request.IsHttps)
                {
                    headers.StrictTransportSecurity = "max-age=31536000";
                }
                return Task.CompletedTask;
            });
            await next(context);
        });
        return app;
    }

    public static IApplicationBuilder UseRequestLimits(this IApplicationBuilder app)
    {
        app.Use(async (context, next) =>
        {
            var limit = BodyLimitOf(context);
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            {
                feature.MaxRequestBodySize = limit;
            }
            if (context.Request.ContentLength > limit)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                await context.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails = { Status = StatusCodes.Status413PayloadTooLarge, Detail = CommonTexts.BodyOverLimit.Format(limit).Current },
                });
                return;
            }
            await next(context);
        });
        return app;
    }

    /// <summary>The largest body the request's endpoint accepts.</summary>
    public static long BodyLimitOf(HttpContext context)
    {
        var metadata = context.GetEndpoint()?.Metadata;
        return metadata?.GetMetadata<IConfiguredBodyLimit>()?.Limit(context.RequestServices)
            ?? metadata?.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize
            ?? context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<RateLimitOptions>>().Value.DefaultBodyLimit;
    }
}

/// <summary>A body limit that depends on the app's options (an attachment's largest size).</summary>
public interface IConfiguredBodyLimit
{
    long Limit(IServiceProvider services);
}
