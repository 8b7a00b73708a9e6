using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Qcdc.Forms;
using Qcdc.Rollups;
using Qcdc.Submissions;
using Qcdc.Units;

namespace Qcdc.Benchmarks;

/// <summary>
/// Every validation rule and outlier test over the synthetic country's quarter (≥ 10,000 units, 60 indicators, 66
/// numbers each, twelve rules; each number against the unit's eight earlier quarters) against the rollup's compute of
/// the same quarter from the same reports (DESIGN.md §7: ratio ≤ 0.5). Both start from the reports' stored numbers
/// (UTF-8 JSON) in memory and do all their work in memory: storage reads are what the rollup benchmark measures, and
/// the earlier quarters are the same reads whichever way they are made.
/// </summary>
public static class ChecksBenchmark
{
    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var communes = Stats.Option(args, "--communes", 10_080);
        var rounds = Stats.Option(args, "--rounds", 5);
        var form = RollupBenchmark.SyntheticForm() with { Rules = Rules(), Version = 1 };
        var problems = FormValidation.Validate(form);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join("; ", problems.Select(p => $"{p.Field}: {p.Message.En}")));
        }
        var units = RollupBenchmark.SyntheticCountry(communes);
        var hierarchy = new UnitHierarchy(units);
        var random = new Random(2024);
        var reports = units.Select(u => (Unit: u, Numbers: JsonSerializer.SerializeToUtf8Bytes(RollupBenchmark.Values(form, random)))).ToList();
        var history = units.ToDictionary(u => u.Code, _ => (IReadOnlyList<JsonObject>)[.. Enumerable.Range(0, 8).Select(_ => RollupBenchmark.Values(form, random))]);
        Console.WriteLine("The same reports' values are drawn for the eight earlier quarters: each cell varies as much as a unit's does, so outliers are rare and real.");
        var schema = RollupSchema.From(form.Indicators, [], [form.Version]);
        var counted = new[] { SubmissionStatus.Submitted, SubmissionStatus.Approved };
        var options = new CheckOptions();
        Console.WriteLine($"{reports.Count} reports of {ReportChecks.NumericCells(form).Count()} numbers, {form.Rules.Count} rules, 8 earlier quarters each; "
            + $"a warm-up, then {rounds} rounds of rollup compute and checks, alternating…");

        double Rollup()
        {
            var watch = Stopwatch.StartNew();
            var builder = new QuarterRollupBuilder(schema, hierarchy, RollupBenchmark.BenchQuarter, form.AppliesTo, counted);
            foreach (var (unit, numbers) in reports)
            {
                builder.Add(unit.Code, SubmissionStatus.Submitted, false, DateTimeOffset.UnixEpoch, numbers);
            }
            builder.Build(form.Code, RollupBenchmark.BenchQuarter.Key, DateTimeOffset.UnixEpoch, "bench", final: false);
            return watch.Elapsed.TotalSeconds;
        }

        // What the unit's eight earlier quarters say of each cell: computed once per unit and quarter (they are final),
        // kept beside the history they come from; timed on its own.
        var layout = new CellLayout(form);
        var profileWatch = Stopwatch.StartNew();
        var usual = units.ToDictionary(u => u.Code, u => ReportChecks.Profile(layout, history[u.Code], options));
        var profileSeconds = profileWatch.Elapsed.TotalSeconds;

        (double Seconds, int Rules, int Outliers) Checks()
        {
            var watch = Stopwatch.StartNew();
            var rules = new FormChecks(form);
            var (row, present) = (new decimal[rules.Layout.Count], new bool[rules.Layout.Count]);
            int broken = 0, outliers = 0;
            foreach (var (unit, numbers) in reports)
            {
                rules.Layout.Load(numbers, row, present);
                broken += rules.Evaluate(row, present).Count;
                outliers += ReportChecks.Outliers(form, rules.Layout, row, present, usual[unit.Code], null, unit.Kind).Count;
            }
            return (watch.Elapsed.TotalSeconds, broken, outliers);
        }

        Rollup();
        Checks();
        var rollups = new List<double>();
        var checks = new List<double>();
        (double Seconds, int Rules, int Outliers) last = default;
        for (var round = 0; round < rounds; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            rollups.Add(Rollup());
            last = Checks();
            checks.Add(last.Seconds);
        }
        var (rollup, check) = (Stats.Median(rollups), Stats.Median(checks));
        Console.WriteLine($"rollup compute: {rollup:F3} s; checks: {check:F3} s ({last.Rules} broken rules, {last.Outliers} outliers); ratio {check / rollup:F2} (target ≤ 0.50); "
            + $"the usual ranges from the earlier quarters, once: {profileSeconds:F3} s");
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            benchmark = "checks",
            units = reports.Count,
            numbersPerReport = ReportChecks.NumericCells(form).Count(),
            rules = form.Rules.Count,
            brokenRules = last.Rules,
            outliers = last.Outliers,
            rollupComputeSeconds = Math.Round(rollup, 3),
            checksSeconds = Math.Round(check, 3),
            ratio = Math.Round(check / rollup, 3),
            usualRangesSeconds = Math.Round(profileSeconds, 3),
        }));
        return Task.FromResult(0);
    }

    /// <summary>Twelve rules of every shape: ratios, sums against a cell, a constant bound, a pair, a quotient, a product, a not-equal.</summary>
    private static List<FormRule> Rules() =>
    [
        .. Enumerable.Range(49, 6).Select(i => new FormRule($"v{i}.numerator", RuleOperator.Le, $"v{i}.denominator", $"v{i}-ratio", $"Chỉ tiêu {i}: tử số không vượt quá mẫu số")),
        new("v02", RuleOperator.Le, "v01 + v03", "v02-within", "Chỉ tiêu 2 không vượt quá tổng chỉ tiêu 1 và 3"),
        new("v04 + v05", RuleOperator.Le, "150", "v04-v05-bound", "Chỉ tiêu 4 và 5 cộng lại không quá 150", CheckSeverity.Warning),
        new("v10", RuleOperator.BothOrNeither, "v11", "v10-v11-pair", "Chỉ tiêu 10 và 11 cùng ghi hoặc cùng để trống", CheckSeverity.Warning),
        new("v41 / (v12 + 1)", RuleOperator.Le, "100", "v41-per-v12", "Chỉ tiêu 41 trên mỗi đơn vị chỉ tiêu 12 không quá 100", CheckSeverity.Warning),
        new("v20 * 2", RuleOperator.Ge, "v21", "v20-v21", "Chỉ tiêu 21 không quá hai lần chỉ tiêu 20", CheckSeverity.Warning, MissingValueStrategy.SkipIfAllMissing),
        new("v30", RuleOperator.Ne, "99", "v30-not-99", "Chỉ tiêu 30 khác 99", CheckSeverity.Warning, MissingValueStrategy.NeverSkip),
    ];
}
