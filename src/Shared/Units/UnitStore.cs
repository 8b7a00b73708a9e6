using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Qcdc.Json;
using Qcdc.Storage;

namespace Qcdc.Units;

/// <summary>What an import did.</summary>
public sealed record UnitImportResult(int Received, int Created, int Updated, int Unchanged);

/// <summary>A unit import lost a race with another import that switched the hierarchy first.</summary>
public sealed class UnitImportConflictException() : Exception("Another unit import changed the hierarchy while this one was being written.");

/// <summary>
/// Units in Table Storage; the whole set is cached in memory as a <see cref="UnitHierarchy"/>.
/// <para>
/// An import is all-or-nothing: the complete new hierarchy is written as a new generation (its own partition,
/// <c>unit-{generation}</c>) beside the one in use, and only when every row is stored does one conditional write of
/// the pointer row (<c>unit/~version</c>: stamp, generation, previous generation) switch readers to it. A failure
/// before the switch leaves the pointer, and so the hierarchy every reader sees, as it was; the partial generation
/// is deleted (or, if the process died, left unreferenced). The previous generation is kept until the next import,
/// so a reader that read the pointer just before a switch still finds every row; the one before that is deleted.
/// Rows stored before generations existed sit in the pointer's own partition and count as the first generation.
/// </para>
/// </summary>
public sealed class UnitStore
{
    private const string PointerPartition = "unit";
    private const string PointerRow = "~version";
    /// <summary>The generation name of units stored in the pointer's own partition (before generations existed).</summary>
    private const string LegacyGeneration = "";
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
    /// passes, writes the merged hierarchy as a new generation and switches to it. Running it again writes nothing.
    /// Throws <see cref="UnitImportConflictException"/> when another import switched first (nothing of this one stays).
    /// </summary>
    public async Task<(UnitImportResult? Result, IReadOnlyList<Qcdc.Problems.FieldProblem> Problems)> ImportAsync(
        IReadOnlyList<Unit> units, CancellationToken cancellationToken)
    {
        var pointer = await ReadPointerAsync(cancellationToken);
        var stored = await LoadGenerationAsync(pointer?.Generation ?? LegacyGeneration, cancellationToken);
        var incoming = units.Select(u => u.Code).ToHashSet(StringComparer.Ordinal);
        // The file may refer to stored units (a parent, a successor), and duplicates inside it must still show.
        var merged = stored.Where(u => !incoming.Contains(u.Code)).Concat(units).ToList();
        var problems = UnitValidation.Validate(merged);
        if (problems.Count > 0)
        {
            return (null, problems);
        }

        var byCode = stored.ToDictionary(u => u.Code, StringComparer.Ordinal);
        int created = 0, updated = 0;
        foreach (var unit in units)
        {
            if (!byCode.TryGetValue(unit.Code, out var existing))
            {
                created++;
            }
            else if (!Same(existing, unit))
            {
                updated++;
            }
        }
        if (created + updated > 0)
        {
            await SwitchToNewGenerationAsync(pointer, merged, cancellationToken);
            _cache.Invalidate();
        }
        return (new UnitImportResult(units.Count, created, updated, units.Count - created - updated), []);
    }

    private async Task SwitchToNewGenerationAsync(Pointer? pointer, List<Unit> merged, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        // Sortable by time, unique across instances.
        var generation = $"{now.UtcTicks:D19}{Guid.NewGuid():N}"[..27];
        var partition = PartitionOf(generation);
        try
        {
            foreach (var batch in merged.Select(u => new TableTransactionAction(TableTransactionActionType.Add, ToEntity(partition, u))).Chunk(100))
            {
                await _table.SubmitTransactionAsync(batch, cancellationToken);
            }
            var row = VersionStamp.NewRow(PointerPartition, PointerRow, now);
            row["Generation"] = generation;
            row["Previous"] = pointer?.Generation ?? LegacyGeneration;
            if (pointer is null)
            {
                await _table.AddEntityAsync(row, cancellationToken);
            }
            else
            {
                await _table.UpdateEntityAsync(row, pointer.ETag, TableUpdateMode.Replace, cancellationToken);
            }
        }
        catch (Exception failure) when (failure is RequestFailedException or OperationCanceledException)
        {
            // Nothing points at the new generation; take its rows away so they cost nothing (a crash leaves them unreferenced).
            await DeleteGenerationAsync(generation, keepPointer: true, CancellationToken.None);
            if (failure is RequestFailedException { Status: 409 or 412 })
            {
                throw new UnitImportConflictException();
            }
            throw;
        }
        // The generation before the one just replaced: no reader can still be on its way to it.
        if (pointer?.Previous is { } older)
        {
            await DeleteGenerationAsync(older, keepPointer: true, cancellationToken);
        }
    }

    private async Task DeleteGenerationAsync(string generation, bool keepPointer, CancellationToken cancellationToken)
    {
        try
        {
            var partition = PartitionOf(generation);
            var rows = new List<TableTransactionAction>();
            await foreach (var entity in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
            {
                if (!(keepPointer && entity.RowKey == PointerRow))
                {
                    rows.Add(new TableTransactionAction(TableTransactionActionType.Delete, entity, ETag.All));
                }
            }
            foreach (var batch in rows.Chunk(100))
            {
                await _table.SubmitTransactionAsync(batch, cancellationToken);
            }
        }
        catch (RequestFailedException)
        {
            // An unreferenced generation is harmless; the next import's clean-up takes it.
        }
    }

    private static string PartitionOf(string generation) =>
        generation.Length == 0 ? PointerPartition : $"{PointerPartition}-{generation}";

    private sealed record Pointer(string Generation, string? Previous, ETag ETag);

    private async Task<Pointer?> ReadPointerAsync(CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(PointerPartition, PointerRow, cancellationToken: cancellationToken);
        return row.HasValue
            ? new Pointer(row.Value!.GetString("Generation") ?? LegacyGeneration, row.Value.GetString("Previous"), row.Value.ETag)
            : null;
    }

    private Task<string?> ReadStampAsync(CancellationToken cancellationToken) =>
        VersionStamp.ReadAsync(_table, PointerPartition, PointerRow, cancellationToken);

    private async Task<UnitHierarchy> LoadAsync(CancellationToken cancellationToken)
    {
        var pointer = await ReadPointerAsync(cancellationToken);
        return new UnitHierarchy(await LoadGenerationAsync(pointer?.Generation ?? LegacyGeneration, cancellationToken));
    }

    private async Task<List<Unit>> LoadGenerationAsync(string generation, CancellationToken cancellationToken)
    {
        var units = new List<Unit>();
        await foreach (var entity in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {PartitionOf(generation)}"), maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            if (entity.RowKey != PointerRow)
            {
                units.Add(FromEntity(entity));
            }
        }
        return units;
    }

    private static bool Same(Unit a, Unit b) =>
        a with { Successors = [] } == b with { Successors = [] } && a.Successors.SequenceEqual(b.Successors);

    private static TableEntity ToEntity(string partition, Unit unit) => new(partition, unit.Code)
    {
        ["Name"] = unit.Name,
        ["Kind"] = unit.Kind,
        ["Parent"] = unit.Parent,
        ["ValidFrom"] = unit.ValidFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["ValidTo"] = unit.ValidTo?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["Successors"] = unit.Successors.Count == 0 ? null : JsonSerializer.Serialize([.. unit.Successors], UnitsJsonContext.Shared.ListSuccessor),
        ["GsoCode"] = unit.GsoCode,
    };

    private static Unit FromEntity(TableEntity e) => new(
        e.RowKey,
        e.GetString("Name"),
        e.GetString("Kind"),
        DateOnly.ParseExact(e.GetString("ValidFrom"), "yyyy-MM-dd", CultureInfo.InvariantCulture),
        e.GetString("Parent"),
        e.GetString("ValidTo") is { } to ? DateOnly.ParseExact(to, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
        e.GetString("Successors") is { } s ? JsonSerializer.Deserialize(s, UnitsJsonContext.Shared.ListSuccessor) : null,
        e.GetString("GsoCode"));
}
