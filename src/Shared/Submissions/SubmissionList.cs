using Qcdc.Periods;
using Qcdc.Units;

namespace Qcdc.Submissions;

/// <summary>A report as the reviewer's desk lists it, with the errors and warnings its checks found when last written and its open follow-ups.</summary>
public sealed record SubmissionSummary(
    string Unit, string? UnitName, SubmissionStatus Status, int Revision, DateTimeOffset UpdatedAt, DateTimeOffset? SubmittedAt, bool Late,
    int Errors, int Warnings, int OpenFollowUps);

public sealed record SubmissionPage(IReadOnlyList<SubmissionSummary> Items, string? ContinuationToken);

/// <summary>A reviewer's list: the submissions of a subtree (the hierarchy at the period's end), in unit order, paged.</summary>
public sealed class SubmissionList(SubmissionStore store, UnitStore units)
{
    public async Task<SubmissionPage> ListAsync(
        string form, Period period, string under, SubmissionStatus? status, string? afterUnit, int pageSize, CancellationToken cancellationToken)
    {
        var hierarchy = await units.GetHierarchyAsync(cancellationToken);
        var subtree = hierarchy.SubtreeAsOf(under, period.End).Select(u => u.Code).ToHashSet(StringComparer.Ordinal);
        var items = new List<SubmissionSummary>();
        await foreach (var report in store.ListAsync(form, period.Key, afterUnit, cancellationToken))
        {
            if (!subtree.Contains(report.Unit) || (status is not null && report.Status != status))
            {
                continue;
            }
            if (items.Count == pageSize)
            {
                return new SubmissionPage(items, items[^1].Unit);
            }
            items.Add(new SubmissionSummary(report.Unit, hierarchy.Find(report.Unit)?.Name, report.Status, report.Revision,
                report.UpdatedAt, report.SubmittedAt, report.Late, report.Errors, report.Warnings, report.OpenFollowUps));
        }
        return new SubmissionPage(items, null);
    }
}
