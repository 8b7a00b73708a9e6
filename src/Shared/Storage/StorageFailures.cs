using Azure;

namespace Qcdc.Storage;

/// <summary>Tells a passing storage outage (answer 503, retry later) from a bug (answer 500).</summary>
public static class StorageFailures
{
    public static bool IsUnavailable(Exception exception) => exception switch
    {
        RequestFailedException failed => failed.Status is 0 or 408 or 429 or >= 500
            || failed.ErrorCode is "TableNotFound" or "ContainerNotFound"
            || (failed.InnerException is not null && IsUnavailable(failed.InnerException)),
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsUnavailable),
        HttpRequestException => true,
        TimeoutException => true,
        System.Net.Sockets.SocketException => true,
        IOException io => io.InnerException is not null && IsUnavailable(io.InnerException),
        TaskCanceledException cancelled => cancelled.InnerException is TimeoutException,
        _ => false,
    };
}
