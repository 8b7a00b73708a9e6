using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Qcdc.FakeHost;

/// <summary>A function as the worker described it: its id, name, trigger binding and (for HTTP) route and methods.</summary>
public sealed record LoadedFunction(string Id, string Name, string TriggerName, string TriggerType, string? Route, IReadOnlyList<string> Methods, JsonObject Metadata);

/// <summary>What the worker answered to an invocation.</summary>
public sealed record InvocationResult(string Status, string? Exception, JsonNode? ReturnValue);

/// <summary>
/// A fake Azure Functions host: it does what the real host does to a .NET isolated worker, as far as the app can
/// tell — listens for the worker's gRPC stream on loopback (HTTP/2), starts the built app with the host's
/// arguments and environment, answers <c>StartStream</c> with <c>WorkerInitRequest</c>, asks for the functions
/// (worker indexing) and loads each, invokes timers with their <c>TimerInfo</c>, and forwards HTTP requests to the
/// worker's own server with <c>x-ms-invocation-id</c> while sending the matching <c>InvocationRequest</c> with the
/// route values in its trigger metadata and a trace context. Stops the worker with <c>WorkerTerminate</c>.
/// </summary>
public sealed class FakeFunctionsHost : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonObject>> _waiting = new();
    private readonly ConcurrentQueue<JsonObject> _logs = new();
    private readonly StringBuilder _output = new();
    private Channel<byte[]>? _outbound;
    private WebApplication? _server;
    private Process? _worker;
    private HttpClient? _forward;

    public IReadOnlyList<LoadedFunction> Functions { get; private set; } = [];

    /// <summary>The worker's capabilities from its init response (HttpUri among them).</summary>
    public JsonObject Capabilities { get; private set; } = [];

    /// <summary>From starting the worker process to every function loaded.</summary>
    public TimeSpan StartToLoaded { get; private set; }

    public int WorkerProcessId => _worker?.Id ?? 0;

    /// <summary>What the worker logged over the stream and wrote to its console (for a failure's message).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString() + string.Join(Environment.NewLine, _logs.Select(l => l.ToJsonString()));
            }
        }
    }

    public IEnumerable<JsonObject> Logs => _logs;

    /// <summary>Starts the worker in <paramref name="appDirectory"/> as the host would, and waits until its functions are loaded.</summary>
    public async Task StartAsync(string appDirectory, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(o => o.MaxReceiveMessageSize = null);
        builder.Services.AddSingleton(this);
        _server = builder.Build();
        _server.MapGrpcService<FunctionRpcService>();
        await _server.StartAsync(cancellationToken);
        var address = _server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        var config = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(appDirectory, "worker.config.json"), cancellationToken))!["description"]!;
        var workerId = Guid.NewGuid().ToString();
        var start = new ProcessStartInfo(config["defaultExecutablePath"]!.GetValue<string>())
        {
            WorkingDirectory = appDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(appDirectory, config["defaultWorkerPath"]!.GetValue<string>()));
        foreach (var (name, value) in new[]
        {
            ("--functions-uri", address.TrimEnd('/') + "/"),
            ("--functions-worker-id", workerId),
            ("--functions-request-id", Guid.NewGuid().ToString()),
            ("--functions-grpc-max-message-length", int.MaxValue.ToString(CultureInfo.InvariantCulture)),
        })
        {
            start.ArgumentList.Add(name);
            start.ArgumentList.Add(value);
        }
        start.Environment["FUNCTIONS_WORKER_DIRECTORY"] = appDirectory;
        start.Environment["FUNCTIONS_APPLICATION_DIRECTORY"] = appDirectory;
        start.Environment["FUNCTIONS_WORKER_RUNTIME_VERSION"] = "10.0";
        start.Environment["AZURE_FUNCTIONS_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }
        var startStream = Expect("startStream");
        var clock = Stopwatch.StartNew();
        _worker = Process.Start(start) ?? throw new InvalidOperationException("The worker did not start.");
        _worker.OutputDataReceived += (_, e) => Record(e.Data);
        _worker.ErrorDataReceived += (_, e) => Record(e.Data);
        _worker.BeginOutputReadLine();
        _worker.BeginErrorReadLine();

        var started = await WaitAsync(startStream, TimeSpan.FromSeconds(60), cancellationToken);
        if (started["startStream"]?["workerId"]?.GetValue<string>() != workerId)
        {
            throw new InvalidOperationException($"The worker announced another id: {started}");
        }
        var init = await RequestAsync("workerInitRequest", "workerInitResponse", new JsonObject
        {
            ["hostVersion"] = "4.1044.0",
            ["capabilities"] = new JsonObject(),
            ["logCategories"] = new JsonObject(),
            ["workerDirectory"] = appDirectory,
            ["functionAppDirectory"] = appDirectory,
        }, cancellationToken);
        EnsureSuccess(init["workerInitResponse"]!["result"], "worker init");
        Capabilities = init["workerInitResponse"]!["capabilities"]?.AsObject() ?? [];
        _forward = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = new Uri(Capabilities["HttpUri"]!.GetValue<string>()),
            Timeout = TimeSpan.FromMinutes(3),
        };

        var metadata = await RequestAsync("functionsMetadataRequest", "functionMetadataResponse",
            new JsonObject { ["functionAppDirectory"] = appDirectory }, cancellationToken);
        EnsureSuccess(metadata["functionMetadataResponse"]!["result"], "function metadata");
        var functions = new List<LoadedFunction>();
        foreach (var entry in metadata["functionMetadataResponse"]!["functionMetadataResults"]!.AsArray().Select(e => e!.AsObject()))
        {
            var id = entry["functionId"]!.GetValue<string>();
            var loaded = Expect("functionLoadResponse:" + id);
            Send(new JsonObject { ["requestId"] = Guid.NewGuid().ToString(), ["functionLoadRequest"] = new JsonObject { ["functionId"] = id, ["metadata"] = entry.DeepClone() } });
            EnsureSuccess((await WaitAsync(loaded, TimeSpan.FromSeconds(30), cancellationToken))["functionLoadResponse"]!["result"], "loading " + entry["name"]);
            var trigger = entry["rawBindings"]!.AsArray().Select(b => JsonNode.Parse(b!.GetValue<string>())!.AsObject())
                .Single(b => b["type"]!.GetValue<string>().EndsWith("Trigger", StringComparison.OrdinalIgnoreCase));
            functions.Add(new LoadedFunction(id, entry["name"]!.GetValue<string>(), trigger["name"]!.GetValue<string>(), trigger["type"]!.GetValue<string>(),
                trigger["route"]?.GetValue<string>(), [.. trigger["methods"]?.AsArray().Select(m => m!.GetValue<string>().ToUpperInvariant()) ?? []], entry));
        }
        Functions = functions;
        StartToLoaded = clock.Elapsed;
        await WaitForWorkerServerAsync(cancellationToken);
    }

    /// <summary>
    /// The worker's own server starts beside its gRPC client, so it may not listen yet when the functions are loaded;
    /// the host's first forwarded request must find it, so this waits until it accepts connections.
    /// </summary>
    private async Task WaitForWorkerServerAsync(CancellationToken cancellationToken)
    {
        var uri = _forward!.BaseAddress!;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var probe = new System.Net.Sockets.TcpClient();
                await probe.ConnectAsync(uri.Host, uri.Port, cancellationToken);
                return;
            }
            catch (System.Net.Sockets.SocketException) when (clock.Elapsed < TimeSpan.FromSeconds(30) && _worker is { HasExited: false })
            {
                await Task.Delay(10, cancellationToken);
            }
        }
    }

    /// <summary>Invokes a timer function as the host does when its schedule fires (or, past due, once after downtime).</summary>
    public async Task<InvocationResult> InvokeTimerAsync(string name, bool isPastDue, CancellationToken cancellationToken)
    {
        var function = Functions.Single(f => f.Name == name && f.TriggerType == "timerTrigger");
        var now = DateTimeOffset.UtcNow;
        var timer = JsonSerializer.Serialize(new
        {
            Schedule = new { AdjustForDST = true },
            ScheduleStatus = new { Last = now.AddDays(-1), Next = now, LastUpdated = now.AddDays(-1) },
            IsPastDue = isPastDue,
        });
        var response = await InvokeAsync(function, new JsonObject { ["json"] = timer }, new JsonObject(), cancellationToken);
        return Result(response);
    }

    /// <summary>
    /// Forwards an HTTP request as the host does under ASP.NET Core integration: to the worker's own server at the
    /// original path and query with <c>x-ms-invocation-id</c>, and the invocation of the function whose route and
    /// method match (most specific route first) with the route values as trigger metadata. 404 when none matches.
    /// </summary>
    public async Task<(HttpResponseMessage Response, InvocationResult? Invocation)> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.IsAbsoluteUri ? request.RequestUri.AbsolutePath : request.RequestUri.OriginalString.Split('?')[0];
        var query = request.RequestUri.IsAbsoluteUri ? request.RequestUri.Query : (request.RequestUri.OriginalString.Contains('?') ? "?" + request.RequestUri.OriginalString.Split('?', 2)[1] : "");
        var match = Functions.Where(f => f.Route is not null && f.Methods.Contains(request.Method.Method))
            .Select(f => (Function: f, Template: TemplateParser.Parse(f.Route!)))
            .Select(f => (f.Function, f.Template, Values: new RouteValueDictionary()))
            .Where(f => new TemplateMatcher(f.Template, new RouteValueDictionary()).TryMatch(Uri.UnescapeDataString(path), f.Values))
            .OrderBy(f => RoutePrecedence.ComputeInbound(f.Template))
            .FirstOrDefault();
        if (match.Function is null)
        {
            return (new HttpResponseMessage(HttpStatusCode.NotFound), null);
        }
        var invocationId = Guid.NewGuid().ToString();
        var forwarded = new HttpRequestMessage(request.Method, path.TrimStart('/') + query) { Content = request.Content };
        foreach (var header in request.Headers)
        {
            forwarded.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
        forwarded.Headers.TryAddWithoutValidation("x-ms-invocation-id", invocationId);
        var answer = _forward!.SendAsync(forwarded, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var metadata = new JsonObject();
        foreach (var (key, value) in match.Values)
        {
            metadata[key] = new JsonObject { ["string"] = value?.ToString() ?? "" };
        }
        var invocation = InvokeAsync(match.Function, new JsonObject { ["http"] = new JsonObject() }, metadata, cancellationToken, invocationId);
        var response = await answer;
        return (response, Result(await invocation));
    }

    private async Task<JsonObject> InvokeAsync(LoadedFunction function, JsonObject data, JsonObject triggerMetadata, CancellationToken cancellationToken, string? invocationId = null)
    {
        invocationId ??= Guid.NewGuid().ToString();
        var answered = Expect("invocationResponse:" + invocationId);
        Send(new JsonObject
        {
            ["requestId"] = Guid.NewGuid().ToString(),
            ["invocationRequest"] = new JsonObject
            {
                ["invocationId"] = invocationId,
                ["functionId"] = function.Id,
                ["inputData"] = new JsonArray(new JsonObject { ["name"] = function.TriggerName, ["data"] = data }),
                ["triggerMetadata"] = triggerMetadata,
                ["traceContext"] = new JsonObject
                {
                    ["traceParent"] = $"00-{Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())}-{Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..8])}-01",
                    ["traceState"] = "",
                    ["attributes"] = new JsonObject(),
                },
            },
        });
        return await WaitAsync(answered, TimeSpan.FromMinutes(3), cancellationToken);
    }

    private static InvocationResult Result(JsonObject response)
    {
        var body = response["invocationResponse"]!;
        return new InvocationResult(body["result"]?["status"]?.GetValue<string>() ?? "Failure",
            body["result"]?["exception"]?["message"]?.GetValue<string>(), body["returnValue"]?.DeepClone());
    }

    private async Task<JsonObject> RequestAsync(string kind, string answerKind, JsonObject body, CancellationToken cancellationToken)
    {
        var answered = Expect(answerKind);
        Send(new JsonObject { ["requestId"] = Guid.NewGuid().ToString(), [kind] = body });
        return await WaitAsync(answered, TimeSpan.FromSeconds(60), cancellationToken);
    }

    private Task<JsonObject> Expect(string key) =>
        _waiting.GetOrAdd(key, _ => new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    private async Task<JsonObject> WaitAsync(Task<JsonObject> answer, TimeSpan limit, CancellationToken cancellationToken)
    {
        var exited = _worker is null ? Task.Delay(Timeout.Infinite, cancellationToken) : _worker.WaitForExitAsync(cancellationToken);
        var first = await Task.WhenAny(answer, exited, Task.Delay(limit, cancellationToken));
        if (first == answer)
        {
            return await answer;
        }
        throw new InvalidOperationException(
            (first == exited ? $"The worker exited ({_worker?.ExitCode})" : $"No answer within {limit}") + $":{Environment.NewLine}{Output}");
    }

    private static void EnsureSuccess(JsonNode? result, string what)
    {
        if (result?["status"]?.GetValue<string>() != "Success")
        {
            throw new InvalidOperationException($"{what} failed: {result}");
        }
    }

    private void Send(JsonObject message)
    {
        if (_outbound is null || !_outbound.Writer.TryWrite(RpcMessages.Encode(message)))
        {
            throw new InvalidOperationException("The worker's stream is not open.");
        }
    }

    internal ChannelReader<byte[]> AttachStream()
    {
        _outbound = Channel.CreateUnbounded<byte[]>();
        return _outbound.Reader;
    }

    internal void DetachStream() => _outbound?.Writer.TryComplete();

    internal void Receive(byte[] bytes)
    {
        var message = RpcMessages.Decode(bytes);
        var kind = RpcMessages.Kind(message);
        switch (kind)
        {
            case "rpcLog":
                _logs.Enqueue(message["rpcLog"]!.AsObject());
                return;
            case "functionLoadResponse":
                Complete(kind + ":" + message[kind]!["functionId"]!.GetValue<string>(), message);
                return;
            case "invocationResponse":
                Complete(kind + ":" + message[kind]!["invocationId"]!.GetValue<string>(), message);
                return;
            case "":
                return; // the empty message the worker writes after a terminate or a cancel
            default:
                Complete(kind, message);
                return;
        }
    }

    private void Complete(string key, JsonObject message) =>
        _waiting.GetOrAdd(key, _ => new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(message);

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_worker is { HasExited: false })
        {
            try
            {
                Send(new JsonObject { ["requestId"] = Guid.NewGuid().ToString(), ["workerTerminate"] = new JsonObject { ["gracePeriod"] = "5s" } });
                await _worker.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception e) when (e is TimeoutException or InvalidOperationException)
            {
                _worker.Kill(entireProcessTree: true);
                await _worker.WaitForExitAsync();
            }
        }
        _worker?.Dispose();
        _forward?.Dispose();
        if (_server is not null)
        {
            await _server.StopAsync();
            await _server.DisposeAsync();
        }
    }
}
