using Microsoft.Extensions.Options;
using Qcdc.Storage;
using Qcdc.Functions.Hosting;

namespace Qcdc.Functions.Http;

/// <summary>The time left for a request's storage calls, shared by all of them.</summary>
public sealed class RequestBudgetFeature(CancellationTokenSource budget, CancellationToken client)
{
    /// <summary>True when the budget ran out while the client was still waiting (so the answer is 503, not silence).</summary>
    public bool Exhausted => budget.IsCancellationRequested && !client.IsCancellationRequested;

    /// <summary>True when the client went away: nobody waits for an answer.</summary>
    public bool ClientGone => client.IsCancellationRequested;
}

/// <summary>
/// One deadline for every storage call of a request (<c>Storage:RequestBudget</c>, 5 s by default): the request's
/// cancellation token is cancelled when it runs out, so a hung or slow storage ends in a 503 with Retry-After within
/// the budget instead of per-try timeouts multiplied by retries.
/// </summary>
public static class RequestBudget
{
    public static IApplicationBuilder UseRequestBudget(this IApplicationBuilder app)
    {
        app.Use(async (context, next) =>
        {
            var budget = context.GetEndpoint()?.Metadata.GetMetadata<RequestBudgetMetadata>() is { } own
                ? own.Budget
                : context.RequestServices.GetRequiredService<IOptions<StorageOptions>>().Value.RequestBudget;
            if (budget is null)
            {
                await next(context);
                return;
            }
            var client = context.RequestAborted;
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(client);
            deadline.CancelAfter(budget.Value);
            context.Features.Set(new RequestBudgetFeature(deadline, client));
            context.RequestAborted = deadline.Token;
            try
            {
                await next(context);
            }
            finally
            {
                context.RequestAborted = client;
            }
        });
        return app;
    }

    /// <summary>True when the request's budget ran out with the client still waiting.</summary>
    public static bool BudgetExhausted(this HttpContext context) => context.Features.Get<RequestBudgetFeature>()?.Exhausted == true;

    /// <summary>True when the client went away (whatever the budget).</summary>
    public static bool ClientGone(this HttpContext context) =>
        context.Features.Get<RequestBudgetFeature>()?.ClientGone ?? context.RequestAborted.IsCancellationRequested;
}
