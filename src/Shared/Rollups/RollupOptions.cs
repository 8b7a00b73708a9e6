using Qcdc.Submissions;

namespace Qcdc.Rollups;

/// <summary>Bound from the <c>Rollups</c> configuration section.</summary>
public sealed class RollupOptions
{
    public const string Section = "Rollups";

    /// <summary>
    /// Which report statuses count in totals and completeness. Default: submitted and approved (a province that
    /// wants only reviewed figures sets <c>["approved"]</c>).
    /// </summary>
    public List<SubmissionStatus> CountedStatuses { get; set; } = [];

    /// <summary>
    /// How long a read waits for a stale rollup to be recomputed before it answers the previous snapshot marked
    /// stale (the recomputation goes on). Default 5 s.
    /// </summary>
    public TimeSpan FreshWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Which quarterly form a five-year form is reconciled with (its indicators of the same code and type compared with
    /// the quarterly reports aggregated over the window). Default: QCDC-5Y with QCDC-Q.
    /// </summary>
    public Dictionary<string, string> ReconcileWith { get; set; } = new(StringComparer.Ordinal) { ["QCDC-5Y"] = "QCDC-Q" };

    /// <summary>A reported figure further than this from the computed one, in percent of the computed one, is listed. Default 10.</summary>
    public decimal ReconcileThresholdPercent { get; set; } = 10m;

    public IReadOnlyCollection<SubmissionStatus> Counted => CountedStatuses.Count > 0 ? CountedStatuses : DefaultCountedStatuses;

    public static IReadOnlyList<SubmissionStatus> DefaultCountedStatuses { get; } = [SubmissionStatus.Submitted, SubmissionStatus.Approved];
}
