using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Qcdc.Json;
using Qcdc.Storage;

namespace Qcdc.Units;

/// <summary>What an import did.</summary>
public sealed record UnitImportResult(int Received, int Created, int Updated, int Unchanged);

/// <summary>
/// Units in Table Storage, one partition, row key = code; the whole set is cached in memory as a
/// <see cref="UnitHierarchy"/>. A version row at the end of the partition changes with every import.
/// </summary>
public sealed class UnitStore
{
    private const string Partition = "unit";
    private const string VersionRow = "~version";
    private readonly TableClient _table;
    private readonly TimeProvider _time;
    private readonly VersionedCache<UnitHierarchy> _cache;

    public UnitStore(TableServiceClient tables, StorageNames names, TimeProvider time)
    {
        _table = tables.GetTableClient(names.Table(StorageNames.UnitsTable));
        _time = time;
        _cache = new VersionedCache<UnitHierarchy>(time, TimeSpan.FromSeconds(30));
    }

    public Task<UnitHierarchy> GetHierarchyAsync(CancellationToken cancellationToken) =>
        _cache.GetAsync(ReadStampAsync, LoadAsync, cancellationToken);

    /// <summary>The hierarchy and the version stamp of the import it reflects (rollups record it to know when they are stale).</summary>
    public Task<(UnitHierarchy Hierarchy, string? Stamp)> GetStampedHierarchyAsync(CancellationToken cancellationToken) =>
        _cache.GetStampedAsync(ReadStampAsync, LoadAsync, cancellationToken);

    /// <summary>
    /// Validates the file merged with the stored units (the file wins for its codes) and, only if every unit
    /// passes, writes what changed in 100-entity transactions. Running it again writes nothing.
    /// </summary>
    public async Task<(UnitImportResult? Result, IReadOnlyList<Qcdc.Problems.FieldProblem> Problems)> ImportAsync(
        IReadOnlyList<Unit> units, CancellationToken cancellationToken)
    {
        var stored = await LoadAsync(cancellationToken);
        var incoming = units.Select(u => u.Code).ToHashSet(StringComparer.Ordinal);
        // The file may refer to stored units (a parent, a successor), and duplicates inside it must still show.
        var merged = stored.All.Where(u => !incoming.Contains(u.Code)).Concat(units).ToList();
        var problems = UnitValidation.Validate(merged);
        if (problems.Count > 0)
        {
            return (null, problems);
        }

        var changes = new List<TableTransactionAction>();
        int created = 0, updated = 0;
        foreach (var unit in units)
        {
            var existing = stored.Find(unit.Code);
            if (existing is not null && Same(existing, unit))
            {
                continue;
            }
            _ = existing is null ? created++ : updated++;
            changes.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(unit)));
        }
        if (changes.Count > 0)
        {
            changes.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, VersionStamp.NewRow(Partition, VersionRow, _time.GetUtcNow())));
            foreach (var batch in changes.Chunk(100))
            {
                await _table.SubmitTransactionAsync(batch, cancellationToken);
            }
            _cache.Invalidate();
        }
        return (new UnitImportResult(units.Count, created, updated, units.Count - created - updated), []);
    }

    private Task<string?> ReadStampAsync(CancellationToken cancellationToken) =>
        VersionStamp.ReadAsync(_table, Partition, VersionRow, cancellationToken);

    private async Task<UnitHierarchy> LoadAsync(CancellationToken cancellationToken)
    {
        var units = new List<Unit>();
        await foreach (var entity in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            if (entity.RowKey != VersionRow)
            {
                units.Add(FromEntity(entity));
            }
        }
        return new UnitHierarchy(units);
    }

    private static bool Same(Unit a, Unit b) =>
        a with { Successors = [] } == b with { Successors = [] } && a.Successors.SequenceEqual(b.Successors);

    private static TableEntity ToEntity(Unit unit) => new(Partition, unit.Code)
    {
        ["Name"] = unit.Name,
        ["Kind"] = unit.Kind,
        ["Parent"] = unit.Parent,
        ["ValidFrom"] = unit.ValidFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["ValidTo"] = unit.ValidTo?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["Successors"] = unit.Successors.Count == 0 ? null : JsonSerializer.Serialize([.. unit.Successors], QcdcJson.Context.ListSuccessor),
        ["GsoCode"] = unit.GsoCode,
    };

    private static Unit FromEntity(TableEntity e) => new(
        e.RowKey,
        e.GetString("Name"),
        e.GetString("Kind"),
        DateOnly.ParseExact(e.GetString("ValidFrom"), "yyyy-MM-dd", CultureInfo.InvariantCulture),
        e.GetString("Parent"),
        e.GetString("ValidTo") is { } to ? DateOnly.ParseExact(to, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
        e.GetString("Successors") is { } s ? JsonSerializer.Deserialize(s, QcdcJson.Context.ListSuccessor) : null,
        e.GetString("GsoCode"));
}
