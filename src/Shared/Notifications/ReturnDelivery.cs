using Microsoft.Extensions.DependencyInjection;
using Qcdc.Submissions;

namespace Qcdc.Notifications;

/// <summary>
/// A returned report reaches its unit at once: right after the return is committed and its notice recorded (the
/// observer before this one), delivery of the due notices is attempted, so the clerk does not wait for the next
/// delivery run. The <c>NoticeDelivery</c> timer stays the safety net: a failed attempt is retried by it with its
/// backoff, and a claim it meets is left alone.
/// </summary>
public sealed class ReturnDelivery(IServiceScopeFactory scopes) : ISubmissionObserver
{
    public async Task CommittedAsync(SubmissionKey key, SubmissionAction action, CancellationToken cancellationToken)
    {
        if (action != SubmissionAction.Returned)
        {
            return;
        }
        // The sender is a typed HTTP client (webhooks): one of its own for this attempt, as the timer's run has.
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<NoticeSender>().SendDueAsync(cancellationToken);
    }
}
