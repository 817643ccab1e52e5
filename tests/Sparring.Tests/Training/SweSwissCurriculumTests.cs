using Sparring.Training;

namespace Sparring.Tests.Training;

public sealed class SweSwissCurriculumTests
{
    [Fact]
    public void Select_SolveRates_DropsAboveNinetyPercent()
    {
        // Arrange
        var state = CurriculumStates.Of(
            0,
            ("nine-of-ten", 9, 10),          // exactly 90%: kept
            ("eighteen-of-twenty", 18, 20),  // exactly 90%: kept
            ("nineteen-of-twenty", 19, 20),  // 95%: dropped
            ("always", 4, 4),                // dropped
            ("never", 0, 4),                 // never solved: kept (SWE-Swiss only drops the easy end)
            ("new", 0, 0));                  // unattempted: kept

        // Act
        var selected = Curricula.SweSwiss().Select(state);

        // Assert
        Assert.Equal(["eighteen-of-twenty", "never", "new", "nine-of-ten"], selected);
        Assert.Equal("swe-swiss", Curricula.SweSwiss().Name);
    }

    [Fact]
    public void Select_CustomThreshold_Honoured()
    {
        // Arrange
        var state = CurriculumStates.Of(0, ("half", 1, 2), ("most", 3, 4));

        // Act
        var selected = Curricula.SweSwiss(new SweSwissCurriculumOptions { MaxSolveRate = 0.5 }).Select(state);

        // Assert
        Assert.Equal(["half"], selected);
    }
}
