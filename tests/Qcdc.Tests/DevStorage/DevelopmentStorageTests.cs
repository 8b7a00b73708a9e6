using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Qcdc.Development.DevStorage;
using Qcdc.Storage;
using Qcdc.Tests.Infrastructure;

namespace Qcdc.Tests.DevStorage;

/// <summary>The storage of <c>dotnet run</c> is this checkout's own: never another program's that happens to hold the ports.</summary>
public sealed class DevelopmentStorageTests(AzuriteFixture azurite) : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly string _data = Directory.CreateTempSubdirectory("qcdc-devstorage-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private QcdcAppFactory DevelopmentApp(int blobPort, int tablePort) => new QcdcAppFactory(azurite)
        .With("Storage:ConnectionString", "UseDevelopmentStorage=true")
        .With("Storage:StartAzurite", "true")
        .With("Storage:AzuriteDataPath", _data)
        .With("Storage:AzuriteBlobPort", blobPort.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .With("Storage:AzuriteTablePort", tablePort.ToString(System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public async Task WhenAnotherProgramHoldsThePortsTheAppStartsItsOwnAzuriteOnFreePorts()
    {
        using var blob = Listen();
        using var table = Listen();
        var (blobPort, tablePort) = (Port(blob), Port(table));

        var app = DevelopmentApp(blobPort, tablePort);
        var health = await app.CreateClient().GetAsync("/api/health", Ct);
        var connection = app.Services.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionString!;
        var startedTablePort = int.Parse(System.Text.RegularExpressions.Regex.Match(connection, @"TableEndpoint=http://127\.0\.0\.1:(\d+)/").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        await app.DisposeAsync();

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.DoesNotContain($":{blobPort}/", connection, StringComparison.Ordinal);
        Assert.DoesNotContain($":{tablePort}/", connection, StringComparison.Ordinal);
        Assert.True(Directory.EnumerateFileSystemEntries(_data).Any(), "the app's Azurite keeps its data in this checkout's folder");
        Assert.False(AzuriteProcess.IsListening(startedTablePort), "the Azurite the app started stops with it");
    }

    [Fact]
    public async Task ThisCheckoutsOwnAzuriteOnThePortsIsUsedAndLeftRunning()
    {
        await using var own = await AzuriteProcess.StartAsync(new AzuriteStartOptions { RepositoryRoot = AzuriteFixture.RepositoryRoot, DataPath = _data }, Ct);

        await using (var app = DevelopmentApp(own.BlobPort, own.TablePort))
        {
            Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetAsync("/api/health", Ct)).StatusCode);
            Assert.Equal(own.ConnectionString, app.Services.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionString);
        }

        Assert.True(AzuriteProcess.IsListening(own.TablePort), "the app stops only an Azurite it started");
    }

    [Fact]
    public async Task AnAzuriteOfAnotherDataFolderIsNotShared()
    {
        var other = Directory.CreateTempSubdirectory("qcdc-other-checkout-").FullName;
        try
        {
            await using var foreign = await AzuriteProcess.StartAsync(new AzuriteStartOptions { RepositoryRoot = AzuriteFixture.RepositoryRoot, DataPath = other }, Ct);
            await using var app = DevelopmentApp(foreign.BlobPort, foreign.TablePort);

            Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetAsync("/api/health", Ct)).StatusCode);
            Assert.NotEqual(foreign.ConnectionString, app.Services.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionString);
        }
        finally
        {
            Directory.Delete(other, recursive: true);
        }
    }

    private static TcpListener Listen()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }

    private static int Port(TcpListener listener) => ((IPEndPoint)listener.LocalEndpoint).Port;
}
