using Azure;

namespace Qcdc.Storage;

/// <summary>Storage could not be reached or did not answer in time; the request can be retried later.</summary>
public sealed class StorageUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Tells a passing storage outage (answer 503, retry later) from a bug (answer 500).</summary>
public static class StorageFailures
{
    public static bool IsUnavailable(Exception exception) => exception switch
    {
        StorageUnavailableException => true,
        RequestFailedException failed => failed.Status is 0 or 408 or 429 or >= 500
            || failed.ErrorCode is "TableNotFound" or "ContainerNotFound"
            || (failed.InnerException is not null && IsUnavailable(failed.InnerException)),
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsUnavailable),
        HttpRequestException => true,
        TimeoutException => true,
        System.Net.Sockets.SocketException => true,
        IOException io => io.InnerException is null || IsUnavailable(io.InnerException),
        TaskCanceledException cancelled => cancelled.InnerException is TimeoutException,
        _ => false,
    };
}
