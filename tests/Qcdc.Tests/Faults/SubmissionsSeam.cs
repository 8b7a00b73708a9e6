using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Moq;
using Qcdc.Storage;
using Qcdc.Submissions;

namespace Qcdc.Tests.Faults;

/// <summary>
/// The submissions store over a table client that passes every call the store makes straight to Azurite, so that a
/// test can make exactly one of them fail on demand (a real storage cannot commit and then time out when asked).
/// </summary>
internal static class SubmissionsSeam
{
    /// <param name="fail">Replaces the forwarding of the call that must fail; it is given the seam and the real table.</param>
    public static IServiceCollection WithSubmissionsSeam(this IServiceCollection services, Action<Mock<TableClient>, TableClient> fail) =>
        services.Replace(ServiceDescriptor.Singleton(sp =>
        {
            var names = sp.GetRequiredService<StorageNames>();
            var table = sp.GetRequiredService<TableServiceClient>().GetTableClient(names.Table(StorageNames.SubmissionsTable));
            var seam = new Mock<TableClient>();
            seam.Setup(t => t.GetEntityIfExistsAsync<TableEntity>(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<IEnumerable<string>>(), It.IsAny<CancellationToken>()))
                .Returns((string pk, string rk, IEnumerable<string> select, CancellationToken ct) => table.GetEntityIfExistsAsync<TableEntity>(pk, rk, select, ct));
            seam.Setup(t => t.QueryAsync<TableEntity>(It.IsAny<string>(), It.IsAny<int?>(), It.IsAny<IEnumerable<string>>(), It.IsAny<CancellationToken>()))
                .Returns((string filter, int? page, IEnumerable<string> select, CancellationToken ct) => table.QueryAsync<TableEntity>(filter, page, select, ct));
            seam.Setup(t => t.SubmitTransactionAsync(It.IsAny<IEnumerable<TableTransactionAction>>(), It.IsAny<CancellationToken>()))
                .Returns((IEnumerable<TableTransactionAction> actions, CancellationToken ct) => table.SubmitTransactionAsync(actions, ct));
            seam.Setup(t => t.DeleteEntityAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<ETag>(), It.IsAny<CancellationToken>()))
                .Returns((string pk, string rk, ETag etag, CancellationToken ct) => table.DeleteEntityAsync(pk, rk, etag, ct));
            fail(seam, table);
            var tables = new Mock<TableServiceClient>();
            tables.Setup(t => t.GetTableClient(It.IsAny<string>())).Returns(seam.Object);
            return new SubmissionStore(tables.Object, names);
        }));

    /// <summary>The seam where the rollup's scan of the reports meets a storage that is throttling while <paramref name="failing"/> says so.</summary>
    public static IServiceCollection WithThrottledReportScan(this IServiceCollection services, Func<bool> failing) =>
        services.WithSubmissionsSeam((seam, table) =>
            seam.Setup(t => t.QueryAsync<TableEntity>(It.IsAny<string>(), It.IsAny<int?>(), It.IsAny<IEnumerable<string>>(), It.IsAny<CancellationToken>()))
                .Returns((string filter, int? page, IEnumerable<string> select, CancellationToken ct) => failing()
                    ? throw new RequestFailedException(503, "The server is busy.", "ServerBusy", null)
                    : table.QueryAsync<TableEntity>(filter, page, select, ct)));
}
