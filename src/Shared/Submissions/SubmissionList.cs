using Qcdc.Periods;
using Qcdc.Units;

namespace Qcdc.Submissions;

public sealed record SubmissionSummary(
    string Unit, string? UnitName, SubmissionStatus Status, int Revision, DateTimeOffset UpdatedAt, DateTimeOffset? SubmittedAt, bool Late);

public sealed record SubmissionPage(IReadOnlyList<SubmissionSummary> Items, string? ContinuationToken);

/// <summary>A reviewer's list: the submissions of a subtree (the hierarchy at the period's end), in unit order, paged.</summary>
public sealed class SubmissionList(SubmissionStore store, UnitStore units)
{
    public async Task<SubmissionPage> ListAsync(
        string form, Period period, string under, SubmissionStatus? status, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var hierarchy = await units.GetHierarchyAsync(cancellationToken);
        var subtree = hierarchy.SubtreeAsOf(under, period.End).Select(u => u.Code).ToHashSet(StringComparer.Ordinal);
        var items = new List<SubmissionSummary>();
        await foreach (var page in store.ScanCurrentAsync($"{form}|{period.Key}", continuationToken, 1000, cancellationToken))
        {
            foreach (var entity in page.Values)
            {
                var unit = entity.GetString("Unit");
                var state = Enum.Parse<SubmissionStatus>(entity.GetString("Status"));
                if (!subtree.Contains(unit) || (status is not null && state != status))
                {
                    continue;
                }
                if (items.Count == pageSize)
                {
                    return new SubmissionPage(items, items[^1].Unit);
                }
                items.Add(new SubmissionSummary(unit, hierarchy.Find(unit)?.Name, state, entity.GetInt32("Revision") ?? 0,
                    entity.GetDateTimeOffset("UpdatedAt") ?? DateTimeOffset.MinValue, entity.GetDateTimeOffset("SubmittedAt"), entity.GetBoolean("Late") ?? false));
            }
        }
        return new SubmissionPage(items, null);
    }
}
