using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json.Nodes;

namespace Qcdc.AotSmoke;

/// <summary>
/// The deployable zip infra/package.sh wrote next to the package folder: host.json, the executable marked executable,
/// and exactly the function folders the app itself describes (its JIT build writing the same folder), with nothing
/// from development.
/// </summary>
public sealed class PackageTests(AotApp app) : IDisposable
{
    private readonly string _described = Directory.CreateTempSubdirectory("qcdc-described-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_described, recursive: true);

    [Fact]
    public async Task TheZipHoldsHostJsonTheExecutableAndOneFolderPerFunctionTheAppDescribes()
    {
        await DescribeAsync();
        using var zip = ZipFile.OpenRead(Path.Combine(Path.GetDirectoryName(app.Package)!, "functionapp.zip"));
        var entries = zip.Entries.ToDictionary(e => e.FullName.Replace('\\', '/'));

        var host = JsonNode.Parse(await ReadAsync(entries["host.json"]))!;
        var executable = host["customHandler"]!["description"]!["defaultExecutablePath"]!.GetValue<string>();
        Assert.Equal("Qcdc.Functions", executable);
        Assert.True((entries[executable].ExternalAttributes >> 16 & 0b001_000_000) != 0, "the executable is not marked executable");
        var folders = entries.Keys.Where(k => k.EndsWith("/function.json", StringComparison.Ordinal)).Select(k => k[..k.IndexOf('/')]).Order().ToList();
        var described = Directory.GetDirectories(_described).Where(d => File.Exists(Path.Combine(d, "function.json"))).Select(d => Path.GetFileName(d)!).Order().ToList();
        Assert.Equal(described, folders);
        foreach (var folder in folders)
        {
            Assert.Equal(await File.ReadAllTextAsync(Path.Combine(_described, folder, "function.json"), Ct), await ReadAsync(entries[$"{folder}/function.json"]));
        }
        Assert.DoesNotContain("Qcdc.Functions.dll", entries.Keys);
        Assert.DoesNotContain("appsettings.Development.json", entries.Keys);
        Assert.DoesNotContain(entries.Keys, k => k.EndsWith(".pdb", StringComparison.Ordinal) || k.EndsWith(".dbg", StringComparison.Ordinal));
        foreach (var entry in entries.Values.Where(e => e.FullName.EndsWith(".json", StringComparison.Ordinal)))
        {
            var text = await ReadAsync(entry);
            Assert.DoesNotContain("qcdc_demo", text, StringComparison.Ordinal);
            Assert.DoesNotContain("development-only", text, StringComparison.Ordinal);
        }
    }

    /// <summary>The function folders as the app's JIT build writes them (the same step the publish runs).</summary>
    private async Task DescribeAsync()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "Qcdc.Functions.dll"), "--emit-function-app", _described, "--environment", "Production" })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        Assert.True(process.ExitCode == 0, await stdout + await stderr);
    }

    private static async Task<string> ReadAsync(ZipArchiveEntry entry)
    {
        using var reader = new StreamReader(entry.Open());
        return await reader.ReadToEndAsync(Ct);
    }
}
