using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using Qcdc.Json;
using Qcdc.Localization;

namespace Qcdc.Rollups;

/// <summary>
/// The compact layout of a snapshot (ADR-005). Eight bytes <c>QCDCSNAP</c>, a format byte, a compression byte and the
/// length of the body, then the body — stored as it is (the compression byte 0, what the store writes: the layout is
/// already compact and deflating it cost more time than it saved in transfer), or deflated (1, still read): a JSON header; the units (code, parent); completeness counts; for a
/// quarter each unit's report state and its own numbers, for a longer period its quarters and carried flags; the
/// aggregated numbers of every unit that has units below it (a quarter's other units aggregate to their own numbers);
/// the unit notes. A number section is a presence bitmap and each present number as one variable-length integer:
/// the zig-zag mantissa times 32 plus the decimal scale.
/// </summary>
public static partial class RollupSnapshotCodec
{
    private const byte Format = 2;
    private const byte Stored = 0;
    private const byte Deflated = 1;
    private static ReadOnlySpan<byte> Magic => "QCDCSNAP"u8;
    private static readonly long[] Powers = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];

    public static byte[] Encode(RollupSnapshot snapshot, CompressionLevel compression = CompressionLevel.NoCompression)
    {
        if (compression == CompressionLevel.NoCompression)
        {
            return EncodeStored(snapshot).ToArray();
        }
        var body = new ArrayBufferWriter<byte>(EstimatedLength(snapshot));
        Write(new Writer(body), snapshot);
        using var output = new MemoryStream(body.WrittenCount / 2 + 32);
        output.Write(Magic);
        output.WriteByte(Format);
        output.WriteByte(Deflated);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, body.WrittenCount);
        output.Write(length);
        using (var deflate = new DeflateStream(output, compression, leaveOpen: true))
        {
            deflate.Write(body.WrittenSpan);
        }
        return output.ToArray();
    }

    /// <summary>
    /// The snapshot as the store writes it (not compressed), header and body in the one buffer it was written into: a
    /// snapshot of a country is megabytes, and each copy of it is memory touched for the first time.
    /// </summary>
    public static ReadOnlyMemory<byte> EncodeStored(RollupSnapshot snapshot)
    {
        var header = Magic.Length + 6;
        var output = new ArrayBufferWriter<byte>(header + EstimatedLength(snapshot));
        var start = output.GetSpan(header);
        Magic.CopyTo(start);
        start[Magic.Length] = Format;
        start[Magic.Length + 1] = Stored;
        output.Advance(header);
        Write(new Writer(output), snapshot);
        var written = output.WrittenMemory;
        BinaryPrimitives.WriteInt32LittleEndian(MemoryMarshal.AsMemory(written).Span.Slice(Magic.Length + 2, 4), written.Length - header);
        return written;
    }

    private static int EstimatedLength(RollupSnapshot snapshot) => 64 * 1024 + snapshot.Units.Length * (snapshot.Schema.SlotCount * 3 + 24);

    public static RollupSnapshot Decode(ReadOnlyMemory<byte> blob)
    {
        var (body, rented) = Body(blob);
        try
        {
            return Read(new Reader(body.Span));
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    public static RollupSnapshot Decode(Stream blob)
    {
        using var buffer = new MemoryStream();
        blob.CopyTo(buffer);
        return Decode(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Write(Writer writer, RollupSnapshot s)
    {
        var header = new SnapshotHeader(Format, s.Form, s.Period, s.IsQuarter, s.ComputedAt, s.Stamp, s.Final,
            [.. s.Schema.Indicators.Select(i => i.Indicator)], [.. s.Schema.Notes.Select(n => new StoredText(n.En, n.Vi))], s.Units.Length, s.Schema.Versions);
        writer.Bytes(JsonSerializer.SerializeToUtf8Bytes(header, RollupsJsonContext.Shared.SnapshotHeader));
        var n = s.Units.Length;
        var slots = s.Schema.SlotCount;
        for (var u = 0; u < n; u++)
        {
            writer.String(s.Units[u]);
            writer.Int(s.Parents[u] + 1);
        }
        for (var u = 0; u < n; u++)
        {
            writer.Int(s.ExpectedCount[u]);
            writer.Int(s.ReportedCount[u]);
            writer.Int(s.OnTimeCount[u]);
            writer.Int(s.LateCount[u]);
        }
        var hasChildren = HasChildren(s.Parents);
        if (s.IsQuarter)
        {
            for (var u = 0; u < n; u++)
            {
                writer.Byte((byte)s.States[u]);
                writer.Byte((byte)((s.Expected[u] ? 1 : 0) | (s.Counted[u] ? 2 : 0) | (s.Late[u] ? 4 : 0) | (s.SubmittedAt[u] is null ? 0 : 8)));
                if (s.SubmittedAt[u] is { } at)
                {
                    writer.Long(at.UtcTicks);
                }
            }
            for (var u = 0; u < n; u++)
            {
                writer.Numbers(s.Own.AsSpan(u * slots, slots), s.OwnPresent.AsSpan(u * slots, slots));
            }
        }
        else
        {
            for (var u = 0; u < n; u++)
            {
                writer.Int(s.OwnQuartersExpected[u]);
                writer.Int(s.OwnQuartersReported[u]);
                writer.Byte(s.Apportioned[u] ? (byte)1 : (byte)0);
                writer.Bits(s.Carried.AsSpan(u * slots, slots));
            }
        }
        for (var u = 0; u < n; u++)
        {
            if (!s.IsQuarter || hasChildren[u])
            {
                writer.Numbers(s.Aggregate.AsSpan(u * slots, slots), s.AggregatePresent.AsSpan(u * slots, slots));
            }
        }
        writer.Int(s.Notes.Count);
        foreach (var (unit, notes) in s.Notes.OrderBy(n => n.Key))
        {
            writer.Int(unit);
            writer.Int(notes.Count);
            foreach (var note in notes)
            {
                writer.String(note.En);
                writer.String(note.Vi);
            }
        }
    }

    /// <summary>
    /// Feeds a quarter's snapshot straight from its bytes to a visitor (<see cref="QuarterFeed"/>), without building it
    /// in memory: what a longer period does with each of its quarters.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Feed(ReadOnlyMemory<byte> blob, IQuarterVisitor visitor)
    {
        var (body, rented) = Body(blob);
        try
        {
            var reader = new Reader(body.Span);
            var header = JsonSerializer.Deserialize(reader.Bytes(), RollupsJsonContext.Shared.SnapshotHeader)
                ?? throw new InvalidDataException("A rollup snapshot without a header.");
            if (!header.IsQuarter)
            {
                throw new InvalidDataException($"{header.Period} is not a quarter.");
            }
            var schema = RollupSchema.From(header.Indicators, [.. header.Notes.Select(n => new LocalizedText(n.En, n.Vi))], header.FormVersions);
            var n = header.Units;
            var slots = schema.SlotCount;
            var (units, parents, expectedCount, reported, onTime, late) = ReadUnits(ref reader, n);
            bool[] expected = new bool[n], counted = new bool[n];
            for (var u = 0; u < n; u++)
            {
                reader.Byte();
                var flags = reader.Byte();
                expected[u] = (flags & 1) != 0;
                counted[u] = (flags & 2) != 0;
                if ((flags & 8) != 0)
                {
                    reader.Long();
                }
            }
            visitor.Begin(new QuarterUnits(schema, units, parents, expected, counted, expectedCount, reported, onTime, late));
            var hasChildren = HasChildren(parents);
            Span<Int128> values = new Int128[slots];
            Span<bool> present = new bool[slots];
            for (var u = 0; u < n; u++)
            {
                reader.Numbers(values, present);
                if (counted[u])
                {
                    visitor.Own(u, values, present);
                }
                if (!hasChildren[u])
                {
                    visitor.Aggregate(u, values, present);
                }
            }
            for (var u = 0; u < n; u++)
            {
                if (hasChildren[u])
                {
                    reader.Numbers(values, present);
                    visitor.Aggregate(u, values, present);
                }
            }
            visitor.End();
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The body of a snapshot blob, inflated into a rented buffer when it was deflated.</summary>
    private static (ReadOnlyMemory<byte> Body, byte[]? Rented) Body(ReadOnlyMemory<byte> blob)
    {
        var span = blob.Span;
        if (span.Length < Magic.Length + 6 || !span[..Magic.Length].SequenceEqual(Magic))
        {
            throw new InvalidDataException("Not a rollup snapshot.");
        }
        if (span[Magic.Length] != Format)
        {
            throw new InvalidDataException($"Rollup snapshot format {span[Magic.Length]} is not readable here.");
        }
        var compression = span[Magic.Length + 1];
        var length = BinaryPrimitives.ReadInt32LittleEndian(span.Slice(Magic.Length + 2, 4));
        var payload = blob[(Magic.Length + 6)..];
        if (compression == Stored)
        {
            return (payload, null);
        }
        var body = ArrayPool<byte>.Shared.Rent(length);
        var segment = MemoryMarshal.TryGetArray(payload, out var array) ? array : new ArraySegment<byte>(payload.ToArray());
        using (var source = new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false))
        using (var deflate = new DeflateStream(source, CompressionMode.Decompress))
        {
            deflate.ReadExactly(body, 0, length);
        }
        return (body.AsMemory(0, length), body);
    }

    /// <summary>The part every snapshot starts with after its header: each unit with its parent, then its counts.</summary>
    private static (string[] Units, int[] Parents, int[] ExpectedCount, int[] Reported, int[] OnTime, int[] Late) ReadUnits(ref Reader reader, int n)
    {
        var units = new string[n];
        var parents = new int[n];
        for (var u = 0; u < n; u++)
        {
            units[u] = reader.String();
            parents[u] = reader.Int() - 1;
        }
        int[] expectedCount = new int[n], reported = new int[n], onTime = new int[n], late = new int[n];
        for (var u = 0; u < n; u++)
        {
            expectedCount[u] = reader.Int();
            reported[u] = reader.Int();
            onTime[u] = reader.Int();
            late[u] = reader.Int();
        }
        return (units, parents, expectedCount, reported, onTime, late);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static RollupSnapshot Read(Reader reader)
    {
        var header = JsonSerializer.Deserialize(reader.Bytes(), RollupsJsonContext.Shared.SnapshotHeader)
            ?? throw new InvalidDataException("A rollup snapshot without a header.");
        var schema = RollupSchema.From(header.Indicators, [.. header.Notes.Select(n => new LocalizedText(n.En, n.Vi))], header.FormVersions);
        var n = header.Units;
        var slots = schema.SlotCount;
        var quarter = header.IsQuarter;
        var (units, parents, expectedCount, reported, onTime, late) = ReadUnits(ref reader, n);
        // Numbers that are absent are written as zero below: the arrays need not be cleared first.
        var aggregate = GC.AllocateUninitializedArray<Int128>(n * slots);
        var aggregatePresent = new bool[n * slots];
        var states = quarter ? new ReportState[n] : [];
        var expected = quarter ? new bool[n] : [];
        var counted = quarter ? new bool[n] : [];
        var lateFlags = quarter ? new bool[n] : [];
        var submittedAt = quarter ? new DateTimeOffset?[n] : [];
        var own = quarter ? GC.AllocateUninitializedArray<Int128>(n * slots) : [];
        var ownPresent = quarter ? new bool[n * slots] : [];
        var ownExpected = quarter ? [] : new int[n];
        var ownReported = quarter ? [] : new int[n];
        var apportioned = quarter ? [] : new bool[n];
        var carried = quarter ? [] : new bool[n * slots];
        var hasChildren = HasChildren(parents);
        if (quarter)
        {
            for (var u = 0; u < n; u++)
            {
                states[u] = (ReportState)reader.Byte();
                var flags = reader.Byte();
                expected[u] = (flags & 1) != 0;
                counted[u] = (flags & 2) != 0;
                lateFlags[u] = (flags & 4) != 0;
                submittedAt[u] = (flags & 8) != 0 ? new DateTimeOffset(reader.Long(), TimeSpan.Zero) : null;
            }
            for (var u = 0; u < n; u++)
            {
                reader.Numbers(own.AsSpan(u * slots, slots), ownPresent.AsSpan(u * slots, slots));
            }
        }
        else
        {
            for (var u = 0; u < n; u++)
            {
                ownExpected[u] = reader.Int();
                ownReported[u] = reader.Int();
                apportioned[u] = reader.Byte() != 0;
                reader.Bits(carried.AsSpan(u * slots, slots));
            }
        }
        for (var u = 0; u < n; u++)
        {
            if (!quarter || hasChildren[u])
            {
                reader.Numbers(aggregate.AsSpan(u * slots, slots), aggregatePresent.AsSpan(u * slots, slots));
            }
            else
            {
                // A quarter's unit with nothing below it aggregates to its own numbers.
                own.AsSpan(u * slots, slots).CopyTo(aggregate.AsSpan(u * slots, slots));
                ownPresent.AsSpan(u * slots, slots).CopyTo(aggregatePresent.AsSpan(u * slots, slots));
            }
        }
        var notes = new Dictionary<int, IReadOnlyList<LocalizedText>>();
        for (var count = reader.Int(); count > 0; count--)
        {
            var unit = reader.Int();
            var list = new List<LocalizedText>();
            for (var k = reader.Int(); k > 0; k--)
            {
                list.Add(new LocalizedText(reader.String(), reader.String()));
            }
            notes[unit] = list;
        }
        return new RollupSnapshot
        {
            Form = header.Form,
            Period = header.Period,
            IsQuarter = quarter,
            ComputedAt = header.ComputedAt,
            Stamp = header.Stamp,
            Final = header.Final,
            Schema = schema,
            Units = units,
            Parents = parents,
            States = states,
            Expected = expected,
            Counted = counted,
            Late = lateFlags,
            SubmittedAt = submittedAt,
            Own = own,
            OwnPresent = ownPresent,
            Aggregate = aggregate,
            AggregatePresent = aggregatePresent,
            Carried = carried,
            Apportioned = apportioned,
            ExpectedCount = expectedCount,
            ReportedCount = reported,
            OnTimeCount = onTime,
            LateCount = late,
            OwnQuartersExpected = ownExpected,
            OwnQuartersReported = ownReported,
            Notes = notes,
        };
    }

    private static bool[] HasChildren(int[] parents)
    {
        var result = new bool[parents.Length];
        foreach (var parent in parents)
        {
            if (parent >= 0)
            {
                result[parent] = true;
            }
        }
        return result;
    }
}
