using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Qcdc.Tests.Infrastructure;

namespace Qcdc.Tests.Units;

/// <summary>The in-memory unit cache: a change by this instance shows at once, one by another instance within 30 s.</summary>
public sealed class UnitCacheTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnotherInstancesImportIsSeenOnceTheCacheRechecks()
    {
        var prefix = AzuriteFixture.UniquePrefix();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var writer = new QcdcAppFactory(azurite).With("Storage:Prefix", prefix);
        await using var reader = new QcdcAppFactory(azurite).With("Storage:Prefix", prefix)
            .WithServices(s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)));
        var client = reader.CreateClient();
        Assert.Equal(0, (await (await client.GetAsync("/api/units", Ct)).ReadJsonAsync()).GetProperty("units").GetArrayLength());

        await writer.CreateAdminClient().PostAsync("/api/manage/units",
            HttpJson.Body("""{"units":[{"code":"P","name":"Tỉnh","kind":"province","validFrom":"2008-01-01"}]}"""), Ct);
        // The writer sees its own import at once.
        Assert.Equal(1, (await (await writer.CreateClient().GetAsync("/api/units", Ct)).ReadJsonAsync()).GetProperty("units").GetArrayLength());
        var stale = (await (await client.GetAsync("/api/units", Ct)).ReadJsonAsync()).GetProperty("units").GetArrayLength();
        clock.Advance(TimeSpan.FromSeconds(31));
        var fresh = (await (await client.GetAsync("/api/units", Ct)).ReadJsonAsync()).GetProperty("units").GetArrayLength();

        Assert.Equal(0, stale);
        Assert.Equal(1, fresh);
    }
}
