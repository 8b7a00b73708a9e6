using FsCheck;
using FsCheck.Fluent;
using Qcdc.Seeds;
using Qcdc.Tests.Infrastructure;
using Qcdc.Units;

namespace Qcdc.Tests.Units;

public sealed class UnitHierarchyTests
{
    private static readonly DateOnly Before = new(2024, 12, 31);
    private static readonly DateOnly After = new(2025, 7, 1);

    private static UnitHierarchy Seeds() =>
        new(SeedFiles.ReadUnitsAsync(Path.Combine(AzuriteFixture.RepositoryRoot, "seeds"), CancellationToken.None).GetAwaiter().GetResult().Units);

    [Fact]
    public void TheSeededProvinceIsValid() => Assert.Empty(UnitValidation.Validate([.. Seeds().All]));

    [Fact]
    public void SeededNamesAreVietnameseInUnicodeNfc()
    {
        var names = Seeds().All.Select(u => u.Name).ToList();
        Assert.All(names, n => Assert.True(n.IsNormalized(System.Text.NormalizationForm.FormC), n));
        Assert.Contains("Xã Nùng Nàng", names);
        Assert.All(SeedData.Forms().SelectMany(f => f.Indicators), i => Assert.True(i.Label.IsNormalized(System.Text.NormalizationForm.FormC), i.Label));
    }

    [Fact]
    public void BeforeJuly2025CommunesSitUnderTheirDistrict()
    {
        var hierarchy = Seeds();
        Assert.Equal(["LC-TDG", "LC"], hierarchy.Ancestry("LC-TDG-08", Before).Select(u => u.Code));
        Assert.True(hierarchy.ChildrenAsOf("LC-TDG", Before).Count(u => u.Kind == "commune") >= 12);
        Assert.DoesNotContain(hierarchy.ChildrenAsOf("LC", Before), u => u.Code.StartsWith("LC-X-", StringComparison.Ordinal));
    }

    [Fact]
    public void FromJuly2025DistrictsAreGoneAndTheMergedCommunesSitUnderTheProvince()
    {
        var hierarchy = Seeds();
        var children = hierarchy.ChildrenAsOf("LC", After);
        Assert.DoesNotContain(children, u => u.Kind == "district");
        Assert.Contains(children, u => u.Code == "LC-X-BINHLU");
        Assert.Empty(hierarchy.ChildrenAsOf("LC-TDG", After));
        Assert.False(hierarchy.Find("LC-TDG-08")!.IsActiveOn(After));
    }

    [Fact]
    public void ASplitCommuneNamesEachSuccessorWithItsShare()
    {
        var hierarchy = Seeds();
        var split = hierarchy.Find("LC-TDG-08")!;
        Assert.Equal(1m, split.Successors.Sum(s => s.Share));
        Assert.Contains(hierarchy.Predecessors("LC-X-SONBINH"), p => p.Code == "LC-TDG-08");
        Assert.Contains(hierarchy.Predecessors("LC-X-BINHLU"), p => p.Code == "LC-TDG-08");
        Assert.Equal(3, hierarchy.Predecessors("LC-X-TALENG").Count);
    }

    [Fact]
    public void ASuccessorMayReuseThePredecessorsGsoCodeButNotAtTheSameTime()
    {
        var hierarchy = Seeds();
        var reused = hierarchy.All.GroupBy(u => u.GsoCode).Where(g => g.Key is not null && g.Count() > 1).ToList();
        Assert.NotEmpty(reused);
        Assert.All(reused, g => Assert.Single(g, u => u.IsActiveOn(After)));
    }

    [Fact]
    public void AgenciesAndEnterprisesAttachAtAnyLevel()
    {
        var hierarchy = Seeds();
        Assert.Contains(hierarchy.ChildrenAsOf("LC", After), u => u.Kind == "agency");
        Assert.Contains(hierarchy.ChildrenAsOf("LC", After), u => u.Kind == "state-enterprise");
        Assert.Contains(hierarchy.ChildrenAsOf("LC", After), u => u.Kind == "private-enterprise");
        Assert.Contains(hierarchy.ChildrenAsOf("LC-TDG", Before), u => u.Kind == "agency");
    }

    [Fact]
    public void TheSubtreeFollowsTheHierarchyOfTheDate()
    {
        var hierarchy = Seeds();
        Assert.Contains(hierarchy.SubtreeAsOf("LC", Before), u => u.Code == "LC-TDG-08");
        Assert.DoesNotContain(hierarchy.SubtreeAsOf("LC", After), u => u.Code == "LC-TDG-08");
        Assert.True(hierarchy.IsInSubtree("LC-TDG-08", "LC", Before));
        Assert.False(hierarchy.IsInSubtree("LC-TDG-08", "LC-TUY", Before));
        Assert.Empty(hierarchy.SubtreeAsOf("LC-TDG", After));
    }

    [Fact]
    public void AsOfAnyDateEveryActiveUnitReachesARootWithoutCycleOrOrphan()
    {
        var hierarchy = Seeds();
        Prop.ForAll(Gen.Choose(0, 365 * 20).ToArbitrary(), offset =>
        {
            var date = new DateOnly(2008, 1, 1).AddDays(offset);
            var active = hierarchy.All.Where(u => u.IsActiveOn(date)).ToList();
            var fromRoots = hierarchy.RootsAsOf(date).SelectMany(r => hierarchy.SubtreeAsOf(r.Code, date)).Select(u => u.Code).ToList();
            return fromRoots.Count == fromRoots.Distinct().Count()
                && fromRoots.Order().SequenceEqual(active.Select(u => u.Code).Order())
                && active.All(u => u.Parent is null || hierarchy.Find(u.Parent)!.IsActiveOn(date));
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void RandomValidTreesHaveNoCyclesOrOrphansAsOfAnyDate() =>
        Prop.ForAll(Gen.ListOf(Gen.Choose(0, 1000)).ToArbitrary(), seeds =>
        {
            // Unit i's parent is an earlier unit, with a validity inside its parent's: always valid, never cyclic.
            var units = new List<Unit>();
            var start = new DateOnly(2000, 1, 1);
            for (var i = 0; i < seeds.Count; i++)
            {
                var parent = i == 0 ? null : units[seeds[i] % i];
                var from = parent is null ? start : parent.ValidFrom.AddDays(seeds[i] % 50);
                if (parent?.ValidTo is { } parentEnd && from > parentEnd)
                {
                    from = parentEnd;
                }
                DateOnly? to = parent?.ValidTo ?? (seeds[i] % 3 == 0 ? from.AddDays(seeds[i]) : null);
                units.Add(new Unit($"U{i}", $"Đơn vị {i}", "commune", from, parent?.Code, to));
            }
            var hierarchy = new UnitHierarchy(units);
            return UnitValidation.Validate(units).Count == 0
                && Enumerable.Range(0, 40).Select(d => start.AddDays(d * 30)).All(date =>
                    hierarchy.All.Where(u => u.IsActiveOn(date)).All(u =>
                        !hierarchy.Ancestry(u.Code, date).Any(a => a.Code == u.Code)
                        && (u.Parent is null || hierarchy.Find(u.Parent)!.IsActiveOn(date))));
        }).QuickCheckThrowOnFailure();
}
