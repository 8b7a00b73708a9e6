using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Qcdc.Functions.Hosting;
using Qcdc.Jobs;
using Qcdc.Tests.Infrastructure;

namespace Qcdc.Tests.Hosting;

/// <summary>The deployable zip that infra/package.sh builds matches the app's function metadata.</summary>
public sealed class PackageTests(AzuriteFixture azurite) : IDisposable
{
    private readonly string _output = Directory.CreateTempSubdirectory("qcdc-package-").FullName;

    public void Dispose() => Directory.Delete(_output, recursive: true);

    [Fact]
    public async Task ThePackageHoldsHostJsonTheProgramAndOneFolderPerFunction()
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AzuriteFixture.RepositoryRoot, "infra", "package.sh"));
        start.ArgumentList.Add(_output);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0, await stdout + await stderr);

        await using var app = new QcdcAppFactory(azurite) { Environment = "Production" };
        var metadata = FunctionAppMetadata.From(app.Services.GetRequiredService<EndpointDataSource>(), app.Services.GetServices<JobRegistration>());
        using var zip = ZipFile.OpenRead(Path.Combine(_output, "functionapp.zip"));
        var entries = zip.Entries.ToDictionary(e => e.FullName.Replace('\\', '/'));

        Assert.Contains("host.json", entries.Keys);
        var host = JsonNode.Parse(await new StreamReader(entries["host.json"].Open()).ReadToEndAsync(TestContext.Current.CancellationToken))!;
        var executable = host["customHandler"]!["description"]!["defaultExecutablePath"]!.GetValue<string>();
        Assert.Contains(executable, entries.Keys);
        Assert.True((entries[executable].ExternalAttributes >> 16 & 0b001_000_000) != 0, "the executable is not marked executable");
        var folders = entries.Keys.Where(k => k.EndsWith("/function.json", StringComparison.Ordinal)).Select(k => k[..k.IndexOf('/')]).Order().ToList();
        Assert.Equal(metadata.Names.Order(), folders);
        foreach (var function in metadata.HttpFunctions)
        {
            var json = JsonNode.Parse(await new StreamReader(entries[$"{function.Name}/function.json"].Open()).ReadToEndAsync(TestContext.Current.CancellationToken))!;
            Assert.Equal(function.Route, json["bindings"]![0]!["route"]!.GetValue<string>());
        }
        Assert.Contains("Qcdc.Functions.dll", entries.Keys);
        Assert.DoesNotContain("appsettings.Development.json", entries.Keys);
        foreach (var entry in entries.Values.Where(e => e.FullName.EndsWith(".json", StringComparison.Ordinal)))
        {
            var text = await new StreamReader(entry.Open()).ReadToEndAsync(TestContext.Current.CancellationToken);
            Assert.DoesNotContain("qcdc_demo", text, StringComparison.Ordinal);
            Assert.DoesNotContain("development-only", text, StringComparison.Ordinal);
        }
    }
}
