using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Qcdc.Development.DevStorage;
using Qcdc.Forms;
using Qcdc.Periods;
using Qcdc.Rollups;
using Qcdc.Seeds;
using Qcdc.Submissions;
using Qcdc.Units;

namespace Qcdc.Benchmarks;

/// <summary>
/// The five-year rollup's computing alone, without storage: the rollup benchmark's synthetic country rolled up for one
/// quarter in memory, its snapshot's bytes taken as each of the 20 quarters of 2021-2025, then, round after round, the
/// 20 read number by number and nothing done (the floor), and the 20 added and the five years finished and encoded.
/// What changes in the adding is measured here in seconds instead of minutes.
/// </summary>
public static class RollupCpuBenchmark
{

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var communes = Stats.Option(args, "--communes", 10_080);
        var rounds = Stats.Option(args, "--rounds", 7);
        var form = RollupBenchmark.SyntheticForm();
        var catalog = new FormCatalog([form]);
        // The seeded province too, as in the rollup benchmark: its districts and communes end with the 2025 reform.
        var seeded = await SeedFiles.ReadUnitsAsync(Path.Combine(AzuriteProcess.FindRepositoryRoot(AppContext.BaseDirectory)!, SeedFiles.Folder), cancellationToken);
        var hierarchy = new UnitHierarchy([.. RollupBenchmark.SyntheticCountry(communes), .. seeded.Units]);
        var quarter = RollupBenchmark.BenchQuarter;
        var builder = new QuarterRollupBuilder(RollupSchema.For(catalog, form.Code, quarter), hierarchy, quarter, catalog.ForPeriod(form.Code, quarter)!.AppliesTo,
            RollupOptions.DefaultCountedStatuses);
        var random = new Random(2024);
        foreach (var unit in hierarchy.All)
        {
            var entity = SubmissionStore.ToCurrentEntity(new Submission(new SubmissionKey(form.Code, quarter.Key, unit.Code), SubmissionStatus.Submitted, 2, 1,
                RollupBenchmark.Values(form, random), DateTimeOffset.UnixEpoch, new Author("benchmark"), DateTimeOffset.UnixEpoch, new Author("benchmark"), false));
            builder.Add(unit.Code, SubmissionStatus.Submitted, random.Next(10) == 0, DateTimeOffset.UnixEpoch, Encoding.UTF8.GetBytes(entity.GetString("Values")));
        }
        var bytes = RollupSnapshotCodec.Encode(builder.Build(form.Code, quarter.Key, DateTimeOffset.UnixEpoch, "x", true));
        var window = Period.FiveYears(2021);
        var schema = RollupSchema.For(catalog, form.Code, window);
        var reads = new List<double>();
        var adds = new List<double>();
        var finishes = new List<double>();
        var encodes = new List<double>();
        var readPauses = new List<double>();
        var setups = new List<double>();
        var workPauses = new List<double>();
        var fullCollections = 0;
        Console.WriteLine($"{hierarchy.All.Count()} units, a quarter's snapshot {bytes.Length / 1024} KiB; {rounds} rounds of reading the 20 and of adding them…");
        for (var round = 0; round <= rounds; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var pause = GC.GetTotalPauseDuration();
            var watch = Stopwatch.StartNew();
            for (var k = 0; k < 20; k++)
            {
                RollupSnapshotCodec.Feed(bytes, new RollupBenchmark.ReadOnly());
            }
            var read = watch.Elapsed.TotalSeconds;
            var readPause = (GC.GetTotalPauseDuration() - pause).TotalSeconds;
            pause = GC.GetTotalPauseDuration();
            var collections = GC.CollectionCount(2);
            watch.Restart();
            var period = new PeriodRollupBuilder(schema, hierarchy, window);
            var setup = watch.Elapsed.TotalSeconds;
            for (var k = 0; k < 20; k++)
            {
                period.AddQuarter(bytes);
            }
            var add = watch.Elapsed.TotalSeconds;
            watch.Restart();
            var snapshot = period.Build(form.Code, window.Key, DateTimeOffset.UnixEpoch, "x", true);
            var finish = watch.Elapsed.TotalSeconds;
            watch.Restart();
            RollupSnapshotCodec.Encode(snapshot);
            var encode = watch.Elapsed.TotalSeconds;
            if (round > 0)
            {
                readPauses.Add(readPause);
                setups.Add(setup);
                workPauses.Add((GC.GetTotalPauseDuration() - pause).TotalSeconds);
                fullCollections += GC.CollectionCount(2) - collections;
                reads.Add(read);
                adds.Add(add);
                finishes.Add(finish);
                encodes.Add(encode);
            }
        }
        var floor = Stats.Median(reads);
        var work = Stats.Median(adds) + Stats.Median(finishes) + Stats.Median(encodes);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"reading the 20 {floor:F3} s; adding them {Stats.Median(adds):F3} s (setting up {Stats.Median(setups):F3} s), finishing {Stats.Median(finishes):F3} s, encoding {Stats.Median(encodes):F3} s; work / read {work / floor:F2}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  fastest rounds: reading {reads.Min():F3} s, adding {adds.Min():F3} s, finishing {finishes.Min():F3} s, encoding {encodes.Min():F3} s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  paused for garbage collection: {Stats.Median(readPauses):F3} s while reading, {Stats.Median(workPauses):F3} s while adding to encoding; {fullCollections / (double)rounds:F1} full collections a round"));
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            benchmark = "rollup-cpu",
            readSeconds = Math.Round(floor, 4),
            addSeconds = Math.Round(Stats.Median(adds), 4),
            finishSeconds = Math.Round(Stats.Median(finishes), 4),
            encodeSeconds = Math.Round(Stats.Median(encodes), 4),
        }));
        return 0;
    }
}
