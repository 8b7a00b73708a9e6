using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Qcdc.Development.DevStorage;

namespace Qcdc.Benchmarks;

/// <summary>
/// The function app's package (infra/package.sh: ReadyToRun, linux-x64, or the one <c>--package DIR</c> names) started
/// standalone with Production settings against a minimal ASP.NET Core app published the same way, alternately N times
/// each: the time from process start to the first 200 on <c>/api/health</c> (the app's health reaches storage, a
/// running Azurite), and the resident memory right after it (DESIGN.md §7: app ≤ 2 × the minimal app). Then the same
/// package as an isolated worker under the fake Functions host: process start to every function loaded, and the
/// worker's memory after its first request.
/// </summary>
public static class ColdStartBenchmark
{
    private const string MinimalProject = """
        <Project Sdk="Microsoft.NET.Sdk.Web">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
            <PublishReadyToRun>true</PublishReadyToRun>
            <SelfContained>false</SelfContained>
          </PropertyGroup>
        </Project>
        """;

    private const string MinimalProgram = """
        var builder = WebApplication.CreateSlimBuilder(args);
        var app = builder.Build();
        app.MapGet("/api/health", () => "ok");
        app.Run();
        """;

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var runs = Math.Max(Stats.Option(args, "--runs", 10), 10);
        var root = AzuriteProcess.FindRepositoryRoot(AppContext.BaseDirectory) ?? throw new InvalidOperationException("Run from the repository.");
        var work = Path.Combine(Path.GetTempPath(), "qcdc-coldstart-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(work);
        try
        {
            var given = Array.IndexOf(args, "--package") is var at and >= 0 && at + 1 < args.Length ? Path.GetFullPath(args[at + 1]) : null;
            string package;
            if (given is not null)
            {
                package = given;
                Console.WriteLine($"Reusing the package in {package}");
            }
            else
            {
                Console.WriteLine("Packaging the function app ReadyToRun for linux-x64 (infra/package.sh)…");
                await RunToEndAsync("bash", [Path.Combine(root, "infra", "package.sh"), work], null, cancellationToken);
                package = Path.Combine(work, "functionapp");
            }
            var app = Path.Combine(package, "Qcdc.Functions.dll");
            Console.WriteLine($"package: {Megabytes(DirectorySize(package)):F1} MB in {Directory.GetFiles(package, "*", SearchOption.AllDirectories).Length} files"
                + (File.Exists(Path.Combine(work, "functionapp.zip")) ? $", zip {Megabytes(new FileInfo(Path.Combine(work, "functionapp.zip")).Length):F1} MB" : ""));

            Console.WriteLine("Publishing a minimal ASP.NET Core app the same way (ReadyToRun, linux-x64)…");
            var minimalSource = Path.Combine(work, "minimal");
            Directory.CreateDirectory(minimalSource);
            await File.WriteAllTextAsync(Path.Combine(minimalSource, "Minimal.csproj"), MinimalProject, cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(minimalSource, "Program.cs"), MinimalProgram, cancellationToken);
            var minimalOut = Path.Combine(work, "minimal-app");
            await RunToEndAsync("dotnet", ["publish", minimalSource, "-c", "Release", "-r", "linux-x64", "-o", minimalOut, "--nologo", "-v", "quiet"], minimalSource, cancellationToken);
            var floor = Path.Combine(minimalOut, "Minimal.dll");

            await using var azurite = await AzuriteProcess.StartAsync(new AzuriteStartOptions { RepositoryRoot = root }, cancellationToken);
            var appEnvironment = new Dictionary<string, string>
            {
                ["DOTNET_ENVIRONMENT"] = "Production",
                ["Storage__ConnectionString"] = azurite.ConnectionString,
                ["Security__KeyHashSecret"] = "coldstart-benchmark-secret-0123456789abcdef",
                ["Logging__LogLevel__Default"] = "Warning",
            };
            var appTimes = new List<double>();
            var floorTimes = new List<double>();
            var appRss = new List<double>();
            var floorRss = new List<double>();
            Console.WriteLine($"{runs} starts of each, alternating (one unmeasured start of each first)…");
            for (var run = 0; run <= runs; run++)
            {
                var (appMs, appRssMb) = await StartOnceAsync(app, appEnvironment, cancellationToken);
                var (floorMs, floorRssMb) = await StartOnceAsync(floor, [], cancellationToken);
                if (run == 0)
                {
                    // The first starts warm the machine's file cache; they are not counted.
                    continue;
                }
                appTimes.Add(appMs);
                floorTimes.Add(floorMs);
                appRss.Add(appRssMb);
                floorRss.Add(floorRssMb);
                Console.WriteLine($"start {run,2}: app {appMs,6:F1} ms ({appRssMb:F1} MB)   minimal {floorMs,6:F1} ms ({floorRssMb:F1} MB)");
            }
            var appMedian = Stats.Median(appTimes);
            var floorMedian = Stats.Median(floorTimes);
            var ratio = appMedian / floorMedian;
            Console.WriteLine($"app median {appMedian:F1} ms (min {appTimes.Min():F1}, max {appTimes.Max():F1}); minimal app median {floorMedian:F1} ms "
                + $"(min {floorTimes.Min():F1}, max {floorTimes.Max():F1}); ratio {ratio:F2} (target ≤ 2)");
            Console.WriteLine($"resident memory after the first 200: app {Stats.Median(appRss):F1} MB, minimal app {Stats.Median(floorRss):F1} MB");

            var workerRuns = Math.Max(runs / 2, 5);
            Console.WriteLine($"{workerRuns} starts of the same package as an isolated worker under the fake Functions host…");
            var workerTimes = new List<double>();
            var workerRss = new List<double>();
            for (var run = 0; run <= workerRuns; run++)
            {
                var (loadedMs, rssMb) = await StartWorkerOnceAsync(package, root, azurite.ConnectionString, cancellationToken);
                if (run == 0)
                {
                    continue;
                }
                workerTimes.Add(loadedMs);
                workerRss.Add(rssMb);
                Console.WriteLine($"worker {run,2}: functions loaded after {loadedMs,6:F1} ms ({rssMb:F1} MB after its first request)");
            }
            Console.WriteLine($"worker median {Stats.Median(workerTimes):F1} ms to every function loaded, {Stats.Median(workerRss):F1} MB after the first request");
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                benchmark = "coldstart",
                runs,
                appMs = Math.Round(appMedian, 1),
                floorMs = Math.Round(floorMedian, 1),
                ratio = Math.Round(ratio, 2),
                rssMb = Math.Round(Stats.Median(appRss), 1),
                floorRssMb = Math.Round(Stats.Median(floorRss), 1),
                packageMb = Math.Round(Megabytes(DirectorySize(package)), 1),
                workerLoadedMs = Math.Round(Stats.Median(workerTimes), 1),
                workerRssMb = Math.Round(Stats.Median(workerRss), 1),
            }));
            return ratio <= 2 ? 0 : 1;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The package under the fake Functions host: process start to every function loaded, and the worker's RSS after one request.</summary>
    private static async Task<(double LoadedMs, double RssMb)> StartWorkerOnceAsync(string package, string root, string storage, CancellationToken cancellationToken)
    {
        await using var host = new Qcdc.FakeHost.FakeFunctionsHost();
        await host.StartAsync(package, new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["Storage__ConnectionString"] = storage,
            ["Security__KeyHashSecret"] = "coldstart-benchmark-secret-0123456789abcdef",
            ["Logging__LogLevel__Default"] = "Warning",
        }, cancellationToken);
        var (health, _) = await host.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/health"), cancellationToken);
        if (health.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"The worker answered /api/health with {(int)health.StatusCode}: {host.Output}");
        }
        return (host.StartToLoaded.TotalMilliseconds, ResidentMegabytes(host.WorkerProcessId));
    }

    /// <summary>Starts the app (a framework-dependent dll) on a free port, times it to the first 200 on /api/health, reads its RSS, stops it.</summary>
    private static async Task<(double Ms, double RssMb)> StartOnceAsync(string assembly, Dictionary<string, string> environment, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var port = AzuriteProcess.FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(assembly)! };
        start.ArgumentList.Add(assembly);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        var url = new Uri($"http://127.0.0.1:{port}/api/health");
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            while (true)
            {
                try
                {
                    using var response = await http.GetAsync(url, cancellationToken);
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
                    throw new InvalidOperationException($"{Path.GetFileName(assembly)} did not answer /api/health with 200.");
                }
                await Task.Delay(1, cancellationToken);
            }
            var elapsed = clock.Elapsed.TotalMilliseconds;
            return (elapsed, ResidentMegabytes(process.Id));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(cancellationToken);
        }
    }

    /// <summary>VmRSS of the process, from /proc.</summary>
    private static double ResidentMegabytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    private static long DirectorySize(string folder) => Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);

    private static double Megabytes(long bytes) => bytes / 1024.0 / 1024.0;

    private static async Task RunToEndAsync(string file, string[] arguments, string? workingDirectory, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed: {await stdout}{await stderr}");
        }
    }

}
