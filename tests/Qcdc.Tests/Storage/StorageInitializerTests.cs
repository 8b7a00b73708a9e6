using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging.Abstractions;
using Qcdc.Storage;
using Qcdc.Tests.Infrastructure;

namespace Qcdc.Tests.Storage;

/// <summary>What a start asks of storage: everything created on a fresh account, two listings on every later start.</summary>
public sealed class StorageInitializerTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AFreshAccountGetsEveryTableAndContainerAndALaterStartOnlyListsThem()
    {
        var names = new StorageNames(AzuriteFixture.UniquePrefix());

        var (first, firstRequests) = await StartAsync(names);
        var (second, secondRequests) = await StartAsync(names);

        Assert.True(first.Ready.IsCompletedSuccessfully);
        Assert.True(second.Ready.IsCompletedSuccessfully);
        var tables = new TableServiceClient(azurite.ConnectionString);
        var listed = new List<string>();
        await foreach (var table in tables.QueryAsync(TableClient.CreateQueryFilter($"TableName ge {names.Prefix} and TableName lt {names.Prefix + "~"}"), cancellationToken: Ct))
        {
            listed.Add(table.Name);
        }
        Assert.Equal(StorageNames.AllTables.Select(names.Table).Order(), listed.Order());
        var blobs = new BlobServiceClient(azurite.ConnectionString);
        foreach (var container in StorageNames.AllContainers)
        {
            Assert.True(await blobs.GetBlobContainerClient(names.Container(container)).ExistsAsync(Ct));
        }
        Assert.Equal(2 + StorageNames.AllTables.Count + StorageNames.AllContainers.Count, firstRequests.Count);
        Assert.Equal(2, secondRequests.Count);
    }

    private async Task<(StorageInitializer Initializer, RequestCounter Requests)> StartAsync(StorageNames names)
    {
        var requests = new RequestCounter();
        var tableOptions = new TableClientOptions();
        tableOptions.AddPolicy(requests, HttpPipelinePosition.PerCall);
        var blobOptions = new BlobClientOptions();
        blobOptions.AddPolicy(requests, HttpPipelinePosition.PerCall);
        var initializer = new StorageInitializer(new TableServiceClient(azurite.ConnectionString, tableOptions),
            new BlobServiceClient(azurite.ConnectionString, blobOptions), names, TimeProvider.System, NullLogger<StorageInitializer>.Instance);

        await initializer.StartAsync(Ct);
        await initializer.FirstAttempt.WaitAsync(Ct);
        await initializer.StopAsync(Ct);
        return (initializer, requests);
    }

    private sealed class RequestCounter : HttpPipelineSynchronousPolicy
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref _count);
    }
}
