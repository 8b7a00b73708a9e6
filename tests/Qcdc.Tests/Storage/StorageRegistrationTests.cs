using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Qcdc.Storage;

namespace Qcdc.Tests.Storage;

public sealed class StorageRegistrationTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings, TokenCredential? credential = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        if (credential is not null)
        {
            services.AddSingleton(credential);
        }
        services.AddQcdcStorage();
        return services.BuildServiceProvider();
    }

    [Fact]
    public void AccountUrisUseTheRegisteredCredentialAndNeverAskForAToken()
    {
        var credential = new RecordingCredential();
        using var provider = Build(new()
        {
            ["Storage:TableServiceUri"] = "https://qcdcprovince.table.core.windows.net",
            ["Storage:BlobServiceUri"] = "https://qcdcprovince.blob.core.windows.net",
        }, credential);

        var tables = provider.GetRequiredService<TableServiceClient>();
        var blobs = provider.GetRequiredService<BlobServiceClient>();

        Assert.Equal("qcdcprovince", tables.AccountName);
        Assert.Equal("qcdcprovince", blobs.AccountName);
        Assert.Same(credential, provider.GetRequiredService<TokenCredential>());
        Assert.Equal(0, credential.Requests);
    }

    [Fact]
    public void OneClientOfEachKindServesTheWholeProcess()
    {
        using var provider = Build(new() { ["Storage:ConnectionString"] = Qcdc.Development.DevStorage.AzuriteProcess.ConnectionStringFor(10000, 10002) });
        Assert.Same(provider.GetRequiredService<TableServiceClient>(), provider.GetRequiredService<TableServiceClient>());
        Assert.Same(provider.GetRequiredService<BlobServiceClient>(), provider.GetRequiredService<BlobServiceClient>());
    }

    [Fact]
    public void MissingStorageSettingsAreNamed()
    {
        using var provider = Build(new());
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<StorageOptions>>().Value);
        Assert.Contains("Storage:ConnectionString", error.Message);
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("t1a2b3", true)]
    [InlineData("1abc", false)]
    [InlineData("a-b", false)]
    [InlineData("abcdefghijklmnopqrstu", false)]
    public void PrefixesAreValidTableAndContainerNameStarts(string prefix, bool valid) =>
        Assert.Equal(valid, StorageNames.IsValidPrefix(prefix));

    [Fact]
    public void ContainerNamesAreLowerCase() => Assert.Equal("tabcjobs", new StorageNames("tAbC").Container(StorageNames.JobsContainer));

    private sealed class RecordingCredential : TokenCredential
    {
        public int Requests { get; private set; }

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Requests++;
            return new AccessToken("fake", DateTimeOffset.MaxValue);
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
