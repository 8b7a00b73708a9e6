using System.Diagnostics;
using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json.Nodes;

namespace Qcdc.WorkerHost;

/// <summary>
/// The zip infra/package.sh builds for Flex Consumption: what the platform needs to run the worker, published
/// ReadyToRun, and nothing of development. Uses the package CI built (<c>QCDC_PACKAGE</c>) or builds one.
/// </summary>
public sealed class PackageTests : IAsyncLifetime
{
    private string? _builtHere;

    private string Zip { get; set; } = "";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable(WorkerApp.PackageVariable) is { Length: > 0 } folder)
        {
            Zip = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar) + ".zip";
            return;
        }
        _builtHere = Directory.CreateTempSubdirectory("qcdc-package-").FullName;
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(WorkerApp.RepositoryRoot, "infra", "package.sh"));
        start.ArgumentList.Add(_builtHere);
        using var package = Process.Start(start)!;
        var output = package.StandardOutput.ReadToEndAsync();
        var errors = package.StandardError.ReadToEndAsync();
        await package.WaitForExitAsync();
        if (package.ExitCode != 0)
        {
            throw new InvalidOperationException($"infra/package.sh failed:{Environment.NewLine}{await output}{await errors}");
        }
        Zip = Path.Combine(_builtHere, "functionapp.zip");
    }

    [Fact]
    public async Task TheZipHoldsTheWorkerItsMetadataAndTheHostConfigurationAndNothingOfDevelopment()
    {
        using var zip = ZipFile.OpenRead(Zip);
        var names = zip.Entries.Select(e => e.FullName.Replace('\\', '/')).ToHashSet();

        foreach (var required in new[] { "functions.metadata", "worker.config.json", "extensions.json", "host.json", "Qcdc.Functions.dll", "wwwroot/index.html" })
        {
            Assert.Contains(required, names);
        }
        Assert.Contains(names, n => n.StartsWith(".azurefunctions/", StringComparison.Ordinal));
        Assert.DoesNotContain("appsettings.Development.json", names);
        Assert.DoesNotContain("Qcdc.Development.dll", names);
        // The app's own symbols stay behind; .azurefunctions/ is the Functions Sdk's extension payload, as it builds it.
        Assert.DoesNotContain(names, n => n.StartsWith("seeds/", StringComparison.Ordinal)
            || (n.EndsWith(".pdb", StringComparison.Ordinal) && !n.StartsWith(".azurefunctions/", StringComparison.Ordinal)));
        var host = JsonNode.Parse(await ReadAsync(zip, "host.json"))!;
        Assert.Equal("2.0", host["version"]!.GetValue<string>());
        Assert.Null(host["customHandler"]);
        var worker = JsonNode.Parse(await ReadAsync(zip, "worker.config.json"))!["description"]!;
        Assert.Equal("Qcdc.Functions.dll", worker["defaultWorkerPath"]!.GetValue<string>());
    }

    [Fact]
    public async Task TheAppIsPublishedReadyToRun()
    {
        using var pe = await WorkerAsync();

        Assert.True(pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0, "Qcdc.Functions.dll carries no ReadyToRun code");
    }

    [Fact]
    public async Task TheWorkerNeitherCarriesNorReferencesTheDevelopmentHosting()
    {
        using var pe = await WorkerAsync();
        var metadata = pe.GetMetadataReader();

        var references = metadata.AssemblyReferences.Select(r => metadata.GetString(metadata.GetAssemblyReference(r).Name)).ToList();
        var types = metadata.TypeDefinitions.Select(t => metadata.GetString(metadata.GetTypeDefinition(t).Name)).ToList();
        Assert.Contains("Qcdc.Shared", references);
        Assert.DoesNotContain("Qcdc.Development", references);
        Assert.Contains("ApplicationServiceExtensions", types);
        Assert.DoesNotContain(types, t => t is "AzuriteProcess" or "DemoSeeder" or "DemoHistory" or "StartupBanner");
    }

    /// <summary>The packaged worker, Qcdc.Functions.dll, read from the zip.</summary>
    private async Task<PEReader> WorkerAsync()
    {
        using var zip = ZipFile.OpenRead(Zip);
        var dll = new MemoryStream();
        await using (var entry = zip.GetEntry("Qcdc.Functions.dll")!.Open())
        {
            await entry.CopyToAsync(dll, Ct);
        }
        dll.Position = 0;
        return new PEReader(dll);
    }

    private static async Task<string> ReadAsync(ZipArchive zip, string name)
    {
        using var reader = new StreamReader(zip.GetEntry(name)!.Open());
        return await reader.ReadToEndAsync(Ct);
    }

    public ValueTask DisposeAsync()
    {
        if (_builtHere is not null && Directory.Exists(_builtHere))
        {
            Directory.Delete(_builtHere, recursive: true);
        }
        return ValueTask.CompletedTask;
    }
}
