using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using Qcdc.Json;
using Qcdc.Periods;
using Qcdc.Storage;

namespace Qcdc.Forms;

/// <summary>The bounds an admin set on one cell for units of one kind: a value outside them is an outlier (a warning).</summary>
public sealed record ValueBounds(decimal? Min = null, decimal? Max = null);

/// <summary>Every version of every form, and the value bounds set for each form, as the cache holds them.</summary>
public sealed class FormCatalog(IEnumerable<FormDefinition> forms, IReadOnlyDictionary<string, Dictionary<string, Dictionary<string, ValueBounds>>>? bounds = null)
{
    /// <summary>The bounds of a form: by unit kind, then by cell (<c>docs_issued</c>, <c>dialogues.commune</c>).</summary>
    public IReadOnlyDictionary<string, Dictionary<string, ValueBounds>> BoundsOf(string code) =>
        bounds?.GetValueOrDefault(code) ?? new Dictionary<string, Dictionary<string, ValueBounds>>();

    private readonly Dictionary<string, List<FormDefinition>> _byCode = forms
        .GroupBy(f => f.Code, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.OrderBy(f => f.Version).ToList(), StringComparer.Ordinal);

    public IEnumerable<FormDefinition> Current => _byCode.Values.Select(v => v[^1]).OrderBy(f => f.Code, StringComparer.Ordinal);

    public FormDefinition? Find(string code, int? version = null) =>
        _byCode.TryGetValue(code, out var versions)
            ? version is null ? versions[^1] : versions.FirstOrDefault(v => v.Version == version)
            : null;

    public IReadOnlyList<int> Versions(string code) => _byCode.TryGetValue(code, out var v) ? [.. v.Select(f => f.Version)] : [];

    /// <summary>
    /// The version in force for reports of <paramref name="period"/>: the newest whose effective quarter is not after
    /// the period's first quarter (a version without one is in force for every period).
    /// </summary>
    public FormDefinition? ForPeriod(string code, Period period) =>
        _byCode.TryGetValue(code, out var versions) ? versions.LastOrDefault(v => v.AppliesToPeriod(period)) ?? versions[0] : null;

    /// <summary>Every version of a form, oldest first.</summary>
    public IReadOnlyList<FormDefinition> All(string code) => _byCode.TryGetValue(code, out var versions) ? versions : [];

    /// <summary>True when some version of the form has exactly this content (seeding publishes nothing twice).</summary>
    public bool HasVersionLike(FormDefinition form) => All(form.Code).Any(v => FormStore.SameContent(v, form));
}

[JsonConverter(typeof(KebabCaseEnumConverter<PublishOutcome>))]
public enum PublishOutcome
{
    Published,
    /// <summary>The same definition is already the current version: nothing was written.</summary>
    Unchanged,
    /// <summary>Another publisher took that version number first.</summary>
    Conflict,
}

/// <summary>Form versions in Table Storage: partition = form code, row = version; a version is inserted, never changed.</summary>
public sealed class FormStore
{
    private const string MetaPartition = "~meta";
    private const string BoundsPartition = "~bounds";
    private const string VersionRow = "version";
    private const int MaxDefinitionLength = 30_000; // a string property holds 64 KiB (32K UTF-16 characters)
    private readonly TableClient _table;
    private readonly TimeProvider _time;
    private readonly VersionedCache<FormCatalog> _cache;

    public FormStore(TableServiceClient tables, StorageNames names, TimeProvider time)
    {
        _table = tables.GetTableClient(names.Table(StorageNames.FormsTable));
        _time = time;
        _cache = new VersionedCache<FormCatalog>(time, TimeSpan.FromSeconds(30));
    }

    public Task<FormCatalog> GetCatalogAsync(CancellationToken cancellationToken) =>
        _cache.GetAsync(ReadStampAsync, LoadAsync, cancellationToken);

    /// <summary>The catalog and the version stamp of the last publication it reflects.</summary>
    public Task<(FormCatalog Catalog, string? Stamp)> GetStampedCatalogAsync(CancellationToken cancellationToken) =>
        _cache.GetStampedAsync(ReadStampAsync, LoadAsync, cancellationToken);

    public static bool FitsInStorage(FormDefinition form) => Serialize(form).Length <= MaxDefinitionLength;

    /// <summary>
    /// Publishes the definition as the next version of its form, unless it equals the current version (then
    /// nothing is written, so seeding twice is harmless). Older versions are never touched.
    /// </summary>
    public async Task<(PublishOutcome Outcome, FormDefinition Form)> PublishAsync(FormDefinition form, CancellationToken cancellationToken)
    {
        var catalog = await LoadAsync(cancellationToken);
        var current = catalog.Find(form.Code);
        if (current is not null && SameContent(current, form))
        {
            return (PublishOutcome.Unchanged, current);
        }
        var published = form with { Version = (current?.Version ?? 0) + 1, PublishedAt = _time.GetUtcNow() };
        try
        {
            await _table.AddEntityAsync(new TableEntity(published.Code, published.Version.ToString("D6", CultureInfo.InvariantCulture))
            {
                ["Definition"] = Serialize(published),
            }, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return (PublishOutcome.Conflict, published);
        }
        await _table.UpsertEntityAsync(VersionStamp.NewRow(MetaPartition, VersionRow, _time.GetUtcNow()), TableUpdateMode.Replace, cancellationToken);
        _cache.Invalidate();
        return (PublishOutcome.Published, published);
    }

    /// <summary>Replaces the value bounds of a form (by unit kind, then by cell); readers see them at their next catalog read.</summary>
    public async Task SetBoundsAsync(string form, Dictionary<string, Dictionary<string, ValueBounds>> bounds, CancellationToken cancellationToken)
    {
        await _table.UpsertEntityAsync(new TableEntity(BoundsPartition, form)
        {
            ["Bounds"] = JsonSerializer.Serialize(bounds, FormsJsonContext.Shared.DictionaryStringDictionaryStringValueBounds),
        }, TableUpdateMode.Replace, cancellationToken);
        await _table.UpsertEntityAsync(VersionStamp.NewRow(MetaPartition, VersionRow, _time.GetUtcNow()), TableUpdateMode.Replace, cancellationToken);
        _cache.Invalidate();
    }

    internal static bool SameContent(FormDefinition a, FormDefinition b) =>
        Serialize(a with { Version = 0, PublishedAt = null }) == Serialize(b with { Version = 0, PublishedAt = null });

    private static string Serialize(FormDefinition form) => JsonSerializer.Serialize(form, FormsJsonContext.Shared.FormDefinition);

    private Task<string?> ReadStampAsync(CancellationToken cancellationToken) =>
        VersionStamp.ReadAsync(_table, MetaPartition, VersionRow, cancellationToken);

    private async Task<FormCatalog> LoadAsync(CancellationToken cancellationToken)
    {
        var forms = new List<FormDefinition>();
        var bounds = new Dictionary<string, Dictionary<string, Dictionary<string, ValueBounds>>>(StringComparer.Ordinal);
        await foreach (var entity in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey ne {MetaPartition}"), cancellationToken: cancellationToken))
        {
            if (entity.PartitionKey == BoundsPartition)
            {
                bounds[entity.RowKey] = JsonSerializer.Deserialize(entity.GetString("Bounds") ?? "{}", FormsJsonContext.Shared.DictionaryStringDictionaryStringValueBounds) ?? [];
                continue;
            }
            forms.Add(JsonSerializer.Deserialize(entity.GetString("Definition"), FormsJsonContext.Shared.FormDefinition)!);
        }
        return new FormCatalog(forms, bounds);
    }
}
