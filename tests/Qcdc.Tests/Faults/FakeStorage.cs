using System.Net;
using System.Net.Sockets;
using System.Text;
using Qcdc.Development.DevStorage;

namespace Qcdc.Tests.Faults;

/// <summary>How the stand-in storage misbehaves.</summary>
public enum StorageFault
{
    /// <summary>Accepts the connection and never answers (a partition, a frozen server).</summary>
    Hang,
    /// <summary>Answers 500 InternalError.</summary>
    ServerError,
    /// <summary>Answers 503 ServerBusy (throttling).</summary>
    ServerBusy,
    /// <summary>Answers 429.</summary>
    TooManyRequests,
}

/// <summary>
/// A storage endpoint on loopback that fails on purpose, in a way a real component cannot on demand: every
/// request to it, table or blob, gets the same fault. Stopped (and its port freed) on dispose.
/// </summary>
public sealed class FakeStorage : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<HttpListenerContext> _held = [];
    private readonly Lock _gate = new();

    public FakeStorage(StorageFault fault)
    {
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _ = ServeAsync(fault);
    }

    public int Port { get; }

    public int Requests { get; private set; }

    public string ConnectionString => AzuriteProcess.ConnectionStringFor(Port, Port);

    private async Task ServeAsync(StorageFault fault)
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            lock (_gate)
            {
                Requests++;
            }
            if (fault == StorageFault.Hang)
            {
                lock (_gate)
                {
                    _held.Add(context);
                }
                continue;
            }
            var (status, code) = fault switch
            {
                StorageFault.ServerError => (500, "InternalError"),
                StorageFault.ServerBusy => (503, "ServerBusy"),
                StorageFault.TooManyRequests => (429, "TooManyRequests"),
                StorageFault.Hang => (0, ""),
            };
            var body = Encoding.UTF8.GetBytes("{\"odata.error\":{\"code\":\"" + code + "\",\"message\":{\"lang\":\"en-US\",\"value\":\"fault on purpose\"}}}");
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json;odata=minimalmetadata";
            context.Response.Headers["x-ms-error-code"] = code;
            context.Response.ContentLength64 = body.Length;
            try
            {
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
            {
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        lock (_gate)
        {
            foreach (var held in _held)
            {
                held.Response.Abort();
            }
        }
        _listener.Close();
        _stop.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
