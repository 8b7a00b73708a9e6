using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using Qcdc.Tests.Infrastructure;

namespace Qcdc.Tests.Notifications;

/// <summary>A real SMTP server (npm smtp-server, pinned) on a loopback port, started and stopped by its pid.</summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private Process? _process;

    public SmtpSink() => Port = FreePort();

    public int Port { get; }

    public string Folder { get; } = Directory.CreateTempSubdirectory("qcdc-smtp-").FullName;

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("node")
        {
            ArgumentList = { Path.Combine(AzuriteFixture.RepositoryRoot, "tests", "Qcdc.Tests", "Notifications", "smtp-sink.mjs"), Port.ToString(System.Globalization.CultureInfo.InvariantCulture), Folder },
            WorkingDirectory = AzuriteFixture.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _process = Process.Start(start)!;
        var line = await _process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
        if (line?.StartsWith("listening", StringComparison.Ordinal) != true)
        {
            throw new InvalidOperationException($"The SMTP sink did not start: {line} {await _process.StandardError.ReadToEndAsync()}");
        }
    }

    /// <summary>Stops the server (the outage); what it received stays in its folder.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
        _process = null;
    }

    public IReadOnlyList<MimeMessage> Messages =>
        [.. Directory.GetFiles(Folder, "*.eml").Order(StringComparer.Ordinal).Select(f => MimeMessage.Load(f))];

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(Folder, recursive: true);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>A webhook receiver on a loopback port: every POST is kept with its headers and exact body.</summary>
public sealed class WebhookSink : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public WebhookSink()
    {
        var port = SmtpSink.FreePort();
        Url = $"http://127.0.0.1:{port}/qcdc-hook/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(async () =>
        {
            while (_listener.IsListening)
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
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                lock (Received)
                {
                    Received.Add((context.Request.Headers["X-Qcdc-Signature"], context.Request.Headers["X-Qcdc-Notice"], body.ToArray()));
                }
                context.Response.StatusCode = 204;
                context.Response.Close();
            }
        });
    }

    public string Url { get; }

    public List<(string? Signature, string? Notice, byte[] Body)> Received { get; } = [];

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
