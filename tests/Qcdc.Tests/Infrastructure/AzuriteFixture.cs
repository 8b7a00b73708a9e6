using Qcdc.Development.DevStorage;

[assembly: AssemblyFixture(typeof(Qcdc.Tests.Infrastructure.AzuriteFixture))]

namespace Qcdc.Tests.Infrastructure;

/// <summary>
/// One Azurite for the whole test run: free ports, in-memory persistence, stopped by the process id it started.
/// Test classes isolate themselves with a unique storage prefix.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteProcess? _azurite;

    public string ConnectionString => Azurite.ConnectionString;

    public AzuriteProcess Azurite => _azurite ?? throw new InvalidOperationException("Azurite has not started.");

    public static string RepositoryRoot =>
        AzuriteProcess.FindRepositoryRoot(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException("No package.json pinning Azurite above the test folder.");

    public async ValueTask InitializeAsync()
    {
        _azurite = await AzuriteProcess.StartAsync(
            new AzuriteStartOptions { RepositoryRoot = RepositoryRoot, InMemoryLimitMegabytes = 1024 },
            CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }

    /// <summary>A storage prefix no other test uses.</summary>
    public static string UniquePrefix() => "t" + Guid.NewGuid().ToString("N")[..12];
}
