using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Sparring.TestUtilities;

namespace Sparring.Tests.Architecture;

public sealed class ArchitectureTests
{
    private static readonly string[] Assemblies =
    [
        typeof(Sparring.Runs.SelfPlayRunner).Assembly.Location,
        typeof(Sparring.Service.RolloutService).Assembly.Location,
    ];

    private static readonly string[] SourceFolders = ["src/Sparring", "src/Sparring.Service"];

    private static IEnumerable<string> Sources =>
        SourceFolders.SelectMany(d => Directory.EnumerateFiles(Path.Combine(Samples.RepositoryRoot, d), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal));

    private static ArchitectureTable Table => ArchitectureTable.Read(Path.Combine(Samples.RepositoryRoot, "docs", "architecture.md"));

    [Fact]
    public void LibraryAndService_FollowTheTableOfDocsArchitecture()
    {
        // Arrange
        var dependencies = PartDependencies.Read(Assemblies).WithUsings(Sources);

        // Act
        var violations = Table.Violations(dependencies);

        // Assert
        Assert.True(violations.Count == 0, string.Join('\n', violations));
        Assert.Contains(("Runs", "Injection"), dependencies.Edges.Keys);
        Assert.Contains(("Solving", "Grading"), dependencies.Edges.Keys);
    }

    [Fact]
    public void Table_NamesEveryPartOnceWithItsFolderAndNoCycle()
    {
        // Arrange
        var table = Table;
        var declared = PartDependencies.Read(Assemblies).Parts;

        // Act
        var cycle = ArchitectureTable.Cycle(table.AllowedEdges());

        // Assert
        Assert.Null(cycle);
        Assert.Equal(declared, table.Parts.Keys.ToHashSet());
        Assert.All(table.Parts, p => Assert.True(Directory.Exists(Path.Combine(Samples.RepositoryRoot, p.Value.Folder)), p.Value.Folder));
        Assert.All(table.Parts, p => Assert.All(p.Value.MayUse, used => Assert.True(table.Parts.ContainsKey(used), $"{p.Key} may use {used}, which is not a part")));
    }

    [Fact]
    public void Library_HasNoAspNetReference()
    {
        // Arrange
        var library = typeof(Sparring.Runs.SelfPlayRunner).Assembly;

        // Act
        var references = library.GetReferencedAssemblies().Select(a => a.Name ?? "").ToList();

        // Assert
        Assert.DoesNotContain(references, r => r.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.Contains(typeof(Sparring.Service.RolloutService).Assembly.GetReferencedAssemblies(), a => a.Name!.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    [Fact]
    public void Violations_AnUpwardUseAnInternalReachInAndACycle_AreEachReported()
    {
        // Arrange: a small assembly whose Sandboxes type names the self-play runner (a part far above it), whose
        // Agents type uses an Llm.Internal type, and whose Repos and Testing types use each other; and a source
        // file of Grading with a using of Training that nothing uses yet.
        using var directory = new TempDirectory();
        var probe = Compile(directory.Path, """
            namespace Sparring.Sandboxes { public static class Upward { public static System.Type Reach() => typeof(Sparring.Runs.SelfPlayRunner); } }
            namespace Sparring.Llm.Internal { public static class Hidden { public static int Value => 1; } }
            namespace Sparring.Agents { public static class ReachIn { public static int Read() => Sparring.Llm.Internal.Hidden.Value; } }
            namespace Sparring.Repos { public static class Down { public static int Call() => Sparring.Testing.Up.Value; } }
            namespace Sparring.Testing { public static class Up { public static int Value => Sparring.Repos.Down.Call(); } }
            """);

        var unusedUsing = Path.Combine(directory.Path, "Idle.cs");
        File.WriteAllText(unusedUsing, "using Sparring.Training;\n\nnamespace Sparring.Grading.Probe;\n\ninternal static class Idle;\n");

        // Act
        var violations = Table.Violations(PartDependencies.Read(probe).WithUsings([unusedUsing]));

        // Assert
        Assert.Contains(violations, v => v.StartsWith("Sandboxes uses Runs", StringComparison.Ordinal) && v.Contains("Sparring.Sandboxes.Upward → Sparring.Runs.SelfPlayRunner", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("another part's Internal namespace is used: Sparring.Agents.ReachIn → Sparring.Llm.Internal.Hidden", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("Repos uses Testing", StringComparison.Ordinal));
        Assert.Contains(violations, v => v is "cycle: Repos → Testing → Repos");
        Assert.Contains(violations, v => v is "Grading uses Training, which its row does not allow: Idle.cs: using Sparring.Training");
    }

    [Fact]
    public void Cli_ReadsEveryOptionThroughItsTypedOptionNeverByName()
    {
        // Arrange
        var sources = Directory.EnumerateFiles(Path.Combine(Samples.RepositoryRoot, "src", "Sparring.Cli"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal)).ToList();
        using var directory = new TempDirectory();
        var probe = Path.Combine(directory.Path, "Probe.cs");
        File.WriteAllText(probe, "class Probe { void M(dynamic result, object rounds) { result.GetValue<int>(\"--rounds\"); result.GetValue(rounds); result.GetResult($\"--{rounds}\"); } }\n");

        // Act
        var reads = OptionReadsByName.Find(sources);
        var probed = OptionReadsByName.Find([probe]);

        // Assert
        Assert.NotEmpty(sources);
        Assert.True(reads.Count == 0, string.Join('\n', reads));
        Assert.Equal(["Probe.cs:1: result.GetValue<int>(\"--rounds\")", "Probe.cs:1: result.GetResult($\"--{rounds}\")"], probed);
    }

    [Fact]
    public void Cycle_AcyclicEdges_IsNull()
    {
        // Arrange, Act
        var cycle = ArchitectureTable.Cycle([("A", "B"), ("B", "C"), ("A", "C")]);

        // Assert
        Assert.Null(cycle);
    }

    private static string Compile(string directory, string source)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Append(typeof(Sparring.Runs.SelfPlayRunner).Assembly.Location)
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create(
            "Sparring.ArchitectureProbe",
            [CSharpSyntaxTree.ParseText(source)],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var path = Path.Combine(directory, "Sparring.ArchitectureProbe.dll");
        var emitted = compilation.Emit(path);
        Assert.True(emitted.Success, string.Join('\n', emitted.Diagnostics));
        return path;
    }
}
