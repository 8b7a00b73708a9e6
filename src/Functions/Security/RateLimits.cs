using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Qcdc.Functions.Pages;
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

/// <summary>Rate limits per API key, or per client address for requests without a valid key (<see cref="RateLimitOptions"/>).</summary>
public static class RateLimits
{
    public static IServiceCollection AddRateLimits(this IServiceCollection services)
    {
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
}
