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
        var lacking = new List<Uri>();
        Uri? holder = null;
        foreach (var host in hosts)
        {
            using var client = Connect(host);
            try
            {
                await client.Images.InspectImageAsync(recipe.Reference, cancellationToken).ConfigureAwait(false);
                holder ??= host;
            }
            catch (DockerImageNotFoundException)
            {
                lacking.Add(host);
            }
        }

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
