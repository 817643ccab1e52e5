using System.Diagnostics;
using Docker.DotNet;
using Docker.DotNet.Models;
using Sparring.Internal;
using Sparring.Sandboxes.Internal;

namespace Sparring.Sandboxes;

/// <summary>Sparring's images on Docker engines: built here from a Debian root (no registry needed), listed, pruned.</summary>
public static class DockerImages
{
    /// <summary>Where debootstrap is looked for.</summary>
    public const string Debootstrap = "/usr/sbin/debootstrap";

    /// <summary>
    /// Makes sure every engine of <paramref name="hosts"/> has the image of <paramref name="recipe"/>: when one lacks
    /// it, builds the root once with debootstrap (root only; minutes) and imports it into each engine that lacks it.
    /// Returns the hosts it was imported into.
    /// </summary>
    /// <exception cref="InvalidOperationException">The image is missing and cannot be built here (not root, no debootstrap, debootstrap failed).</exception>
    public static async Task<IReadOnlyList<Uri>> EnsureAsync(IReadOnlyList<Uri> hosts, DockerImageRecipe recipe, Action<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentNullException.ThrowIfNull(recipe);
        var (lacking, holder) = await WhoHasAsync(hosts, recipe.Reference, cancellationToken).ConfigureAwait(false);

        if (lacking.Count == 0)
        {
            return [];
        }

        if (holder is not null)
        {
            // Built before: an engine that has it hands it to the others, in seconds rather than a debootstrap's minutes.
            foreach (var host in lacking)
            {
                progress?.Invoke($"copying {recipe.Reference} from {holder} to {host}");
                await CopyAsync(recipe.Reference, holder, host, cancellationToken).ConfigureAwait(false);
            }

            return lacking;
        }

        if (Environment.UserName != "root")
        {
            throw new InvalidOperationException($"The image {recipe.Reference} is missing, and building it (debootstrap) needs root. Run as root: sparring images build");
        }

        if (!File.Exists(Debootstrap))
        {
            throw new InvalidOperationException($"The image {recipe.Reference} is missing, and building it needs debootstrap. Install it with: apt-get install -y debootstrap");
        }

        var root = Path.Combine(Path.GetTempPath(), "sparring-rootfs-" + OwnerProcess.Current + "-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            progress?.Invoke($"building {recipe.Reference}: debootstrap {recipe.Suite} from {recipe.Mirror} with {string.Join(", ", recipe.Packages)}");
            var outcome = await ProcessRunner.RunAsync(
                new ProcessSpec
                {
                    FileName = Debootstrap,
                    Arguments = ["--variant=minbase", "--include=" + string.Join(',', recipe.Packages), recipe.Suite, root, recipe.Mirror],
                    Timeout = TimeSpan.FromMinutes(30),
                    OutputLimitBytes = 64 * 1024,
                },
                TimeProvider.System, null, cancellationToken).ConfigureAwait(false);
            if (outcome.ExitCode != 0)
            {
                throw new InvalidOperationException($"debootstrap failed (exit code {outcome.ExitCode}) building {recipe.Reference}:\n{Tail(outcome.Stdout + outcome.Stderr)}");
            }

            foreach (var path in recipe.HostPaths)
            {
                progress?.Invoke($"copying {path} into the image");
                var copied = await ProcessRunner.RunAsync(
                    new ProcessSpec { FileName = "cp", Arguments = ["-a", "--parents", path, root], Timeout = TimeSpan.FromMinutes(10), OutputLimitBytes = 16 * 1024 },
                    TimeProvider.System, null, cancellationToken).ConfigureAwait(false);
                if (copied.ExitCode != 0)
                {
                    throw new InvalidOperationException($"Copying {path} into the image failed: {copied.Stderr.Trim()}");
                }
            }

            foreach (var host in lacking)
            {
                progress?.Invoke($"importing {recipe.Reference} into {host}");
                await ImportAsync(host, root, recipe, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await RemoveRootAsync(root).ConfigureAwait(false);
        }

        return lacking;
    }

    /// <summary>Sparring's images (those labelled <c>sparring.image</c>) on each answering engine.</summary>
    public static async Task<IReadOnlyList<(Uri Host, ImagesListResponse Image)>> ListAsync(IReadOnlyList<Uri> hosts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        var all = new List<(Uri, ImagesListResponse)>();
        foreach (var host in hosts)
        {
            using var client = Connect(host);
            var images = await client.Images.ListImagesAsync(
                new ImagesListParameters { Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [DockerLabels.Image] = true } } },
                cancellationToken).ConfigureAwait(false);
            all.AddRange(images.Select(i => (host, i)));
        }

        return all;
    }

    /// <summary>Deletes Sparring's images that no container uses; returns how many (an image in use stays).</summary>
    public static async Task<int> PruneAsync(IReadOnlyList<Uri> hosts, CancellationToken cancellationToken = default)
    {
        var removed = 0;
        foreach (var (host, image) in await ListAsync(hosts, cancellationToken).ConfigureAwait(false))
        {
            using var client = Connect(host);
            try
            {
                await client.Images.DeleteImageAsync(image.ID, new ImageDeleteParameters { Force = false }, cancellationToken).ConfigureAwait(false);
                removed++;
            }
            catch (DockerApiException ex) when (ex.StatusCode is System.Net.HttpStatusCode.Conflict or System.Net.HttpStatusCode.NotFound)
            {
                // In use by a container, or removed in between.
            }
        }

        return removed;
    }

    /// <summary>
    /// Makes sure each engine of <paramref name="hosts"/> has the image <paramref name="reference"/>: on the first that
    /// lacks it (unless another has it, which then hands it over), an image made from <paramref name="baseImage"/>
    /// with the host folders of <paramref name="contents"/> copied to their paths in the image (a container copies
    /// them from read-only binds and is committed), with <paramref name="environment"/> and <paramref name="workingDirectory"/>
    /// as its defaults and <paramref name="labels"/> besides Sparring's own.
    /// </summary>
    /// <returns>True when the image was built here, false when every engine had it (or got it by copy).</returns>
    /// <exception cref="InvalidOperationException">The copy failed (the container's output says why).</exception>
    /// <remarks>The engines bind host folders, so they must see this machine's files (as for sandboxes).</remarks>
    public static async Task<bool> EnsureLayerAsync(
        IReadOnlyList<Uri> hosts, string reference, string baseImage, IReadOnlyList<(string HostPath, string ImagePath)> contents,
        IReadOnlyDictionary<string, string> environment, string workingDirectory, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentException.ThrowIfNullOrEmpty(reference);
        ArgumentNullException.ThrowIfNull(contents);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(labels);
        if (reference.Split(':') is not [{ Length: > 0 }, { Length: > 0 }])
        {
            throw new ArgumentException($"an image reference is REPOSITORY:TAG, got '{reference}'", nameof(reference));
        }

        foreach (var (host, image) in contents)
        {
            if (!Path.IsPathFullyQualified(host) || !Path.IsPathFullyQualified(image) || image.Split('/').Contains(".."))
            {
                throw new ArgumentException($"a layer's contents are absolute paths without '..', got {host} -> {image}", nameof(contents));
            }
        }

        var (lacking, holder) = await WhoHasAsync(hosts, reference, cancellationToken).ConfigureAwait(false);

        var built = false;
        if (holder is null && lacking.Count > 0)
        {
            holder = lacking[0];
            lacking.RemoveAt(0);
            await BuildLayerAsync(holder, reference, baseImage, contents, environment, workingDirectory, labels, cancellationToken).ConfigureAwait(false);
            built = true;
        }

        foreach (var host in lacking)
        {
            await CopyAsync(reference, holder!, host, cancellationToken).ConfigureAwait(false);
        }

        return built;
    }

    private static async Task BuildLayerAsync(
        Uri host, string reference, string baseImage, IReadOnlyList<(string HostPath, string ImagePath)> contents,
        IReadOnlyDictionary<string, string> environment, string workingDirectory, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        using var client = Connect(host);
        var mounts = contents.Select((c, i) => new Mount { Type = "bind", Source = c.HostPath, Target = $"/sparring-layer/{i}", ReadOnly = true }).ToList();
        // cp -a keeps modes, links and times; a folder's contents land in the target, a file becomes the target.
        var script = string.Join(" && ", contents.Select((c, i) => File.Exists(c.HostPath)
            ? $"mkdir -p {ShellQuote.Always(Path.GetDirectoryName(c.ImagePath)!)} && cp -a /sparring-layer/{i} {ShellQuote.Always(c.ImagePath)}"
            : $"mkdir -p {ShellQuote.Always(c.ImagePath)} && cp -a /sparring-layer/{i}/. {ShellQuote.Always(c.ImagePath)}/"));
        var container = await client.Containers.CreateContainerAsync(
            new CreateContainerParameters
            {
                Image = baseImage,
                Cmd = ["sh", "-c", contents.Count == 0 ? "true" : script],
                NetworkDisabled = true,
                Labels = new Dictionary<string, string> { [DockerLabels.Sandbox] = "layer", [DockerLabels.Owner] = DockerLabels.CurrentOwner },
                HostConfig = new HostConfig { Mounts = mounts, NetworkMode = "none", LogConfig = new LogConfig { Type = "json-file" } },
            },
            cancellationToken).ConfigureAwait(false);
        try
        {
            await client.Containers.StartContainerAsync(container.ID, new ContainerStartParameters(), cancellationToken).ConfigureAwait(false);
            var exit = await client.Containers.WaitContainerAsync(container.ID, cancellationToken).ConfigureAwait(false);
            if (exit.StatusCode != 0)
            {
                using var logs = await client.Containers.GetContainerLogsAsync(container.ID, new ContainerLogsParameters { ShowStderr = true, ShowStdout = true, Tail = "20" }, cancellationToken).ConfigureAwait(false);
                var (stdout, stderr) = await logs.ReadOutputToEndAsync(cancellationToken).ConfigureAwait(false);
                throw new InvalidOperationException($"Copying the layer of {reference} into {baseImage} failed (exit code {exit.StatusCode}): {Tail(stdout + stderr)}");
            }

            var tag = reference.Split(':');
            await client.Images.CommitContainerChangesAsync(
                new CommitContainerChangesParameters
                {
                    ContainerID = container.ID,
                    RepositoryName = tag[0],
                    Tag = tag[1],
                    Env = [.. environment.Select(e => $"{e.Key}={e.Value}")],
                    WorkingDir = workingDirectory,
                    Labels = new Dictionary<string, string>(labels) { [DockerLabels.Image] = "layer" },
                    Cmd = ["sh"],
                },
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await client.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true }, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>The engines that lack the image, and the first that has it (null when none has).</summary>
    private static async Task<(List<Uri> Lacking, Uri? Holder)> WhoHasAsync(IReadOnlyList<Uri> hosts, string reference, CancellationToken cancellationToken)
    {
        var lacking = new List<Uri>();
        Uri? holder = null;
        foreach (var host in hosts)
        {
            using var client = Connect(host);
            try
            {
                await client.Images.InspectImageAsync(reference, cancellationToken).ConfigureAwait(false);
                holder ??= host;
            }
            catch (DockerImageNotFoundException)
            {
                lacking.Add(host);
            }
        }

        return (lacking, holder);
    }

    internal static DockerClient Connect(Uri host) => new DockerClientBuilder().WithEndpoint(host).Build();

    private static async Task ImportAsync(Uri host, string root, DockerImageRecipe recipe, CancellationToken cancellationToken)
    {
        var tar = new ProcessStartInfo("tar") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-C", root, "--numeric-owner", "-c", "." })
        {
            tar.ArgumentList.Add(argument);
        }

        using var process = Process.Start(tar) ?? throw new InvalidOperationException("tar could not start.");
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        using var client = Connect(host);
        var reference = recipe.Reference.Split(':');
        var failures = new List<string>();
        await client.Images.CreateImageAsync(
            new ImagesCreateParameters
            {
                FromSrc = "-",
                Repo = reference[0],
                Tag = reference[1],
                Changes = [$"LABEL {DockerLabels.Image}=base", $"LABEL sparring.recipe=\"{recipe.Suite} {string.Join(',', recipe.Packages)}\""],
            },
            process.StandardOutput.BaseStream,
            null,
            new Progress<JSONMessage>(m => { if (m.Error?.Message is { Length: > 0 } error) { failures.Add(error); } }),
            cancellationToken).ConfigureAwait(false);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0 || failures.Count > 0)
        {
            throw new InvalidOperationException($"Importing {recipe.Reference} into {host} failed: {string.Join("; ", failures)} {(await errors.ConfigureAwait(false)).Trim()}");
        }
    }

    /// <summary>Moves an image between engines as the Engine API saves and loads it (a tar stream, never on disk here).</summary>
    public static async Task CopyAsync(string reference, Uri from, Uri to, CancellationToken cancellationToken = default)
    {
        using var source = Connect(from);
        using var target = Connect(to);
        var saved = await source.Images.SaveImageAsync(reference, cancellationToken).ConfigureAwait(false);
        await using (saved.ConfigureAwait(false))
        {
            var failures = new List<string>();
            await target.Images.LoadImageAsync(
                new ImageLoadParameters { Quiet = true },
                saved,
                new Progress<JSONMessage>(m => { if (m.Error?.Message is { Length: > 0 } error) { failures.Add(error); } }),
                cancellationToken).ConfigureAwait(false);
            if (failures.Count > 0)
            {
                throw new InvalidOperationException($"Copying {reference} from {from} to {to} failed: {string.Join("; ", failures)}");
            }
        }
    }

    private static async Task RemoveRootAsync(string root)
    {
        if (!Directory.Exists(root))
        {
            return;
        }

        // debootstrap leaves read-only folders and device nodes; rm knows them all.
        await ProcessRunner.RunAsync(new ProcessSpec { FileName = "rm", Arguments = ["-rf", "--one-file-system", root], Timeout = TimeSpan.FromMinutes(5) }, TimeProvider.System, null, CancellationToken.None).ConfigureAwait(false);
    }

    private static string Tail(string text) => text.Length <= 4000 ? text.Trim() : text[^4000..].Trim();
}
