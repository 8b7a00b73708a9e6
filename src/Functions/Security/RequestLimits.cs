using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.RateLimiting;
using Qcdc.Functions.Problems;
using Qcdc.Localization;
using Qcdc.Security;

namespace Qcdc.Functions.Security;

/// <summary>Bound from the <c>RateLimits</c> section.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Requests a minute for one API key.</summary>
    public int PerKeyPerMinute { get; set; } = 600;

    /// <summary>Requests a minute from one client address without a valid key.</summary>
    public int PerAddressPerMinute { get; set; } = 120;

    /// <summary>Largest request body of a route that declares none.</summary>
    public long DefaultBodyLimit { get; set; } = 1024 * 1024;
}

/// <summary>
/// Rate limits (per key, or per client address for requests without a valid key), body size limits per route,
/// and security headers on every answer.
/// </summary>
public static class RequestLimits
{
    public static IServiceCollection AddRequestLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section);
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                // Pages and their files are static and cheap; many clerks behind one provincial address load them.
                if (Pages.PagesHosting.IsPage(context.Request))
                {
                    return RateLimitPartition.GetNoLimiter("pages");
                }
                var limits = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<RateLimitOptions>>().Value;
                var actor = context.User.ToActor();
                var (partition, permits) = actor is not null
                    ? ("key:" + actor.KeyId, limits.PerKeyPerMinute)
                    : ("address:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown"), limits.PerAddressPerMinute);
                return RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = permits,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                });
            });
            options.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? (int)Math.Ceiling(wait.TotalSeconds) : 60;
                context.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails = { Status = StatusCodes.Status429TooManyRequests, Detail = SecurityTexts.TooMany.Current },
                });
            };
        });
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
