using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Qcdc.Development.DevStorage;

/// <summary>How to start Azurite: on fixed ports with data in a folder, or on free ports in memory.</summary>
public sealed record AzuriteStartOptions
{
    /// <summary>The folder holding <c>package.json</c> and <c>package-lock.json</c> that pin Azurite.</summary>
    public required string RepositoryRoot { get; init; }

    /// <summary>Folder for persistent data; null keeps everything in memory.</summary>
    public string? DataPath { get; init; }

    /// <summary>Ports to bind; 0 picks a free one.</summary>
    public int BlobPort { get; init; }
    public int QueuePort { get; init; }
    public int TablePort { get; init; }

    /// <summary>PEM certificate and key: serve HTTPS (needed for bearer tokens) instead of HTTP.</summary>
    public string? CertificatePath { get; init; }
    public string? KeyPath { get; init; }

    /// <summary>Accept OAuth bearer tokens (Azurite's basic check: issuer, audience and lifetime; over HTTPS only).</summary>
    public bool OAuth { get; init; }

    /// <summary>Memory limit for in-memory blob content, in MB.</summary>
    public int InMemoryLimitMegabytes { get; init; } = 512;

    /// <summary>Told what the start is doing when it takes a while (the first install).</summary>
    public Action<string>? Progress { get; init; }

    public static AzuriteStartOptions DefaultPorts(string repositoryRoot, string dataPath) => new()
    {
        RepositoryRoot = repositoryRoot,
        DataPath = dataPath,
        BlobPort = AzuriteProcess.DefaultBlobPort,
        QueuePort = AzuriteProcess.DefaultQueuePort,
        TablePort = AzuriteProcess.DefaultTablePort,
    };
}

/// <summary>
/// An Azurite process that this process started: installed from the pinned npm lock file on first use, always
/// with telemetry off, the API-version check skipped and every service bound to 127.0.0.1. Disposing it stops
/// exactly the process (tree) it started.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    public const int DefaultBlobPort = 10000;
    public const int DefaultQueuePort = 10001;
    public const int DefaultTablePort = 10002;

    // Azurite's well-known development account; not a secret.
    public const string AccountName = "devstoreaccount1";
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process _process;
    private readonly BoundedLog _output;

    private AzuriteProcess(Process process, BoundedLog output, int blobPort, int queuePort, int tablePort)
    {
        _process = process;
        _output = output;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
    }

    public int BlobPort { get; }
    public int QueuePort { get; }
    public int TablePort { get; }
    public int ProcessId => _process.Id;

    public string ConnectionString => ConnectionStringFor(BlobPort, TablePort);

    public static string ConnectionStringFor(int blobPort, int tablePort) =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{blobPort}/{AccountName};TableEndpoint=http://127.0.0.1:{tablePort}/{AccountName};";

    public static async Task<AzuriteProcess> StartAsync(AzuriteStartOptions options, CancellationToken cancellationToken)
    {
        var script = await EnsureInstalledAsync(options.RepositoryRoot, options.Progress, cancellationToken);
        var blobPort = options.BlobPort == 0 ? FreePort() : options.BlobPort;
        var queuePort = options.QueuePort == 0 ? FreePort() : options.QueuePort;
        var tablePort = options.TablePort == 0 ? FreePort() : options.TablePort;

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = options.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in Arguments(script, blobPort, queuePort, tablePort, options))
        {
            start.ArgumentList.Add(argument);
        }

        var output = new BoundedLog(40);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => output.Add(e.Data);
        process.ErrorDataReceived += (_, e) => output.Add(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException("Azurite did not start.");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var azurite = new AzuriteProcess(process, output, blobPort, queuePort, tablePort);
        try
        {
            await azurite.WaitUntilListeningAsync(TimeSpan.FromSeconds(60), cancellationToken);
            return azurite;
        }
        catch
        {
            await azurite.DisposeAsync();
            throw;
        }
    }

    /// <summary>The command-line arguments; telemetry is always disabled and every service bound to loopback.</summary>
    public static IReadOnlyList<string> Arguments(string script, int blobPort, int queuePort, int tablePort, AzuriteStartOptions options)
    {
        var arguments = new List<string>
        {
            script,
            "--disableTelemetry",
            "--skipApiVersionCheck",
            "--silent",
            "--blobHost", "127.0.0.1", "--blobPort", blobPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--queueHost", "127.0.0.1", "--queuePort", queuePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--tableHost", "127.0.0.1", "--tablePort", tablePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (options.CertificatePath is not null && options.KeyPath is not null)
        {
            arguments.AddRange(["--cert", options.CertificatePath, "--key", options.KeyPath]);
        }
        if (options.OAuth)
        {
            arguments.AddRange(["--oauth", "basic"]);
        }
        if (options.DataPath is null)
        {
            arguments.AddRange(["--inMemoryPersistence", "--extentMemoryLimit",
                options.InMemoryLimitMegabytes.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }
        else
        {
            Directory.CreateDirectory(options.DataPath);
            arguments.AddRange(["--location", options.DataPath]);
        }
        return arguments;
    }

    /// <summary>True when something accepts connections on 127.0.0.1 at that port.</summary>
    public static bool IsListening(int port)
    {
        try
        {
            using var client = new TcpClient();
            return client.ConnectAsync(IPAddress.Loopback, port).Wait(TimeSpan.FromMilliseconds(500)) && client.Connected;
        }
        catch (AggregateException)
        {
            return false;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The nearest folder at or above <paramref name="start"/> whose package.json pins Azurite.</summary>
    public static string? FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var package = Path.Combine(dir.FullName, "package.json");
            if (File.Exists(package) && File.ReadAllText(package).Contains("\"azurite\"", StringComparison.Ordinal))
            {
                return dir.FullName;
            }
        }
        return null;
    }

    /// <summary>
    /// Stops the process this instance started: asked to stop first (SIGTERM), so that Azurite writes its data to its
    /// folder — killed outright it loses writes it had acknowledged — and killed only if it has not stopped within
    /// <paramref name="grace"/>.
    /// </summary>
    public async Task StopAsync(TimeSpan grace)
    {
        try
        {
            if (_process.HasExited)
            {
                return;
            }
            if (!OperatingSystem.IsWindows())
            {
                using var term = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false });
                await term!.WaitForExitAsync(CancellationToken.None);
                try
                {
                    await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(grace);
                    return;
                }
                catch (TimeoutException)
                {
                    // Did not stop in time: killed below.
                }
            }
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        catch (TimeoutException)
        {
            // Killed, but slow to be reaped; nothing more to do.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(_process.StartInfo.ArgumentList.Contains("--location") ? TimeSpan.FromSeconds(10) : TimeSpan.Zero);
        _process.Dispose();
    }

    private static async Task<string> EnsureInstalledAsync(string root, Action<string>? progress, CancellationToken cancellationToken)
    {
        var script = Path.Combine(root, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (File.Exists(script))
        {
            return script;
        }
        progress?.Invoke("Installing Azurite (local storage) from package-lock.json with npm ci: the first start of a fresh clone, about a minute");
        // First use on a fresh clone: install exactly what package-lock.json pins.
        var npm = new ProcessStartInfo(OperatingSystem.IsWindows() ? "npm.cmd" : "npm")
        {
            WorkingDirectory = root,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "ci", "--no-audit", "--no-fund", "--loglevel=error" })
        {
            npm.ArgumentList.Add(argument);
        }
        using var install = Process.Start(npm) ?? throw new InvalidOperationException("npm could not be started.");
        var stderr = install.StandardError.ReadToEndAsync(cancellationToken);
        _ = install.StandardOutput.ReadToEndAsync(cancellationToken);
        await install.WaitForExitAsync(cancellationToken);
        if (install.ExitCode != 0 || !File.Exists(script))
        {
            throw new InvalidOperationException($"'npm ci' in {root} failed ({install.ExitCode}): {await stderr}");
        }
        return script;
    }

    private async Task WaitUntilListeningAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited with code {_process.ExitCode}: {_output}");
            }
            if (IsListening(BlobPort) && IsListening(TablePort))
            {
                return;
            }
            await Task.Delay(100, cancellationToken);
        }
        throw new TimeoutException($"Azurite did not listen on ports {BlobPort}/{TablePort} within {limit.TotalSeconds} s: {_output}");
    }

    /// <summary>A loopback port free right now (for the servers the app, its tests and benchmarks start).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The last lines Azurite printed, for error messages.</summary>
    private sealed class BoundedLog(int capacity)
    {
        private readonly Queue<string> _lines = new();
        private readonly Lock _gate = new();

        public void Add(string? line)
        {
            if (line is null)
            {
                return;
            }
            lock (_gate)
            {
                _lines.Enqueue(line);
                while (_lines.Count > capacity)
                {
                    _lines.Dequeue();
                }
            }
        }

        public override string ToString()
        {
            lock (_gate)
            {
                return string.Join(Environment.NewLine, _lines);
            }
        }
    }
}
