using Microsoft.Extensions.Options;
using Qcdc.Forms;
using Qcdc.Development.DevStorage;
using Qcdc.Security;
using Qcdc.Seeds;
using Qcdc.Storage;
using Qcdc.Units;

namespace Qcdc.Development.Seeds;

/// <summary>Bound from the <c>Seed</c> section.</summary>
public sealed class SeedOptions
{
    public const string Section = "Seed";

    /// <summary>Load the reference and demo data of <c>seeds/</c> at start (development).</summary>
    public bool Demo { get; set; }

    /// <summary>The seeds folder; by default <c>seeds/</c> of the repository the app runs from.</summary>
    public string? Path { get; set; }

    /// <summary>Keys stored at development start and printed, so that a newcomer can call every route at once.</summary>
    public List<DemoKey> DemoKeys { get; set; } = [];

    /// <summary>Also write the demo reports of <c>seeds/demo-reports.json</c> for the quarters around today.</summary>
    public bool DemoReports { get; set; }

    /// <summary>
    /// Also generate the province's past, from 2021Q1 to today, and the five-year reports of the plan period that has
    /// ended (in the background after start; see <c>DemoHistory</c>).
    /// </summary>
    public bool DemoHistory { get; set; }

    /// <summary>The seed of the generated past: the same seed, the same figures on every machine. Default 2021.</summary>
    public int HistorySeed { get; set; } = Seeds.DemoHistory.DefaultSeed;
}

public sealed record DemoKey(string Key, string Unit, string Role, string Label, string? Name = null);

/// <summary>
/// Development start: loads <c>seeds/</c> (units, forms) through the same import code the admin API uses, so that
/// a fresh clone has a province to report for. Idempotent: a second start writes nothing.
/// </summary>
internal sealed partial class DemoSeeder(
    IOptions<SeedOptions> options,
    IHostEnvironment environment,
    IServiceProvider services,
    ILogger<DemoSeeder> logger) : IHostedService
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _history = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Demo)
        {
            return;
        }
        // Resolved only when seeding: a production start (no seeding) builds none of these for a seeder that does nothing.
        var storage = services.GetRequiredService<StorageInitializer>();
        var units = services.GetRequiredService<UnitStore>();
        var forms = services.GetRequiredService<FormStore>();
        var keys = services.GetRequiredService<ApiKeyStore>();
        var reports = services.GetRequiredService<DemoReportSeeder>();
        var folder = options.Value.Path
            ?? (AzuriteProcess.FindRepositoryRoot(environment.ContentRootPath) is { } root ? System.IO.Path.Combine(root, SeedFiles.Folder) : null);
        if (folder is null || !Directory.Exists(folder))
        {
            LogNoSeeds(folder ?? environment.ContentRootPath);
            return;
        }
        LogLoading(folder);
        try
        {
            await storage.Ready.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        }
        catch (TimeoutException)
        {
            LogStorageNotReady();
            return;
        }

        var unitFile = await SeedFiles.ReadUnitsAsync(folder, cancellationToken);
        var (imported, problems) = await units.ImportAsync(unitFile.Units, cancellationToken);
        if (imported is null)
        {
            throw new InvalidDataException("seeds/units.json is not valid: " + string.Join("; ", problems.Select(p => $"{p.Field}: {p.Message.En}")));
        }
        LogUnits(imported.Received, imported.Created, imported.Updated, imported.Unchanged);

        foreach (var form in (await SeedFiles.ReadFormsAsync(folder, cancellationToken)).Forms)
        {
            if ((await forms.GetCatalogAsync(cancellationToken)).HasVersionLike(form))
            {
                continue;
            }
            var formProblems = FormValidation.Validate(form);
            if (formProblems.Count > 0)
            {
                throw new InvalidDataException($"seeds/forms.json: {form.Code} is not valid: " + string.Join("; ", formProblems.Select(p => $"{p.Field}: {p.Message.En}")));
            }
            var (outcome, published) = await forms.PublishAsync(form, cancellationToken);
            LogForm(published.Code, published.Version, outcome);
        }

        foreach (var demo in options.Value.DemoKeys)
        {
            await keys.EnsureAsync(demo.Key, demo.Unit, demo.Role, demo.Label, demo.Name, cancellationToken);
        }

        if (options.Value.DemoReports && File.Exists(System.IO.Path.Combine(folder, "demo-reports.json")))
        {
            var file = await SeedFiles.ReadDemoReportsAsync(folder, cancellationToken);
            await reports.SeedAsync(file, cancellationToken);
            if (options.Value.DemoHistory)
            {
                // Hundreds of reports: written while the app already answers, so that the first start stays quick.
                var seed = options.Value.HistorySeed;
                _history = Task.Run(async () =>
                {
                    try
                    {
                        LogHistory(seed);
                        await reports.SeedHistoryAsync(file.Form, seed, _stopping.Token);
                    }
                    catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
                    {
                    }
                    catch (Exception e) when (e is Azure.RequestFailedException or InvalidOperationException or IOException)
                    {
                        LogHistoryFailed(e.GetType().Name);
                    }
                }, CancellationToken.None);
            }
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _history.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Generating the demo province's past since 2021Q1 (seed {Seed}) in the background")]
    private partial void LogHistory(int seed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The demo past could not be written completely ({Error}); the next start goes on where it stopped")]
    private partial void LogHistoryFailed(string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Loading the demo data from {Folder}")]
    private partial void LogLoading(string folder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo seeding is on but no seeds folder was found near {Folder}")]
    private partial void LogNoSeeds(string folder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo seeding skipped: storage is not ready")]
    private partial void LogStorageNotReady();

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded units: {Received} in file, {Created} created, {Updated} updated, {Unchanged} unchanged")]
    private partial void LogUnits(int received, int created, int updated, int unchanged);

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded form {Form} version {Version}: {Outcome}")]
    private partial void LogForm(string form, int version, PublishOutcome outcome);
}

/// <summary>Development start prints the demo keys (to the console, never to the log).</summary>
internal sealed class DemoKeysAnnouncement(IOptions<SeedOptions> options) : IStartupAnnouncement
{
    public string Describe(string baseUrl) => options.Value.DemoKeys.Count == 0
        ? "No demo keys configured."
        : "Demo API keys (development only), sent as 'Authorization: ApiKey <key>':" + Environment.NewLine + string.Join(Environment.NewLine,
            options.Value.DemoKeys.Select(k => $"  {k.Role,-8} of {k.Unit,-12} {k.Label}: {k.Key}"));
}
