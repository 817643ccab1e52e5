using System.Text.Json;
using Sparring.Training;

namespace Sparring.Tests.Training;

public sealed class LossAggregationTests
{
    [Fact]
    public void WellKnownValues_VerlNames()
    {
        // Arrange, Act, Assert
        Assert.Equal("token-mean", LossAggregation.TokenMean.Value);
        Assert.Equal("seq-mean-token-sum", LossAggregation.SeqMeanTokenSum.Value);
        Assert.Equal("seq-mean-token-mean", LossAggregation.SeqMeanTokenMean.Value);
        Assert.Equal(LossAggregation.TokenMean, new LossAggregation("token-mean"));
    }

    [Fact]
    public void Json_UnknownMode_SurvivesRoundTrip()
    {
        // Arrange
        var mode = new LossAggregation("seq-mean-token-sum-norm");

        // Act
        var json = JsonSerializer.Serialize(mode);
        var back = JsonSerializer.Deserialize<LossAggregation>(json);

        // Assert
        Assert.Equal("\"seq-mean-token-sum-norm\"", json);
        Assert.Equal(mode, back);
        Assert.Equal("seq-mean-token-sum-norm", back.ToString());
    }

    [Fact]
    public void Constructor_Blank_Throws()
    {
        // Arrange, Act, Assert
        Assert.Throws<ArgumentException>(() => new LossAggregation(" "));
        Assert.Equal("", default(LossAggregation).ToString());
    }
}
