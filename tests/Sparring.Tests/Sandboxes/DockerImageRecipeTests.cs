using Sparring.Sandboxes;
using Sparring.TestUtilities;

namespace Sparring.Tests.Sandboxes;

/// <summary>What names a base image: the same recipe the same tag, any change a new one.</summary>
public sealed class DockerImageRecipeTests
{
    private static readonly DockerImageRecipe Recipe = new() { Suite = "bookworm", Mirror = "http://deb.debian.org/debian", Packages = ["python3", "git"] };

    [Fact]
    public void Reference_PackagesInAnotherOrder_IsTheSame()
    {
        // Act
        var reordered = Recipe with { Packages = ["git", "python3"] };

        // Assert
        Assert.Equal(Recipe.Reference, reordered.Reference);
        Assert.Matches("^sparring-base:bookworm-[0-9a-f]{12}$", Recipe.Reference);
    }

    [Fact]
    public void Reference_AnyPartChanged_IsAnother()
    {
        // Act
        string[] references =
        [
            Recipe.Reference,
            (Recipe with { Suite = "trixie" }).Reference,
            (Recipe with { Mirror = "http://mirror.example/debian" }).Reference,
            (Recipe with { Packages = ["python3", "git", "golang-go"] }).Reference,
        ];

        // Assert
        Assert.Equal(references.Length, references.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Reference_HostFolderGainsAFile_IsAnotherAndATouchAloneKeepsIt()
    {
        // Arrange: a copied toolchain folder; a new SDK version appears as a new folder.
        using var toolchain = new TempDirectory("sparring-recipe-");
        toolchain.Write("sdk/10.0.100/dotnet.dll", "x");
        var recipe = Recipe with { HostPaths = [toolchain.Path] };
        var before = recipe.Reference;

        // Act
        File.SetLastWriteTimeUtc(Path.Combine(toolchain.Path, "sdk"), DateTime.UtcNow.AddDays(-1));
        var touched = recipe.Reference;
        toolchain.Write("sdk/10.0.200/dotnet.dll", "y");
        var upgraded = recipe.Reference;

        // Assert
        Assert.Equal(before, touched);
        Assert.NotEqual(before, upgraded);
        Assert.NotEqual(Recipe.Reference, before);
    }

    [Fact]
    public void ForThisMachine_TheTestsRunOnDotnet_CopiesTheSdkWithTheLibrariesItLoads()
    {
        // Act
        var withToolchains = DockerImageRecipe.ForThisMachine();
        var without = DockerImageRecipe.ForThisMachine(hostToolchains: false);

        // Assert: this process runs on an SDK under /usr, so the recipe finds it, and .NET's ICU comes with it.
        Assert.Contains(withToolchains.HostPaths, p => File.Exists(Path.Combine(p, "dotnet")) && Directory.Exists(Path.Combine(p, "sdk")));
        Assert.Contains(withToolchains.Packages, p => p.StartsWith("libicu", StringComparison.Ordinal));
        Assert.Empty(without.HostPaths);
        Assert.Equal(DockerImageRecipe.DefaultPackages, without.Packages);
        Assert.NotEqual(withToolchains.Reference, without.Reference);
    }
}
