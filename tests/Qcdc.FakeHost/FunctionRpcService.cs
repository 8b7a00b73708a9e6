using System.Threading.Channels;
using Grpc.Core;

namespace Qcdc.FakeHost;

/// <summary>
/// The host's side of <c>AzureFunctionsRpcMessages.FunctionRpc/EventStream</c>, bound by hand with a byte marshaller
/// (the worker dials in; one stream per worker). Messages go through <see cref="FakeFunctionsHost"/>'s channels.
/// </summary>
[BindServiceMethod(typeof(FunctionRpcService), nameof(BindService))]
public class FunctionRpcService(FakeFunctionsHost host)
{
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);

    private static readonly Method<byte[], byte[]> EventStreamMethod =
        new(MethodType.DuplexStreaming, "AzureFunctionsRpcMessages.FunctionRpc", nameof(EventStream), Bytes, Bytes);

    public static void BindService(ServiceBinderBase binder, FunctionRpcService? service) =>
        binder.AddMethod(EventStreamMethod, (DuplexStreamingServerMethod<byte[], byte[]>)null!);

    // Virtual: the binder takes only a method that overrides, or is, the bound type's own virtual method.
    public virtual async Task EventStream(IAsyncStreamReader<byte[]> requests, IServerStreamWriter<byte[]> responses, ServerCallContext context)
    {
        var outbound = host.AttachStream();
        var writing = Task.Run(async () =>
        {
            await foreach (var message in outbound.ReadAllAsync(context.CancellationToken))
            {
                await responses.WriteAsync(message, context.CancellationToken);
            }
        }, context.CancellationToken);
        try
        {
            await foreach (var message in requests.ReadAllAsync(context.CancellationToken))
            {
                host.Receive(message);
            }
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            host.DetachStream();
        }
        await Task.WhenAny(writing, Task.Delay(1000));
    }
}
