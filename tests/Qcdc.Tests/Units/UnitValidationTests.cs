using Qcdc.Units;

namespace Qcdc.Tests.Units;

public sealed class UnitValidationTests
{
    private static readonly DateOnly Start = new(2008, 1, 1);
    private static readonly DateOnly End = new(2025, 6, 30);

    private static Unit Province => new("P", "Tỉnh", "province", Start);

    private static IReadOnlyList<Qcdc.Problems.FieldProblem> Problems(params Unit[] units) => UnitValidation.Validate(units);

    [Fact]
    public void AnUnknownParentIsNamed() =>
        Assert.Contains(Problems(Province, new Unit("C1", "Xã", "commune", Start, "NOPE")), p => p.Code == "C1" && p.Field.EndsWith(".parent", StringComparison.Ordinal));

    [Fact]
    public void ACycleIsNamedForEveryUnitInIt()
    {
        var problems = Problems(new Unit("A", "A", "district", Start, "B"), new Unit("B", "B", "district", Start, "A"));
        Assert.Contains(problems, p => p.Code == "A" && p.Message.En.Contains("cycle", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Code == "B" && p.Message.En.Contains("cycle", StringComparison.Ordinal));
    }

    [Fact]
    public void ADuplicateCodeIsNamed() =>
        Assert.Contains(Problems(Province, Province), p => p.Code == "P" && p.Field.EndsWith(".code", StringComparison.Ordinal));

    [Theory]
    [InlineData("p1")]
    [InlineData("A/B")]
    [InlineData("A B")]
    [InlineData("")]
    [InlineData("X12345678901234567890123456789012345678901")]
    public void ABadCodeIsNamed(string code) =>
        Assert.Contains(Problems(new Unit(code, "X", "province", Start)), p => p.Field.EndsWith(".code", StringComparison.Ordinal));

    [Fact]
    public void AChildValidOutsideItsParentsValidityIsRefused() =>
        Assert.Contains(Problems(new Unit("D", "Huyện", "district", Start, null, End), new Unit("C", "Xã", "commune", Start, "D")),
            p => p.Code == "C" && p.Field.EndsWith(".validFrom", StringComparison.Ordinal));

    [Fact]
    public void ValidityEndingBeforeItStartsIsRefused() =>
        Assert.Contains(Problems(new Unit("P", "Tỉnh", "province", End, null, Start)), p => p.Field.EndsWith(".validTo", StringComparison.Ordinal));

    [Fact]
    public void AGsoCodeUsedByTwoUnitsAtOnceIsRefused() =>
        Assert.Contains(Problems(new Unit("A", "A", "province", Start, GsoCode: "12"), new Unit("B", "B", "province", Start, GsoCode: "12")),
            p => p.Field.EndsWith(".gsoCode", StringComparison.Ordinal));

    [Fact]
    public void AGsoCodeReusedAfterTheFirstUnitEndedIsAccepted() =>
        Assert.Empty(Problems(
            new Unit("A", "A", "province", Start, null, End, [new Successor("B")], "12"),
            new Unit("B", "B", "province", End.AddDays(1), GsoCode: "12")));

    [Fact]
    public void SharesMustAddUpToOne() =>
        Assert.Contains(Problems(
            Province,
            new Unit("OLD", "Cũ", "commune", Start, "P", End, [new Successor("N1", 0.5m), new Successor("N2", 0.3m)]),
            new Unit("N1", "Mới 1", "commune", End.AddDays(1), "P"),
            new Unit("N2", "Mới 2", "commune", End.AddDays(1), "P")), p => p.Code == "OLD" && p.Field.EndsWith(".successors", StringComparison.Ordinal));

    [Fact]
    public void ASuccessorMustBeActiveTheDayAfterThePredecessorEnds() =>
        Assert.Contains(Problems(
            Province,
            new Unit("OLD", "Cũ", "commune", Start, "P", End, [new Successor("N1")]),
            new Unit("N1", "Mới", "commune", End.AddDays(30), "P")), p => p.Code == "OLD" && p.Field.EndsWith(".successors", StringComparison.Ordinal));

    [Fact]
    public void AnUnknownKindIsNamed() =>
        Assert.Contains(Problems(new Unit("P", "Tỉnh", "planet", Start)), p => p.Field.EndsWith(".kind", StringComparison.Ordinal));

    [Fact]
    public void EveryProblemOfAFileIsReportedAtOnce()
    {
        var problems = Problems(Province, Province, new Unit("c", "x", "commune", Start, "P"), new Unit("C2", "x", "commune", Start, "NOPE"));
        Assert.True(problems.Select(p => (p.Code, p.Field)).Distinct().Count() >= 3);
    }
}
