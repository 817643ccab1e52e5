using Sparring.Testing;
using Sparring.TestUtilities;

namespace Sparring.Tests.Testing;

public sealed class ToolchainsTests
{
    [Fact]
    public void For_EachDetectedRunner_NamesItsDebianPackages()
    {
        // Arrange
        using var python = new TempDirectory();
        python.Write("test_a.py", "");
        using var go = new TempDirectory();
        go.Write("go.mod", "module x\n");
        using var node = new TempDirectory();
        node.Write("package.json", """{"devDependencies":{"mocha":"10"}}""");

        // Act
        var forPython = Toolchains.For(TestRunnerDetector.Detect(python.Path));
        var forGo = Toolchains.For(TestRunnerDetector.Detect(go.Path));
        var forNode = Toolchains.For(TestRunnerDetector.Detect(node.Path));

        // Assert
        Assert.Contains(forPython, r => r.DebianPackage == "python3-pytest");
        Assert.Contains(forPython, r => r.DebianPackage == "bubblewrap");
        Assert.Contains(forGo, r => r.DebianPackage == "golang-go");
        Assert.DoesNotContain(forGo, r => r.DebianPackage == "python3-pytest");
        Assert.Contains(forNode, r => r.DebianPackage == "nodejs");
        Assert.Contains(forNode, r => r.DebianPackage == "npm");
    }

    [Fact]
    public async Task MissingAsync_FailingCheck_IsReportedWithTheInstallCommand()
    {
        // Arrange
        var present = new ToolRequirement("sh", "command -v sh", "dash");
        var absent = new ToolRequirement("frobnicator", "command -v frobnicator-that-does-not-exist", "frobnicator-tools");

        // Act
        var missing = await Toolchains.MissingAsync([present, absent]);

        // Assert
        Assert.Equal([absent], missing);
        Assert.Equal("sudo apt-get install -y frobnicator-tools", Toolchains.InstallCommand(missing));
    }

    [Fact]
    public async Task MissingAsync_SameChecksTwice_AFoundProgramIsCheckedOnceAMissingOneEveryTime()
    {
        // Arrange: each check leaves a line behind when it runs.
        using var scratch = new TempDirectory();
        var found = Path.Combine(scratch.Path, "found");
        var absent = Path.Combine(scratch.Path, "absent");
        var present = new ToolRequirement("sh", $"echo >> '{found}' && command -v sh", "dash");
        var missing = new ToolRequirement("frobnicator", $"echo >> '{absent}' && command -v frobnicator-that-does-not-exist", "frobnicator-tools");

        // Act
        await Toolchains.MissingAsync([present, missing]);
        var second = await Toolchains.MissingAsync([present, missing]);

        // Assert
        Assert.Equal([missing], second);
        Assert.Single(File.ReadAllLines(found));
        Assert.Equal(2, File.ReadAllLines(absent).Length);
    }

    [Fact]
    public async Task MissingAsync_AFileOfThePackageExists_TheCheckCommandDoesNotRun()
    {
        // Arrange: the check would fail, and leaves a line behind when it runs.
        using var scratch = new TempDirectory();
        var ran = Path.Combine(scratch.Path, "ran");
        scratch.Write("pkg/__init__.py", "");
        var installed = new ToolRequirement("frobnicator", $"echo >> '{ran}' && false", "frobnicator-tools")
        {
            FoundIfAnyExists = [Path.Combine(scratch.Path, "absent/__init__.py"), Path.Combine(scratch.Path, "pkg/__init__.py")],
        };
        var notInstalled = new ToolRequirement("frobnicator2", $"echo >> '{ran}' && false", "frobnicator-tools") { FoundIfAnyExists = [Path.Combine(scratch.Path, "absent/__init__.py")] };

        // Act
        var missing = await Toolchains.MissingAsync([installed, notInstalled]);

        // Assert: only the one without its files ran its check.
        Assert.Equal([notInstalled], missing);
        Assert.Single(File.ReadAllLines(ran));
    }

    [Theory]
    [InlineData("prog", "755")]
    [InlineData("prog", "644")]
    [InlineData("absent", "755")]
    [InlineData("dir", "755")]
    public async Task MissingAsync_TestMinusX_AnswersAsBashDoes(string name, string mode)
    {
        // Arrange
        using var scratch = new TempDirectory();
        scratch.Write("prog", "#!/bin/sh\n");
        Directory.CreateDirectory(Path.Combine(scratch.Path, "dir"));
        File.SetUnixFileMode(Path.Combine(scratch.Path, "prog"), (UnixFileMode)Convert.ToInt32(mode, 8));
        var path = Path.Combine(scratch.Path, name);
        var direct = new ToolRequirement(name, $"test -x {path}", null);
        var throughBash = new ToolRequirement(name, $"true && test -x {path}", null);

        // Act
        var missing = await Toolchains.MissingAsync([direct, throughBash]);

        // Assert
        Assert.Equal(missing.Contains(throughBash), missing.Contains(direct));
    }

    [Theory]
    [InlineData("sh")]
    [InlineData("git")]
    [InlineData("frobnicator-that-does-not-exist")]
    [InlineData("/bin/sh")]
    [InlineData("$SHELL")]
    public async Task MissingAsync_CommandMinusV_AnswersAsBashDoes(string name)
    {
        // Arrange
        var direct = new ToolRequirement(name, $"command -v {name}", null);
        var throughBash = new ToolRequirement(name, $"true && command -v {name}", null);

        // Act
        var missing = await Toolchains.MissingAsync([direct, throughBash]);

        // Assert
        Assert.Equal(missing.Contains(throughBash), missing.Contains(direct));
    }

    [Fact]
    public void For_PnpmLockedRepository_NeedsPnpmFromNpmAndNpmToInstallIt()
    {
        // Arrange
        using var node = new TempDirectory();
        node.Write("package.json", """{"devDependencies":{"mocha":"10"}}""");
        node.Write("pnpm-lock.yaml", "lockfileVersion: '9.0'\n");

        // Act
        var needs = Toolchains.For(TestRunnerDetector.Detect(node.Path));
        var pnpm = Assert.Single(needs, r => r.Program == "pnpm");

        // Assert
        Assert.Null(pnpm.DebianPackage);
        Assert.Equal("pnpm@10", pnpm.NpmPackage);
        Assert.Contains(needs, r => r.DebianPackage == "npm");
        Assert.Equal("sudo apt-get install -y npm && sudo npm install -g pnpm@10", Toolchains.InstallCommand([needs.First(r => r.DebianPackage == "npm"), pnpm]));
    }
}
