using Qcdc.Storage;

namespace Qcdc.Functions.Http;

/// <summary>
/// Holds the requests that arrive while the start's table and container creation is still under way (a cold start's
/// first few milliseconds, at most <see cref="StorageInitializer.StartLimit"/>), so that a fresh deployment's first
/// request finds its tables; afterwards it costs one completed-task check. The wait counts against the request's
/// budget: a storage that hangs at start still answers 503 in time.
/// </summary>
public static class StorageReady
{
    public static IApplicationBuilder UseStorageReady(this IApplicationBuilder app)
    {
        app.Use(async (context, next) =>
        {
            // Resolved per request (a singleton lookup): writing the function-app folder builds the app without storage settings.
            var first = context.RequestServices.GetRequiredService<StorageInitializer>().FirstAttempt;
            if (!first.IsCompleted)
            {
                await first.WaitAsync(context.RequestAborted);
            }
            await next(context);
        });
        return app;
    }
}
