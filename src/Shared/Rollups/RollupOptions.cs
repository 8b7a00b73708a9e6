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

    public IReadOnlyCollection<SubmissionStatus> Counted => CountedStatuses.Count > 0 ? CountedStatuses : RollupCalculator.DefaultCountedStatuses;
}
