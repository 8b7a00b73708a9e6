using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Qcdc.Forms;
using Qcdc.Json;
using Qcdc.Units;

namespace Qcdc.Seeds;

/// <summary>The shape of <c>seeds/units.json</c>, also accepted by <c>POST /api/manage/units</c>.</summary>
public sealed record UnitFile(IReadOnlyList<Unit> Units);

/// <summary>The shape of <c>seeds/forms.json</c>.</summary>
public sealed record FormFile(IReadOnlyList<FormDefinition> Forms);

/// <summary>
/// The shape of <c>seeds/demo-reports.json</c>: reports for the quarters around today (<see cref="DemoReport.Quarter"/>
/// counts from the current quarter), loaded at development start so that lists, rollups and pages show something.
/// </summary>
public sealed record DemoReportFile(string Form, IReadOnlyList<DemoReport> Reports, string? About = null);

/// <param name="Status">draft, submitted, approved or returned.</param>
public sealed record DemoReport(string Unit, int Quarter, string Status, JsonObject Values, bool Late = false, string? Reason = null);

/// <summary>Reads the reference data shipped in <c>seeds/</c>.</summary>
public static class SeedFiles
{
    public const string Folder = "seeds";

    public static async Task<T> ReadAsync<T>(string seedsFolder, string fileName, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(Path.Combine(seedsFolder, fileName));
        return await JsonSerializer.DeserializeAsync(stream, type, cancellationToken)
            ?? throw new InvalidDataException($"{fileName} is empty.");
    }

    public static Task<UnitFile> ReadUnitsAsync(string seedsFolder, CancellationToken cancellationToken) =>
        ReadAsync(seedsFolder, "units.json", SeedsJsonContext.Shared.UnitFile, cancellationToken);

    public static Task<FormFile> ReadFormsAsync(string seedsFolder, CancellationToken cancellationToken) =>
        ReadAsync(seedsFolder, "forms.json", SeedsJsonContext.Shared.FormFile, cancellationToken);

    public static Task<DemoReportFile> ReadDemoReportsAsync(string seedsFolder, CancellationToken cancellationToken) =>
        ReadAsync(seedsFolder, "demo-reports.json", SeedsJsonContext.Shared.DemoReportFile, cancellationToken);
}
