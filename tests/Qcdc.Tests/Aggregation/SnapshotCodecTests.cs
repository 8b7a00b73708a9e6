using System.IO.Compression;
using Qcdc.Rollups;
using Qcdc.Tests.Infrastructure;
using Qcdc.Units;

namespace Qcdc.Tests.Aggregation;

/// <summary>The snapshot layout keeps every number exactly, stored or deflated, and refuses what is not a snapshot.</summary>
public sealed class SnapshotCodecTests
{
    private static readonly DateOnly Start = new(2008, 1, 1);

    private static RollupSnapshot Quarter() => new RollupEngine(new UnitHierarchy(
        [
            new Unit("P", "Tỉnh", "province", Start),
            new Unit("C1", "Xã 1", "commune", Start, "P"),
            new Unit("C2", "Xã 2", "commune", Start, "P"),
        ]), SeedData.QuarterlyForm())
        .Report("2024Q3", "C1", """{"docs_issued": 0, "land_area": 894948.25, "donation_value": 999999999999999999, "income_per_capita": 38800000}""")
        .Report("2024Q3", "C2", """{"docs_issued": 7, "land_area": 0.000001, "donation_value": 1, "cadres_briefed": {"numerator": 3, "denominator": 4}}""")
        .Snapshot("2024Q3");

    [Fact]
    public void EveryNumberComesBackExactlyStoredOrDeflated()
    {
        var snapshot = Quarter();
        var stored = RollupSnapshotCodec.Decode(RollupSnapshotCodec.Encode(snapshot));
        var deflated = RollupSnapshotCodec.Decode(RollupSnapshotCodec.Encode(snapshot, CompressionLevel.Fastest));

        var province = RollupViews.ForUnit(new RollupRead(stored, false), "P", UnitHierarchy.Empty).Values;
        Assert.Equal(894_948.250001m, province.Number("land_area"));
        Assert.Equal(1_000_000_000_000_000_000m, province.Number("donation_value")); // beyond 60 bits of millionths
        Assert.Equal(7m, province.Number("docs_issued"));
        Assert.Equal(snapshot.Aggregate, stored.Aggregate);
        Assert.Equal(snapshot.Own, deflated.Own);
        Assert.Equal(snapshot.AggregatePresent, deflated.AggregatePresent);
        Assert.Equal(RollupSnapshotCodec.Encode(stored), RollupSnapshotCodec.Encode(deflated));
    }

    [Fact]
    public void NegativeNumbersAndZerosRoundTrip()
    {
        var values = new Int128[] { 0, -1, 1, -57_000_000, Micro.From(-0.000001m), Int128.MaxValue / 2, Int128.MinValue / 2 };
        foreach (var value in values)
        {
            var snapshot = Quarter();
            snapshot.Aggregate[0] = value;
            snapshot.AggregatePresent[0] = true;
            Assert.Equal(value, RollupSnapshotCodec.Decode(RollupSnapshotCodec.Encode(snapshot)).Aggregate[0]);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("QCDCSNAP")]
    [InlineData("not a snapshot at all, just text")]
    public void WhatIsNotASnapshotIsRefused(string content) =>
        Assert.Throws<InvalidDataException>(() => RollupSnapshotCodec.Decode(System.Text.Encoding.UTF8.GetBytes(content)));

    [Theory]
    [InlineData("0", "0")]
    [InlineData("12.5", "12500000")]
    [InlineData("-0.000001", "-1")]
    [InlineData("1e3", "1000000000")]
    [InlineData("1000000000000000000", "1000000000000000000000000")]
    public void JsonNumbersBecomeMillionths(string text, string micro)
    {
        Assert.True(Micro.TryParse(System.Text.Encoding.UTF8.GetBytes(text), out var parsed));
        Assert.Equal(Int128.Parse(micro, System.Globalization.CultureInfo.InvariantCulture), parsed);
    }
}
