using System.Text.Json.Nodes;
using Qcdc.Forms;
using Qcdc.Periods;
using Qcdc.Units;

namespace Qcdc.Development.Seeds;

/// <summary>One demo report to write: its form, period, unit, where it ends up and its values.</summary>
internal sealed record DemoItem(string Form, Period Period, string Unit, string Status, bool Late, JsonObject Values, string? Reason = null);

/// <summary>
/// The demo province's past, generated at development start from a seed (<c>Seed:HistorySeed</c>, default 2021) and
/// never stored as a file: every reporting unit of each quarter's hierarchy from 2021Q1 to the current quarter, with
/// figures that grow plausibly from year to year around each unit's own size, most reports approved, some late, some
/// returned, some never sent, and the current quarter still in progress. The same seed gives the same history on
/// every machine. Five-year reports (QCDC-5Y 2021–2025) come after, from the quarterly rollup (<see cref="FiveYear"/>).
/// </summary>
internal static class DemoHistory
{
    public const int DefaultSeed = 2021;
    public static readonly Period First = Period.Quarter(2021, 1);

    /// <summary>The kinds whose reports are generated (the levels above them are rolled up, not reported).</summary>
    private static readonly HashSet<string> Reporting = new(StringComparer.Ordinal)
        { UnitKinds.Commune, "ward", "agency", "mass-organisation", "state-enterprise", "private-enterprise" };

    private static readonly string[] ReturnReasons =
    [
        "Đề nghị bổ sung số liệu tiếp công dân và đối thoại.",
        "Số vụ việc giải quyết lớn hơn số tiếp nhận; đề nghị kiểm tra lại.",
        "Đề nghị bổ sung kết quả xây dựng mô hình \"Dân vận khéo\".",
    ];

    public static IEnumerable<DemoItem> Quarterly(string form, UnitHierarchy hierarchy, FormCatalog catalog, DateOnly today, int seed)
    {
        var current = Period.Quarter(today.Year, (today.Month - 1) / 3 + 1);
        for (var number = First.FirstQuarter; number <= current.FirstQuarter; number++)
        {
            var quarter = Period.Quarter(number / 4, number % 4 + 1);
            if (catalog.ForPeriod(form, quarter) is not { } definition || definition.Schedule.For(quarter).DataStart > today)
            {
                continue;
            }
            var age = current.FirstQuarter - number; // 0: the current quarter, 1: the one before …
            foreach (var unit in hierarchy.All.Where(u => Reporting.Contains(u.Kind) && u.IsActiveOn(quarter.End) && definition.AppliesTo(u.Kind))
                .OrderBy(u => u.Code, StringComparer.Ordinal))
            {
                var random = new Random(Mix(seed, unit.Code, quarter.Key));
                var roll = random.NextDouble();
                var outcome = age switch
                {
                    0 => roll < 0.25 ? Outcome("missing") : roll < 0.55 ? Outcome("draft") : roll < 0.85 ? Outcome("submitted") : Outcome("approved"),
                    1 => roll < 0.08 ? Outcome("missing") : roll < 0.30 ? Outcome("submitted", roll > 0.25) : Outcome("approved", roll > 0.9),
                    _ => roll < 0.05 ? Outcome("missing")
                        : roll < 0.09 ? Outcome("returned", false, ReturnReasons[random.Next(ReturnReasons.Length)])
                        : roll < 0.17 ? Outcome("approved", true)
                        : Outcome("approved"),
                };
                if (outcome.Status == "missing")
                {
                    continue;
                }
                yield return new DemoItem(form, quarter, unit.Code, outcome.Status, outcome.Late, Values(unit, quarter, definition, seed), outcome.Reason);
            }
        }
    }

    private static (string Status, bool Late, string? Reason) Outcome(string status, bool late = false, string? reason = null) => (status, late, reason);

    /// <summary>A unit's figures for a quarter: its own size (from the seed and its code), a yearly growth, some noise.</summary>
    public static JsonObject Values(Unit unit, Period quarter, FormDefinition form, int seed)
    {
        var size = new Random(Mix(seed, unit.Code, "size"));
        var scale = 0.6 + size.NextDouble() * 1.2;
        var years = (quarter.FirstQuarter - First.FirstQuarter) / 4.0;
        var growth = Math.Pow(1.06, years);
        var random = new Random(Mix(seed, unit.Code, quarter.Key, "values"));
        double Around(double typical) => typical * scale * growth * (0.75 + random.NextDouble() * 0.5);
        long Count(double typical) => (long)Math.Round(Around(typical));
        var commune = unit.Kind is UnitKinds.Commune or "ward";
        var enterprise = unit.Kind.EndsWith("enterprise", StringComparison.Ordinal);
        var values = new JsonObject();
        foreach (var indicator in form.Indicators)
        {
            JsonNode? value = indicator.Code switch
            {
                "docs_issued" => Count(commune ? 4 : 6),
                "receptions" => Count(commune ? 5 : 3),
                "complaints_received" => Count(commune ? 6 : 2),
                "awards_collective" => Count(0.6),
                "awards_individual" => Count(2),
                "cadres_briefed" => Ratio(random, (long)(40 + scale * 120), Math.Min(0.99, 0.8 + years * 0.03)),
                _ when !commune && indicator.Code is "land_households" or "land_area" or "donation_value" or "trees_donated" or "workdays"
                    or "resources_mobilised" or "models_built" or "ntm_communes" or "ntm_advanced" or "model_villages" or "ocop_products" or "income_per_capita" => null,
                "land_households" => Count(25),
                "land_area" => Math.Round((decimal)Around(2200), 1),
                "donation_value" => Count(450) * 1_000_000,
                "trees_donated" => Count(350),
                "workdays" => Count(900),
                "resources_mobilised" => Count(1300) * 1_000_000,
                "ntm_communes" => Ratio(random, 1, Math.Min(1, 0.3 + years * 0.15)),
                "ntm_advanced" => years > 3 && random.NextDouble() < 0.3 ? 1 : 0,
                "model_villages" => Ratio(random, (long)(6 + scale * 8), Math.Min(1, 0.2 + years * 0.08)),
                "ocop_products" => Count(1.5),
                "income_per_capita" => (long)Math.Round(28 * scale * growth * 1.4) * 1_000_000,
                _ when commune && indicator.Code is "agencies_with_rules" or "agencies_staff_conference" or "state_ent_cla" or "private_ent_dialogue" => null,
                "agencies_with_rules" or "agencies_staff_conference" when !enterprise => Ratio(random, (long)(3 + scale * 6), Math.Min(1, 0.7 + years * 0.06)),
                "state_ent_cla" when unit.Kind == "state-enterprise" => Ratio(random, 1, 1),
                "private_ent_dialogue" when unit.Kind == "private-enterprise" => Ratio(random, 1, years > 1 ? 1 : 0),
                "narrative_results" => $"{unit.Name} quán triệt và thực hiện Quy chế dân chủ ở cơ sở trong {PeriodWords(quarter)}; tổ chức tiếp công dân, đối thoại định kỳ theo kế hoạch.",
                "narrative_limitations" => random.NextDouble() < 0.5 ? "Việc công khai một số nội dung còn chậm; hình thức đối thoại chưa đa dạng." : null,
                "narrative_directions" => "Tiếp tục nâng cao chất lượng đối thoại, giải quyết kịp thời kiến nghị của Nhân dân.",
                _ => null,
            };
            if (indicator.Categories.Count > 0 && value is null && indicator.Type != IndicatorType.Text
                && (commune || indicator.Code == "dialogues"))
            {
                var categories = new JsonObject();
                foreach (var category in indicator.Categories)
                {
                    categories[category.Code] = category.Code is "commune" or "small" or "grassroots" ? Count(2) : random.NextDouble() < 0.2 ? 1 : 0;
                }
                value = categories;
            }
            if (value is not null)
            {
                values[indicator.Code] = value;
            }
        }
        if (values["complaints_received"] is { } received)
        {
            var total = received.GetValue<long>();
            values["complaints_resolved"] = (long)Math.Round(total * (0.7 + random.NextDouble() * 0.3));
        }
        if (Qcdc.Json.JsonNumbers.ToDecimal(values["ntm_advanced"]) is { } advanced && Qcdc.Json.JsonNumbers.ToDecimal(values["ntm_communes"]?["numerator"]) is { } ntm
            && advanced > ntm)
        {
            values["ntm_advanced"] = ntm; // an advanced NTM commune is an NTM commune first (rule ntm-advanced-part)
        }
        return values;
    }

    /// <summary>
    /// Five-year reports for the plan period that has ended: from some of the units active at its end, most equal to
    /// what their quarterly reports add up to (<paramref name="computed"/>, the rollup's figures), some not.
    /// </summary>
    public static IEnumerable<DemoItem> FiveYear(
        string form, Period window, UnitHierarchy hierarchy, FormDefinition definition, Func<string, JsonObject?> computed, int seed)
    {
        var reporting = 0;
        foreach (var unit in hierarchy.All.Where(u => u.IsActiveOn(window.End) && u.Parent is not null && definition.AppliesTo(u.Kind))
            .OrderBy(u => u.Code, StringComparer.Ordinal))
        {
            var random = new Random(Mix(seed, unit.Code, window.Key));
            var roll = random.NextDouble();
            if (roll < 0.25 || computed(unit.Code) is not { } sums)
            {
                continue; // not reported (yet)
            }
            // Every third reporting unit reported other figures than its quarters add up to (15–45 % more).
            var off = reporting++ % 3 == 2 ? 1.15 + random.NextDouble() * 0.3 : 1.0;
            var values = new JsonObject();
            foreach (var indicator in definition.Indicators)
            {
                var source = indicator.Code == "receptions_dialogues" ? null : sums[indicator.Code];
                values[indicator.Code] = indicator.Type == IndicatorType.Text
                    ? indicator.Code == "narrative_results" ? $"{unit.Name} thực hiện Quy chế dân chủ ở cơ sở giai đoạn {window.Start.Year}–{window.End.Year}." : null
                    : Scaled(source, off);
            }
            if (definition.FindIndicator("receptions_dialogues") is { Categories.Count: > 0 } combined)
            {
                values["receptions_dialogues"] = new JsonObject(combined.Categories.Select(c =>
                    KeyValuePair.Create<string, JsonNode?>(c.Code, c.Code == "commune" ? Number(sums["receptions"]) + Number((sums["dialogues"] as JsonObject)?["commune"]) : 0)));
            }
            foreach (var empty in values.Where(p => p.Value is null).Select(p => p.Key).ToList())
            {
                values.Remove(empty);
            }
            yield return new DemoItem(form, window, unit.Code, roll < 0.5 ? "approved" : "submitted", false, values);
        }
    }

    private static JsonNode? Scaled(JsonNode? node, double factor) => node switch
    {
        JsonValue value when value.GetValueKind() == System.Text.Json.JsonValueKind.Number => factor == 1.0
            ? value.DeepClone()
            : (decimal.Round(Number(value) * (decimal)factor, 0)),
        // A ratio's rollup also carries its computed value, which a report does not hold.
        JsonObject parts => new JsonObject(parts.Where(p => p.Key != "value").Select(p => KeyValuePair.Create(p.Key, Scaled(p.Value, factor)))),
        _ => null,
    };

    private static decimal Number(JsonNode? node) => Qcdc.Json.JsonNumbers.ToDecimal(node) ?? 0;

    private static JsonObject Ratio(Random random, long denominator, double rate)
    {
        denominator = Math.Max(1, denominator);
        var numerator = Math.Min(denominator, (long)Math.Round(denominator * Math.Clamp(rate + (random.NextDouble() - 0.5) * 0.1, 0, 1)));
        return new JsonObject { ["numerator"] = numerator, ["denominator"] = denominator };
    }

    private static string PeriodWords(Period quarter) => $"quý {new[] { "I", "II", "III", "IV" }[quarter.FirstQuarter % 4]}/{quarter.Start.Year}";

    /// <summary>A stable seed from text (string hash codes differ from run to run).</summary>
    private static int Mix(int seed, params string[] parts)
    {
        var hash = 2166136261u ^ (uint)seed;
        foreach (var part in parts)
        {
            foreach (var c in part)
            {
                hash = (hash ^ c) * 16777619u;
            }
            hash = (hash ^ '|') * 16777619u;
        }
        return (int)(hash & 0x7FFFFFFF);
    }
}
