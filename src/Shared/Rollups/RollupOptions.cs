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

    public IReadOnlyCollection<SubmissionStatus> Counted => CountedStatuses.Count > 0 ? CountedStatuses : DefaultCountedStatuses;

    public static IReadOnlyList<SubmissionStatus> DefaultCountedStatuses { get; } = [SubmissionStatus.Submitted, SubmissionStatus.Approved];
}
