using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Sparring.Sandboxes;
using Sparring.Testing.Internal;

namespace Sparring.Testing;

/// <summary>
/// One Docker image per repository and commit, as public task generators make them: the base image with the
/// prepared tree at <c>/repo</c> (dependencies installed by setup included) and the recipe's caches at their paths,
/// the run environment set, the test reporters and results folder the test command names, so a container runs the
/// suite with no network and nothing bound.
/// </summary>
public static class RepositoryImages
{
    /// <summary>The image repository of every such image (tags name the repository, commit and content).</summary>
    public const string Repository = "sparring-repo";

    /// <summary>The label naming the repository's folder on the machine that built the image.</summary>
    public const string RepositoryLabel = "sparring.repository";

    /// <summary>The label naming the commit.</summary>
    public const string CommitLabel = "sparring.commit";

    /// <summary>What the image holds and where, in the hash: a change to it makes new images instead of reusing old ones.</summary>
    private const string Layout = "tree-caches-reporters-1";

    /// <summary>
    /// The reference of the image of <paramref name="environment"/> on <paramref name="baseImage"/>:
    /// <c>sparring-repo:NAME-COMMIT12-HASH</c>, the hash covering the base image, the prepared environment (its
    /// folder, named by repository, commit and settings) and the test command, so a change to any makes a new image.
    /// </summary>
    public static string ReferenceOf(PreparedEnvironment environment, string baseImage)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentException.ThrowIfNullOrEmpty(baseImage);
        var content = string.Join('\n', Layout, baseImage, environment.Directory, environment.Plan.Command.Command, string.Join('\n', environment.Plan.Recipe.SetupCommands));
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)))[..10];
        var name = new string([.. Path.GetFileName(environment.Snapshot.RepositoryRoot.TrimEnd('/')).ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-')]).Trim('.', '-', '_');
        var tag = $"{(name.Length == 0 ? "repo" : name[..Math.Min(name.Length, 60)])}-{environment.Snapshot.Commit[..Math.Min(12, environment.Snapshot.Commit.Length)]}-{hash}";
        return $"{Repository}:{tag}";
    }

    /// <summary>
    /// Makes sure each engine has the image of <paramref name="environment"/> (built once, copied to the others,
    /// reused while its content is the same).
    /// </summary>
    /// <exception cref="InvalidOperationException">Building it failed.</exception>
    public static async Task<RepositoryImage> EnsureAsync(IReadOnlyList<Uri> hosts, string baseImage, PreparedEnvironment environment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var reference = ReferenceOf(environment, baseImage);
        var recipe = environment.Plan.Recipe;
        var inside = new SandboxOptions().WorkspaceMountPath.TrimEnd('/');
        var contents = new List<(string, string)> { (environment.TreePath, inside) };
        foreach (var cache in recipe.Caches.Where(c => c.Scope != CacheScope.SetupOnly))
        {
            var host = environment.CacheHostPath(cache);
            if (Directory.Exists(host))
            {
                contents.Add((host, cache.SandboxPath));
            }
        }

        var variables = new Dictionary<string, string>(recipe.Environment, StringComparer.Ordinal);
        foreach (var (key, value) in recipe.RunEnvironment)
        {
            variables[key] = value;
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [RepositoryLabel] = environment.Snapshot.RepositoryRoot,
            [CommitLabel] = environment.Snapshot.Commit,
            ["sparring.test-command"] = environment.Plan.Command.Command,
        };
        // What a test run finds besides the tree: the reporters the test command names, and an empty results folder.
        var extras = Directory.CreateTempSubdirectory("sparring-image-extras-").FullName;
        try
        {
            var tools = Directory.CreateDirectory(Path.Combine(extras, "tools")).FullName;
            await NodeReporter.WriteAsync(tools, cancellationToken).ConfigureAwait(false);
            await MochaReporter.WriteAsync(tools, cancellationToken).ConfigureAwait(false);
            contents.Add((tools, NodeReporter.SandboxDirectory));
            contents.Add((Directory.CreateDirectory(Path.Combine(extras, "results")).FullName, TestRunnerDetector.ResultsPath));
            var clock = Stopwatch.StartNew();
            var built = await DockerImages.EnsureLayerAsync(hosts, reference, baseImage, contents, variables, inside, labels, cancellationToken).ConfigureAwait(false);
            return new RepositoryImage(reference, built, Math.Round(clock.Elapsed.TotalSeconds, 2));
        }
        finally
        {
            Directory.Delete(extras, recursive: true);
        }
    }

    /// <summary>
    /// The images built for <paramref name="repositoryRoot"/> at <paramref name="commit"/> on the engines, newest first
    /// (several when built with other settings or on other bases).
    /// </summary>
    public static async Task<IReadOnlyList<string>> FindAsync(IReadOnlyList<Uri> hosts, string repositoryRoot, string commit, CancellationToken cancellationToken = default)
    {
        var images = await DockerImages.ListAsync(hosts, cancellationToken).ConfigureAwait(false);
        return [.. images
            .Select(i => i.Image)
            .Where(i => i.Labels is { } labels && labels.TryGetValue(RepositoryLabel, out var root) && root == repositoryRoot && labels.TryGetValue(CommitLabel, out var at) && at == commit)
            .OrderByDescending(i => i.Created)
            .SelectMany(i => i.RepoTags ?? [])
            .Where(t => t.StartsWith(Repository + ":", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)];
    }
}
