using System.Text.Json.Nodes;
using Qcdc.Periods;

namespace Qcdc.Submissions;

/// <summary>
/// Where a unit's earlier quarters come from for its outlier tests: the values of its counted (sent or approved)
/// reports, newest first. Owned by the checks of a report, implemented by the rollups, whose snapshots of past quarters
/// hold every unit's own figures — so a write reads nothing more than it did before it had outlier tests.
/// </summary>
public interface IReportHistory
{
    Task<IReadOnlyList<JsonObject>> EarlierAsync(string form, Period quarter, string unit, int quarters, CancellationToken cancellationToken);
}
