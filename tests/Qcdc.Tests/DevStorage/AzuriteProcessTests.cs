using Azure.Data.Tables;
using Qcdc.Development.DevStorage;
using Qcdc.Tests.Infrastructure;

namespace Qcdc.Tests.DevStorage;

public sealed class AzuriteProcessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(null)]
    [InlineData("/data/azurite")]
    public void AzuriteIsAlwaysStartedWithoutTelemetryOnLoopback(string? dataPath)
    {
        var arguments = AzuriteProcess.Arguments("azurite.js", 1, 2, 3,
            new AzuriteStartOptions { RepositoryRoot = Path.GetTempPath(), DataPath = dataPath is null ? null : Path.Combine(Path.GetTempPath(), "qcdc-azurite-args") });

        Assert.Contains("--disableTelemetry", arguments);
        Assert.Contains("--skipApiVersionCheck", arguments);
        foreach (var host in new[] { "--blobHost", "--queueHost", "--tableHost" })
        {
            Assert.Equal("127.0.0.1", arguments[arguments.ToList().IndexOf(host) + 1]);
        }
        Assert.Equal(dataPath is null, arguments.Contains("--inMemoryPersistence"));
        Assert.Equal(dataPath is not null, arguments.Contains("--location"));
    }

    [Fact]
    public async Task AStartedAzuriteServesTablesAndStopsByItsProcessId()
    {
        var azurite = await AzuriteProcess.StartAsync(new AzuriteStartOptions { RepositoryRoot = AzuriteFixture.RepositoryRoot }, Ct);
        var tables = new TableServiceClient(azurite.ConnectionString);
        await tables.CreateTableIfNotExistsAsync("probe", Ct);
        var pid = azurite.ProcessId;

        await azurite.DisposeAsync();

        Assert.False(ProcessAlive(pid));
        Assert.False(AzuriteProcess.IsListening(azurite.TablePort));
    }

    [Fact]
    public void TheRepositoryRootIsFoundFromBelow() =>
        Assert.True(File.Exists(Path.Combine(AzuriteProcess.FindRepositoryRoot(AppContext.BaseDirectory)!, "package-lock.json")));

    private static bool ProcessAlive(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
