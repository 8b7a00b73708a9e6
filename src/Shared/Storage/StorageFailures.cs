using Azure;

namespace Qcdc.Storage;

/// <summary>Tells a passing storage outage (answer 503, retry later) from a bug (answer 500).</summary>
public static class StorageFailures
{
    /// <summary>
    /// True for every way storage fails to serve: no connection, a timeout (one try's, or the SDK giving up after
    /// its retries with an <see cref="AggregateException"/> of them), a server error or throttling (5xx, 408, 429,
    /// <c>ServerBusy</c>), a table or container that is not there yet.
    /// </summary>
    public static bool IsUnavailable(Exception exception) => exception switch
    {
        RequestFailedException failed => failed.Status is 0 or 408 or 429 or >= 500
            || failed.ErrorCode is "TableNotFound" or "ContainerNotFound" or "ServerBusy" or "OperationTimedOut" or "InternalError"
            || (failed.InnerException is not null && IsUnavailable(failed.InnerException)),
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsUnavailable),
        HttpRequestException => true,
        TimeoutException => true,
        System.Net.Sockets.SocketException => true,
        IOException io => io.InnerException is not null && IsUnavailable(io.InnerException),
        // A storage call cancelled: the SDK abandoning a try after its network timeout. A caller that cancelled on
        // purpose (shutdown, a client gone, a spent budget) knows it by its own token and decides before asking here.
        TaskCanceledException => true,
        _ => false,
    };
}
