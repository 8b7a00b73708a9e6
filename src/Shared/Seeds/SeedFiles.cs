using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Qcdc.Forms;
using Qcdc.Json;
using Qcdc.Units;

namespace Qcdc.Seeds;

/// <summary>The shape of <c>seeds/units.json</c>, also accepted by <c>POST /api/admin/units</c>.</summary>
public sealed record UnitFile(IReadOnlyList<Unit> Units);

/// <summary>The shape of <c>seeds/forms.json</c>.</summary>
public sealed record FormFile(IReadOnlyList<FormDefinition> Forms);

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
        ReadAsync(seedsFolder, "units.json", QcdcJson.Context.UnitFile, cancellationToken);

    public static Task<FormFile> ReadFormsAsync(string seedsFolder, CancellationToken cancellationToken) =>
        ReadAsync(seedsFolder, "forms.json", QcdcJson.Context.FormFile, cancellationToken);
}
