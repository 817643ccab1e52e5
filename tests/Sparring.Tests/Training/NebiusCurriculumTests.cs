using Sparring.Training;

namespace Sparring.Tests.Training;

public sealed class NebiusCurriculumTests
{
    [Fact]
    public void Select_SolveRates_KeepsAtMostTwoThirdsAndSolvedAtLeastOnce()
    {
        // Arrange
        var state = CurriculumStates.Of(
            0,
            ("two-of-three", 2, 3),   // exactly 2/3: kept
            ("four-of-six", 4, 6),    // exactly 2/3: kept
            ("seven-of-ten", 7, 10),  // 0.7 > 2/3: dropped
            ("three-of-four", 3, 4),  // dropped
            ("always", 5, 5),         // dropped
            ("never", 0, 5),          // never solved: dropped
            ("one-of-eight", 1, 8),   // kept
            ("new", 0, 0));           // unattempted: kept

        // Act
        var selected = Curricula.Nebius().Select(state);

        // Assert: ordinal order.
        Assert.Equal(["four-of-six", "new", "one-of-eight", "two-of-three"], selected);
        Assert.Equal("nebius", Curricula.Nebius().Name);
    }

    [Fact]
    public void Select_NeverSolvedKeptByOption_OnlyRateFilter()
    {
        // Arrange
        var state = CurriculumStates.Of(0, ("never", 0, 5), ("always", 3, 3));

        // Act
        var selected = Curricula.Nebius(new NebiusCurriculumOptions { DropNeverSolved = false }).Select(state);

        // Assert
        Assert.Equal(["never"], selected);
    }

    [Fact]
    public void Select_ImpossibleStats_Throws()
    {
        // Arrange
        var state = CurriculumStates.Of(0, ("bad", 4, 3));

        // Act
        var error = Assert.Throws<ArgumentException>(() => Curricula.Nebius().Select(state));

        // Assert
        Assert.Contains("'bad'", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Curricula.Nebius().Select(CurriculumStates.Of(-1)));
        Assert.Throws<ArgumentException>(() => Curricula.Nebius(new NebiusCurriculumOptions { MaxSolveRate = 1.5 }));
    }

    [Fact]
    public void Select_EmptyPool_Empty()
    {
        // Arrange, Act
        var selected = Curricula.Nebius().Select(CurriculumStates.Of(3));

        // Assert
        Assert.Empty(selected);
    }

    [Fact]
    public void ByName_EveryKnownName_GivesTheCurriculumOfThatNameAndAnUnknownOneIsRefused()
    {
        // Act
        var names = Curricula.Names.Select(n => Curricula.ByName(n).Name);
        var error = Assert.Throws<ArgumentException>(() => Curricula.ByName("easy-first"));

        // Assert
        Assert.Equal(["nebius", "swe-swiss", "kimi-dev"], names);
        Assert.Contains("known: nebius, swe-swiss, kimi-dev", error.Message, StringComparison.Ordinal);
    }
}
