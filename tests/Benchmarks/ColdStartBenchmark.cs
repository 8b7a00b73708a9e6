using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Qcdc.Functions.DevStorage;

namespace Qcdc.Benchmarks;

/// <summary>
/// Starts the published executable (self-contained, ReadyToRun, as infra/package.sh builds it) N times and measures
/// the time from process start to the first 200 from /api/health, with storage reachable (DESIGN.md §7: ≤ 300 ms).
/// </summary>
public static class ColdStartBenchmark
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var runs = Stats.Option(args, "--runs", 10);
        var root = AzuriteProcess.FindRepositoryRoot(AppContext.BaseDirectory) ?? throw new InvalidOperationException("Run from the repository.");
        var package = Path.Combine(Path.GetTempPath(), "qcdc-coldstart-" + Guid.NewGuid().ToString("N")[..8]);
        Console.WriteLine("Packaging the function app (infra/package.sh)…");
        await RunToEndAsync("bash", [Path.Combine(root, "infra", "package.sh"), package], cancellationToken);
        var executable = Path.Combine(package, "functionapp", "Qcdc.Functions");

        await using var azurite = await AzuriteProcess.StartAsync(new AzuriteStartOptions { RepositoryRoot = root }, cancellationToken);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var times = new List<double>();
        for (var run = 0; run <= runs; run++)
        {
            var port = FreePort();
            var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(executable)! };
            start.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(CultureInfo.InvariantCulture);
            start.Environment["Storage__ConnectionString"] = azurite.ConnectionString;
            start.Environment["Security__KeyHashSecret"] = "coldstart-benchmark-secret-0123456789abcdef";
            start.Environment["Logging__LogLevel__Default"] = "Warning";
            var clock = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            while (true)
            {
                try
                {
                    using var response = await http.GetAsync($"http://127.0.0.1:{port}/api/health", cancellationToken);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                }
                if (clock.Elapsed > TimeSpan.FromSeconds(30) || process.HasExited)
                {
                    throw new InvalidOperationException("The app did not answer /api/health with 200.");
                }
                await Task.Delay(2, cancellationToken);
            }
            var elapsed = clock.Elapsed.TotalMilliseconds;
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(cancellationToken);
            if (run > 0)
            {
                // The first start warms the machine's file cache; it is not counted.
                times.Add(elapsed);
                Console.WriteLine($"start {run,2}: {elapsed,7:F0} ms");
            }
        }
        Directory.Delete(package, recursive: true);
        times.Sort();
        var median = times.Count % 2 == 1 ? times[times.Count / 2] : (times[times.Count / 2 - 1] + times[times.Count / 2]) / 2;
        Console.WriteLine($"median {median:F0} ms (target ≤ 300 ms), min {times[0]:F0} ms, max {times[^1]:F0} ms");
        Console.WriteLine(JsonSerializer.Serialize(new { benchmark = "coldstart", runs, medianMs = Math.Round(median, 1), minMs = Math.Round(times[0], 1), maxMs = Math.Round(times[^1], 1) }));
        return 0;
    }

    private static async Task RunToEndAsync(string file, string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        _ = process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed: {await stderr}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
