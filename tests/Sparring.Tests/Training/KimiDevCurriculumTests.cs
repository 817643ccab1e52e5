using Sparring.Training;

namespace Sparring.Tests.Training;

public sealed class KimiDevCurriculumTests
{
    private static readonly KimiDevCurriculumOptions Small = new() { HardChunkSize = 2, ChunkInterval = 10, ReplayFromStep = 50, ReplayCount = 2 };

    private static (string, int, int)[] Pool() =>
    [
        ("easy-a", 1, 16),
        ("easy-b", 16, 16),
        ("easy-c", 3, 16),
        ("hard-1", 0, 16),
        ("hard-2", 0, 16),
        ("hard-3", 0, 16),
        ("hard-4", 0, 16),
        ("new-5", 0, 0),
    ];

    [Fact]
    public void Defaults_ThePapersChunkSchedule()
    {
        // Arrange, Act
        var options = new KimiDevCurriculumOptions();

        // Assert
        Assert.Equal(500, options.HardChunkSize);
        Assert.Equal(100, options.ChunkInterval);
        Assert.Equal("kimi-dev", Curricula.KimiDev().Name);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(9, 0)]
    [InlineData(10, 2)]
    [InlineData(19, 2)]
    [InlineData(20, 4)]

    // Five hard tasks (the unattempted one counts as hard): the third chunk is cut short.
    [InlineData(30, 5)]
    [InlineData(45, 5)]
    public void Select_Step_EasyTasksPlusOneChunkPerInterval(int step, int hardCount)
    {
        // Arrange
        var curriculum = Curricula.KimiDev(Small);

        // Act
        var selected = curriculum.Select(CurriculumStates.Of(step, Pool()));

        // Assert
        Assert.Equal(["easy-a", "easy-b", "easy-c"], selected.Take(3));
        Assert.Equal(hardCount, selected.Count - 3);
        Assert.All(selected.Skip(3), id => Assert.False(id.StartsWith("easy", StringComparison.Ordinal)));
        Assert.Equal(selected.Count, selected.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Select_LaterChunks_ExtendEarlierOnesWhateverTheRandom()
    {
        // Arrange
        var curriculum = Curricula.KimiDev(Small);

        // Act
        var atK = curriculum.Select(CurriculumStates.Of(10, new Random(1), Pool())).Skip(3).ToList();
        var at2K = curriculum.Select(CurriculumStates.Of(20, new Random(2), Pool())).Skip(3).ToList();
        var seeded = Curricula.KimiDev(Small with { Seed = 7 });
        var otherSeedAtK = seeded.Select(CurriculumStates.Of(10, Pool())).Skip(3).ToList();
        var otherSeedAll = seeded.Select(CurriculumStates.Of(40, Pool())).Skip(3).ToList();

        // Assert: the chunk of step K is still the first chunk at 2K; a seed only changes the admission order.
        Assert.Equal(atK, at2K.Take(2));
        Assert.Equal(4, at2K.Count);
        Assert.NotEqual(atK, otherSeedAtK);
        Assert.Equal(otherSeedAtK, otherSeedAll.Take(2));
        Assert.Equal(["hard-1", "hard-2", "hard-3", "hard-4", "new-5"], otherSeedAll.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Select_AdmittedHardTaskGetsSolved_MovesToEasyAndNextHardFillsIn()
    {
        // Arrange
        var curriculum = Curricula.KimiDev(Small);
        var before = curriculum.Select(CurriculumStates.Of(10, Pool())).Skip(3).ToList();
        var pool = Pool().Select(t => t.Item1 == before[0] ? (t.Item1, 1, 17) : t).ToArray();

        // Act
        var after = curriculum.Select(CurriculumStates.Of(10, pool));

        // Assert
        Assert.Contains(before[0], after.Take(4));
        Assert.Equal(before[1], after[4]);
        Assert.Equal(6, after.Count);
    }

    [Fact]
    public void Select_ReplayPhase_AppendsEarlierSuccessesFromStepL()
    {
        // Arrange
        var curriculum = Curricula.KimiDev(Small);

        // Act
        var justBefore = curriculum.Select(CurriculumStates.Of(49, Pool()));
        var atL = curriculum.Select(CurriculumStates.Of(50, new Random(3), Pool()));
        var again = curriculum.Select(CurriculumStates.Of(50, new Random(3), Pool()));

        // Assert: 3 easy + 5 hard, then 2 distinct replayed successes; the same seed replays the same ones.
        Assert.Equal(8, justBefore.Count);
        Assert.Equal(10, atL.Count);
        Assert.Equal(justBefore, atL.Take(8));
        var replayed = atL.Skip(8).ToList();
        Assert.All(replayed, id => Assert.StartsWith("easy", id, StringComparison.Ordinal));
        Assert.Equal(2, replayed.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(atL, again);
    }

    [Fact]
    public void Select_ReplayCountAboveSuccesses_ReplaysEachOnce()
    {
        // Arrange
        var curriculum = Curricula.KimiDev(Small with { ReplayCount = 10, ReplayFromStep = 0 });

        // Act
        var selected = curriculum.Select(CurriculumStates.Of(0, Pool()));

        // Assert
        Assert.Equal(["easy-a", "easy-b", "easy-c"], selected.Skip(3).Order(StringComparer.Ordinal));
        Assert.Equal(6, selected.Count);
    }

    [Fact]
    public void Select_NothingAttemptedYet_EmptyUntilFirstChunk()
    {
        // Arrange: without a pass@k pre-pass no task is known to be easy; unattempted tasks wait as hard ones.
        var curriculum = Curricula.KimiDev(Small);

        // Act
        var atZero = curriculum.Select(CurriculumStates.Of(0, ("a", 0, 0), ("b", 0, 0), ("c", 0, 0)));
        var atK = curriculum.Select(CurriculumStates.Of(10, ("a", 0, 0), ("b", 0, 0), ("c", 0, 0)));

        // Assert
        Assert.Empty(atZero);
        Assert.Equal(2, atK.Count);
    }

    [Fact]
    public void KimiDev_BadOptions_Throw()
    {
        // Arrange, Act, Assert
        Assert.Throws<ArgumentException>(() => Curricula.KimiDev(Small with { HardChunkSize = 0 }));
        Assert.Throws<ArgumentException>(() => Curricula.KimiDev(Small with { ChunkInterval = 0 }));
        Assert.Throws<ArgumentException>(() => Curricula.KimiDev(Small with { ReplayCount = -1 }));
    }
}
