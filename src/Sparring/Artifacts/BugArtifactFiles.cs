using Sparring.Internal;
using Sparring.Repos;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Sparring.Artifacts;

/// <summary>Reads and writes artifact directories in the SSR layout.</summary>
public static class BugArtifactFiles
{
    public const string BugInject = "bug_inject.diff";
    public const string TestWeaken = "test_weaken.diff";
    public const string TestFilesList = "test_files.txt";
    public const string TestScript = "test_script.sh";
    public const string TestParser = "test_parser.py";
    public const string PredPatch = "pred_patch.diff";
    public const string Metadata = "metadata.json";

    /// <summary>
    /// Reads metadata.json. The context leaves out nulls when writing, so a valid report's <c>failedCheck</c>
    /// (null) is absent from the file; read strictly, every validated-valid artifact would fail to load.
    /// </summary>
    private static readonly JsonTypeInfo<ArtifactMetadata> MetadataReader = (JsonTypeInfo<ArtifactMetadata>)new JsonSerializerOptions(ArtifactsJsonContext.Default.Options)
    {
        TypeInfoResolver = ArtifactsJsonContext.Default.WithAddedModifier(static info =>
        {
            if (info.Type == typeof(ValidationReport))
            {
                foreach (var property in info.Properties.Where(p => p.Name == "failedCheck"))
                {
                    property.IsRequired = false;
                }
            }
        }),
    }.GetTypeInfo(typeof(ArtifactMetadata));

    /// <summary>Loads an artifact; an artifact from another SSR tool (no metadata.json) gets defaults with the folder name as id.</summary>
    /// <exception cref="InvalidDataException">A required file is missing or metadata.json is malformed; the message names it.</exception>
    /// <exception cref="UnsafePathException">test_files.txt names a path outside the repository (absolute, <c>..</c>, into <c>.git</c>, a control character).</exception>
    public static async Task<BugArtifact> LoadAsync(string directory, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"The artifact directory '{directory}' does not exist.");
        }

        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in new[] { BugInject, TestWeaken, TestFilesList, TestScript, TestParser, PredPatch, Metadata })
        {
            var path = Path.Combine(directory, name);
            if (File.Exists(path))
            {
                files[name] = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
            }
        }

        return FromFiles(files, directory, () => new ArtifactMetadata { Id = Path.GetFileName(Path.GetFullPath(directory).TrimEnd('/')) });
    }

    /// <summary>
    /// An artifact from its files' texts (file name → content), read from a folder or through a sandbox.
    /// <paramref name="defaults"/> stands in for a missing metadata.json; <paramref name="where"/> names the folder in messages.
    /// </summary>
    /// <exception cref="InvalidDataException">A required file is missing or metadata.json is malformed.</exception>
    /// <exception cref="UnsafePathException">test_files.txt names a path outside the repository.</exception>
    internal static BugArtifact FromFiles(IReadOnlyDictionary<string, string> files, string where, Func<ArtifactMetadata> defaults)
    {
        var missing = new[] { BugInject, TestWeaken, TestFilesList, TestScript }.Where(n => !files.ContainsKey(n)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidDataException($"The artifact in '{where}' lacks {string.Join(", ", missing)}.");
        }

        ArtifactMetadata metadata;
        try
        {
            metadata = files.TryGetValue(Metadata, out var metadataText)
                ? JsonSerializer.Deserialize(metadataText, MetadataReader) ?? throw new InvalidDataException($"{Metadata} in '{where}' is empty.")
                : defaults();
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{Metadata} in '{where}' is not valid: {ex.Message}", ex);
        }

        var parser = files.GetValueOrDefault(TestParser);
        if (parser is null && metadata.Parser is null)
        {
            throw new InvalidDataException($"The artifact in '{where}' has neither {TestParser} nor a built-in parser named in {Metadata}.");
        }

        // Refused as it is read: no verb gets to use a test file outside the repository, whatever it checks later.
        var testFiles = ParseTestFiles(files[TestFilesList]);
        foreach (var file in testFiles)
        {
            RepoPaths.CheckForm(file, $"{TestFilesList} in '{where}'");
        }

        return new BugArtifact
        {
            BugInjectDiff = files[BugInject],
            TestWeakenDiff = files[TestWeaken],
            TestFiles = testFiles,
            TestScript = files[TestScript],
            TestParser = parser,
            PredPatch = files.GetValueOrDefault(PredPatch),
            Metadata = metadata,
        };
    }

    /// <summary>Writes an artifact into <paramref name="directory"/> (created), each file written whole then renamed into place.</summary>
    public static async Task SaveAsync(BugArtifact artifact, string directory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        Directory.CreateDirectory(directory);
        async Task Write(string name, string? content)
        {
            var path = Path.Combine(directory, name);
            if (content is null)
            {
                File.Delete(path);
                return;
            }

            await AtomicFile.WriteAllTextAsync(path, content, cancellationToken).ConfigureAwait(false);
        }

        await Write(BugInject, artifact.BugInjectDiff).ConfigureAwait(false);
        await Write(TestWeaken, artifact.TestWeakenDiff).ConfigureAwait(false);
        await Write(TestFilesList, string.Concat(artifact.TestFiles.Select(f => f + "\n"))).ConfigureAwait(false);
        await Write(TestScript, artifact.TestScript).ConfigureAwait(false);
        await Write(TestParser, artifact.TestParser).ConfigureAwait(false);
        await Write(PredPatch, artifact.PredPatch).ConfigureAwait(false);
        await Write(Metadata, JsonSerializer.Serialize(artifact.Metadata, ArtifactsJsonContext.Default.ArtifactMetadata)).ConfigureAwait(false);
    }

    /// <summary>One path per line; blank lines, <c>#</c> comments and a leading <c>./</c> are ignored.</summary>
    public static IReadOnlyList<string> ParseTestFiles(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.StartsWith("./", StringComparison.Ordinal) ? l[2..] : l)
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }
}
