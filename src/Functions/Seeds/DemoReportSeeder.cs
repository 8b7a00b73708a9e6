using System.Text.Json;
using System.Text.Json.Nodes;
using Qcdc.Forms;
using Qcdc.Json;
using Qcdc.Periods;
using Qcdc.Security;
using Qcdc.Seeds;
using Qcdc.Submissions;
using Qcdc.Units;

namespace Qcdc.Functions.Seeds;

/// <summary>
/// Development start: writes the demo reports of <c>seeds/demo-reports.json</c> through the same workflow a clerk
/// and a reviewer use — written at the quarter's cut-off, submitted by the deadline (or three days late), approved
/// or returned two days later — so that their dates, lateness and history look like a real quarter's. A report
/// that exists is left alone, so a second start writes nothing.
/// </summary>
internal sealed partial class DemoReportSeeder(
    SubmissionStore store, FormStore forms, UnitStore units, PeriodCatalog periods, TimeProvider time, ILogger<DemoReportSeeder> logger)
{
    private static readonly TimeSpan Morning = TimeSpan.FromHours(2); // 09:00 in Vietnam

    public async Task SeedAsync(DemoReportFile file, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var today = VietnamTime.Today(time);
        var current = Period.Quarter(today.Year, (today.Month - 1) / 3 + 1);
        var catalog = await forms.GetCatalogAsync(cancellationToken);
        var hierarchy = await units.GetHierarchyAsync(cancellationToken);
        int written = 0, skipped = 0;
        foreach (var demo in file.Reports)
        {
            var number = current.FirstQuarter + demo.Quarter;
            var period = Period.Quarter(number / 4, number % 4 + 1);
            var key = new SubmissionKey(file.Form, period.Key, demo.Unit);
            if (catalog.ForPeriod(file.Form, period) is not { } form || hierarchy.Find(demo.Unit) is not { } unit || !unit.IsActiveOn(period.End)
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
            var values = JsonSerializer.SerializeToElement(Conform(demo.Values, form), QcdcJson.Context.JsonObject);
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
                LogRefused(demo.Unit, period.Key, refusal.Message.En);
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
        new(store, forms, units, periods, new FixedTime(at), [], Microsoft.Extensions.Logging.Abstractions.NullLogger<SubmissionService>.Instance);

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
