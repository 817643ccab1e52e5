using Sparring.Internal;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Sparring.SelfPlay;

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
    private static readonly JsonTypeInfo<ArtifactMetadata> MetadataReader = (JsonTypeInfo<ArtifactMetadata>)new JsonSerializerOptions(SelfPlayJsonContext.Default.Options)
    {
        TypeInfoResolver = SelfPlayJsonContext.Default.WithAddedModifier(static info =>
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
    public static async Task<BugArtifact> LoadAsync(string directory, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"The artifact directory '{directory}' does not exist.");
        }

        async Task<string?> Read(string name) =>
            File.Exists(Path.Combine(directory, name)) ? await File.ReadAllTextAsync(Path.Combine(directory, name), cancellationToken).ConfigureAwait(false) : null;

        var missing = new[] { BugInject, TestWeaken, TestFilesList, TestScript }.Where(n => !File.Exists(Path.Combine(directory, n))).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidDataException($"The artifact in '{directory}' lacks {string.Join(", ", missing)}.");
        }

        ArtifactMetadata metadata;
        var metadataText = await Read(Metadata).ConfigureAwait(false);
        try
        {
            metadata = metadataText is null
                ? new ArtifactMetadata { Id = Path.GetFileName(Path.GetFullPath(directory).TrimEnd('/')) }
                : JsonSerializer.Deserialize(metadataText, MetadataReader)
                    ?? throw new InvalidDataException($"{Metadata} in '{directory}' is empty.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{Metadata} in '{directory}' is not valid: {ex.Message}", ex);
        }

        var parser = await Read(TestParser).ConfigureAwait(false);
        if (parser is null && metadata.Parser is null)
        {
            throw new InvalidDataException($"The artifact in '{directory}' has neither {TestParser} nor a built-in parser named in {Metadata}.");
        }

        return new BugArtifact
        {
            BugInjectDiff = (await Read(BugInject).ConfigureAwait(false))!,
            TestWeakenDiff = (await Read(TestWeaken).ConfigureAwait(false))!,
            TestFiles = ParseTestFiles((await Read(TestFilesList).ConfigureAwait(false))!),
            TestScript = (await Read(TestScript).ConfigureAwait(false))!,
            TestParser = parser,
            PredPatch = await Read(PredPatch).ConfigureAwait(false),
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
        await Write(Metadata, JsonSerializer.Serialize(artifact.Metadata, SelfPlayJsonContext.Default.ArtifactMetadata)).ConfigureAwait(false);
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
