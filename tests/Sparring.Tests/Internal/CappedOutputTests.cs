using System.Text;
using Sparring.Internal;

namespace Sparring.Tests.Internal;

public class CappedOutputTests
{
    [Fact]
    public void ToText_InputWithinLimit_KeepsEverythingUntruncated()
    {
        // Arrange
        var output = new CappedOutput(10);

        // Act
        output.Append("0123"u8);
        output.Append("456789"u8);

        // Assert
        Assert.Equal("0123456789", output.ToText());
        Assert.False(output.Truncated);
        Assert.Equal(10, output.TotalBytes);
    }

    [Fact]
    public void ToText_OneByteOverLimit_KeepsHeadAndTailWithMarker()
    {
        // Arrange
        var output = new CappedOutput(10);

        // Act
        output.Append("0123456789X"u8);

        // Assert
        Assert.True(output.Truncated);
        Assert.Equal("01234\n[... sparring: 1 bytes of output omitted ...]\n6789X", output.ToText());
        Assert.Equal(11, output.TotalBytes);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(1000)]
    public void ToText_LargeInputInChunks_KeepsExactHeadAndTail(int chunkSize)
    {
        // Arrange
        var output = new CappedOutput(9);
        var input = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 100).Select(i => (char)('a' + (i % 26)))));

        // Act
        for (var offset = 0; offset < input.Length; offset += chunkSize)
        {
            output.Append(input.AsSpan(offset, Math.Min(chunkSize, input.Length - offset)));
        }

        // Assert: an odd limit gives the extra byte to the head.
        Assert.True(output.Truncated);
        Assert.Equal(100, output.TotalBytes);
        Assert.Equal("abcde\n[... sparring: 91 bytes of output omitted ...]\nstuv", output.ToText());
    }

    [Fact]
    public void ToText_ExactlyHeadPlusTailInManyAppends_IsNotTruncated()
    {
        // Arrange
        var output = new CappedOutput(8);

        // Act
        foreach (var b in "abcdefgh"u8.ToArray())
        {
            output.Append([b]);
        }

        // Assert
        Assert.False(output.Truncated);
        Assert.Equal("abcdefgh", output.ToText());
        Assert.DoesNotContain("omitted", output.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public void ToText_NothingAppended_IsEmpty()
    {
        // Arrange
        var output = new CappedOutput(16);

        // Act
        var text = output.ToText();

        // Assert
        Assert.Equal("", text);
        Assert.False(output.Truncated);
        Assert.Equal(0, output.TotalBytes);
    }

    [Fact]
    public void Append_TailOverwrittenRepeatedly_KeepsOnlyTheLastBytes()
    {
        // Arrange
        var output = new CappedOutput(4);

        // Act
        output.Append("HH"u8);
        output.Append("xxxxxxxxxx"u8);
        output.Append("y"u8);
        output.Append("Z1"u8);

        // Assert
        Assert.True(output.Truncated);
        Assert.Equal("HH\n[... sparring: 11 bytes of output omitted ...]\nZ1", output.ToText());
    }

    [Fact]
    public void Constructor_NegativeLimit_Throws()
    {
        // Arrange
        static CappedOutput Create() => new(-1);

        // Act
        var error = Record.Exception(Create);

        // Assert
        Assert.IsType<ArgumentOutOfRangeException>(error);
        Assert.Contains("limitBytes", error.Message, StringComparison.Ordinal);
        Assert.False(new CappedOutput(0).Truncated);
    }
}
