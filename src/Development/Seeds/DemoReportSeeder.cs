using System.Text.Json;
using System.Text.Json.Nodes;
using Qcdc.Forms;
using Qcdc.Json;
using Qcdc.Periods;
using Qcdc.Rollups;
using Qcdc.Security;
using Qcdc.Seeds;
using Qcdc.Submissions;
using Qcdc.Units;

namespace Qcdc.Development.Seeds;

/// <summary>
/// Development start: writes the demo reports of <c>seeds/demo-reports.json</c> through the same workflow a clerk
/// and a reviewer use — written at the quarter's cut-off, submitted by the deadline (or three days late), approved
/// or returned two days later — so that their dates, lateness and history look like a real quarter's. A report
/// that exists is left alone, so a second start writes nothing.
/// </summary>
internal sealed partial class DemoReportSeeder(
    SubmissionStore store, FormStore forms, UnitStore units, PeriodCatalog periods, RollupService rollups, ReportChecks checks,
    Microsoft.Extensions.Options.IOptions<RollupOptions> rollupOptions, TimeProvider time, ILogger<DemoReportSeeder> logger)
{
    private static readonly TimeSpan Morning = TimeSpan.FromHours(2); // 09:00 in Vietnam

    public Task SeedAsync(DemoReportFile file, CancellationToken cancellationToken)
    {
        var today = VietnamTime.Today(time);
        var current = Period.Quarter(today.Year, (today.Month - 1) / 3 + 1);
        return WriteAsync(file.Reports.Select(demo =>
        {
            var number = current.FirstQuarter + demo.Quarter;
            return new DemoItem(file.Form, Period.Quarter(number / 4, number % 4 + 1), demo.Unit, demo.Status, demo.Late, demo.Values, demo.Reason);
        }), cancellationToken);
    }

    /// <summary>
    /// The generated past (<see cref="DemoHistory"/>): every quarter since 2021Q1, then the five-year reports of the plan
    /// period that has ended, from the quarterly rollup. Reports that exist are left alone.
    /// </summary>
    public async Task SeedHistoryAsync(string form, int seed, CancellationToken cancellationToken)
    {
        var today = VietnamTime.Today(time);
        var catalog = await forms.GetCatalogAsync(cancellationToken);
        var hierarchy = await units.GetHierarchyAsync(cancellationToken);
        await WriteAsync(DemoHistory.Quarterly(form, hierarchy, catalog, today, seed), cancellationToken);
        var window = Period.PlanPeriodOf(today.Year - 5);
        foreach (var (fiveYearForm, quarterlyForm) in rollupOptions.Value.ReconcileWith.Where(p => p.Value == form))
        {
            if (catalog.ForPeriod(fiveYearForm, window) is not { } definition || definition.Schedule.For(window).DataStart > today)
            {
                continue;
            }
            var read = await rollups.ReadAsync(quarterlyForm, window, cancellationToken);
            JsonObject? Computed(string unit) =>
                read.Snapshot.IndexOf(unit) >= 0 ? RollupViews.ForUnit(read, unit, hierarchy).Values : null;
            await WriteAsync(DemoHistory.FiveYear(fiveYearForm, window, hierarchy, definition, Computed, seed).ToList(), cancellationToken);
        }
    }

    private async Task WriteAsync(IEnumerable<DemoItem> items, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var catalog = await forms.GetCatalogAsync(cancellationToken);
        var hierarchy = await units.GetHierarchyAsync(cancellationToken);
        int written = 0, skipped = 0;
        foreach (var demo in items)
        {
            var period = demo.Period;
            var key = new SubmissionKey(demo.Form, period.Key, demo.Unit);
            if (catalog.ForPeriod(demo.Form, period) is not { } form || hierarchy.Find(demo.Unit) is not { } unit || !unit.IsActiveOn(period.End)
                || (await store.GetAsync(key, cancellationToken)).Submission is not null)
            {
                skipped++;
                continue;
            }
            var schedule = form.Schedule.For(period);
            DateTimeOffset At(DateOnly day) => Min(now, new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) + Morning);
            var writtenAt = At(schedule.Cutoff);
            var submittedAt = At(schedule.DeadlineFor(unit.Kind).AddDays(demo.Late ? 3 : 0));
            var reviewedAt = Min(now, submittedAt.AddDays(2));
            var clerk = new Actor("demo-seed", Roles.Admin, unit.Code, $"{unit.Name} (dữ liệu mẫu)", "Văn thư đơn vị");
            var reviewer = new Actor("demo-seed", Roles.Admin, "LC", "Ban Dân vận Tỉnh ủy (dữ liệu mẫu)", "Người duyệt cấp tỉnh");
            var values = JsonSerializer.SerializeToElement(Conform(demo.Values, form.For(unit.Kind)), QcdcJson.Context.JsonObject);
            var result = await Service(writtenAt).SaveAsync(key, values, Write(clerk), cancellationToken);
            if (demo.Status != "draft" && result.Refusal is null)
            {
                result = await Service(submittedAt).SubmitAsync(key, Write(clerk), cancellationToken);
            }
            if (demo.Status == "approved" && result.Refusal is null)
            {
                result = await Service(reviewedAt).ApproveAsync(key, Write(reviewer), cancellationToken);
            }
            if (demo.Status == "returned" && result.Refusal is null)
            {
                result = await Service(reviewedAt).ReturnAsync(key, demo.Reason ?? "", Write(reviewer), cancellationToken);
            }
            if (result.Refusal is { } refusal)
            {
                LogRefused(demo.Unit, period.Key, refusal.Message.En + " " + string.Join("; ", refusal.Problems.Select(p => $"{p.Field}: {p.Message.En}")));
                continue;
            }
            written++;
        }
        LogSeeded(written, skipped);
    }

    /// <summary>The values as the form version in force has them: categories it lacks dropped, categories it has filled with 0.</summary>
    public static JsonObject Conform(JsonObject values, FormDefinition form)
    {
        var result = new JsonObject();
        foreach (var indicator in form.Indicators)
        {
            if (values[indicator.Code] is not { } value)
            {
                continue;
            }
            if (indicator.Categories.Count > 0 && value is JsonObject given)
            {
                result[indicator.Code] = new JsonObject(indicator.Categories.Select(c =>
                    KeyValuePair.Create<string, JsonNode?>(c.Code, given[c.Code]?.DeepClone() ?? JsonValue.Create(0))));
            }
            else
            {
                result[indicator.Code] = value.DeepClone();
            }
        }
        return result;
    }

    private SubmissionService Service(DateTimeOffset at) =>
        new(store, forms, units, periods, new FixedTime(at), [], checks, Microsoft.Extensions.Logging.Abstractions.NullLogger<SubmissionService>.Instance);

    private static WriteRequest Write(Actor actor) => new(actor, null, null, "");

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private sealed class FixedTime(DateTimeOffset instant) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => instant;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded {Written} demo reports ({Skipped} already there or not applicable)")]
    private partial void LogSeeded(int written, int skipped);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo report of {Unit} for {Period} was refused: {Reason}")]
    private partial void LogRefused(string unit, string period, string reason);
}
