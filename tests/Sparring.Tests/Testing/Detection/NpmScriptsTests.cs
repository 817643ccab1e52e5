using Sparring.Testing.Detection;

namespace Sparring.Tests.Testing.Detection;

public class NpmScriptsTests
{
    [Fact]
    public void Commands_OperatorsInsideQuotes_StayInTheWord()
    {
        // Arrange
        const string script = "eslint . && mocha \"test/**/*.js\" --grep 'a && b' | tee out.txt; echo done";

        // Act
        var commands = NpmScripts.Commands(script);

        // Assert
        Assert.Equal(4, commands.Count);
        Assert.Equal(["mocha", "\"test/**/*.js\"", "--grep", "'a && b'"], commands[1]);
        Assert.Equal(["echo", "done"], commands[3]);
    }

    [Theory]
    [InlineData("mocha", true)]
    [InlineData("./node_modules/.bin/mocha", true)]
    [InlineData("'mocha'", true)]
    [InlineData("mocha-foo", false)]
    [InlineData("--mocha", false)]
    public void Names_Word_TellsWhetherItRunsTheProgram(string word, bool expected)
    {
        // Arrange
        const string program = "mocha";

        // Act
        var names = NpmScripts.Names(word, program);

        // Assert
        Assert.Equal(expected, names);
    }

    [Fact]
    public void FindInvocation_DeepChainBeyondTheLimit_GivesUp()
    {
        // Arrange: test → s0 → s1 → … → s9 → tape.
        var scripts = new Dictionary<string, string> { ["test"] = "npm run s0", ["s9"] = "tape x.js" };
        for (var i = 0; i < 9; i++)
        {
            scripts[$"s{i}"] = $"npm run s{i + 1}";
        }

        // Act
        var found = NpmScripts.FindInvocation(scripts, (words, i) => NpmScripts.Names(words[i], "tape") ? 1 : 0);
        var near = NpmScripts.FindInvocation(new Dictionary<string, string> { ["test"] = "npm run s8", ["s8"] = "npm run s9", ["s9"] = "tape x.js" }, (words, i) => NpmScripts.Names(words[i], "tape") ? 1 : 0);

        // Assert
        Assert.Null(found);
        Assert.Equal(["x.js"], near);
    }
}
