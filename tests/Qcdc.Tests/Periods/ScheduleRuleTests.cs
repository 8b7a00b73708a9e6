using Qcdc.Forms;
using Qcdc.Periods;

namespace Qcdc.Tests.Periods;

public sealed class ScheduleRuleTests
{
    private static readonly ScheduleRule Rule = ScheduleRule.Decree09Default;

    [Fact]
    public void CommunesAreDueOneWorkingDayAfterTheCutOff()
    {
        // 14 Sept 2024 is a Saturday: the next working day is Monday 16 Sept.
        var schedule = Rule.For(Period.Quarter(2024, 3));
        Assert.Equal(new DateOnly(2024, 9, 16), schedule.DeadlineFor("commune"));
    }

    [Fact]
    public void ProvincialBodiesAreDueOnThe25thOfTheLastMonth()
    {
        var schedule = Rule.For(Period.Quarter(2024, 3));
        Assert.Equal(new DateOnly(2024, 9, 25), schedule.DeadlineFor("agency"));
        Assert.Equal(new DateOnly(2024, 9, 25), schedule.DeadlineFor("province"));
    }

    [Fact]
    public void DistrictsAreDueThreeWorkingDaysAfterTheCutOff()
    {
        // 14 June 2024 is a Friday: Mon 17, Tue 18, Wed 19.
        Assert.Equal(new DateOnly(2024, 6, 19), Rule.For(Period.Quarter(2024, 2)).DeadlineFor("district"));
    }

    [Fact]
    public void APeriodLocksTheConfiguredDaysAfterItsLatestDeadline()
    {
        var schedule = Rule.For(Period.Quarter(2024, 3));
        Assert.Equal(new DateOnly(2024, 10, 25), schedule.LockDate);
        Assert.False(schedule.IsLockedOn(new DateOnly(2024, 10, 25)));
        Assert.True(schedule.IsLockedOn(new DateOnly(2024, 10, 26)));
    }

    [Fact]
    public void APeriodIsOpenFromItsDataStartUntilItLocks()
    {
        var schedule = Rule.For(Period.Quarter(2024, 3));
        Assert.False(schedule.IsOpenOn(new DateOnly(2024, 6, 14)));
        Assert.True(schedule.IsOpenOn(new DateOnly(2024, 6, 15)));
        Assert.True(schedule.IsOpenOn(new DateOnly(2024, 10, 25)));
        Assert.False(schedule.IsOpenOn(new DateOnly(2024, 10, 26)));
    }

    [Fact]
    public void ADeadlineDayBeyondTheMonthFallsOnItsLastDay()
    {
        var rule = new ScheduleRule(new Dictionary<string, DeadlineRule> { ["default"] = new(DayOfLastMonth: 31) }, 10);
        Assert.Equal(new DateOnly(2024, 6, 30), rule.For(Period.Quarter(2024, 2)).DeadlineFor("commune"));
    }

    [Fact]
    public void VietnamDatesAreSevenHoursAheadOfUtc()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2024, 9, 30, 17, 30, 0, TimeSpan.Zero));
        Assert.Equal(new DateOnly(2024, 10, 1), VietnamTime.Today(time));
    }
}
