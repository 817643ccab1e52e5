using Sparring.Internal;

namespace Sparring.Sandboxes.Internal;

/// <summary>
/// <c>$TMPDIR/sparring-docker-PID-START</c>: written when this process starts its first container, naming the engines
/// it used, and removed when it exits normally (every container is gone by then). A marker whose owner is dead says
/// where a killed process may have left containers, so a later process reaps Docker only then, without loading the
/// Docker client or asking an engine on every start.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal static class DockerOwnerMarker
{
    private const string Prefix = "sparring-docker-";
    private static readonly Lock Gate = new();
    private static readonly HashSet<Uri> Written = [];
    private static bool _exitHooked;

    private static string PathOf(string owner) => Path.Combine(Path.GetTempPath(), Prefix + owner);

    /// <summary>Records that this process runs containers on <paramref name="engine"/>.</summary>
    public static void Note(Uri engine)
    {
        lock (Gate)
        {
            if (!Written.Add(engine))
            {
                return;
            }

            var path = PathOf(OwnerProcess.Current);
            File.WriteAllLines(path, Written.Select(e => e.ToString()));
            if (!_exitHooked)
            {
                _exitHooked = true;
                AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(path);
            }
        }
    }

    /// <summary>The markers of dead owners: each file with the engines it names.</summary>
    public static IReadOnlyList<(string Path, IReadOnlyList<Uri> Engines)> Abandoned()
    {
        var found = new List<(string, IReadOnlyList<Uri>)>();
        try
        {
            foreach (var file in Directory.EnumerateFiles(Path.GetTempPath(), Prefix + "*"))
            {
                if (!OwnerProcess.TryParse(Path.GetFileName(file)[Prefix.Length..].Split('-'), out var pid, out var start)
                    || start is null || OwnerProcess.IsAlive(pid, start))
                {
                    continue;
                }

                var engines = File.ReadAllLines(file)
                    .Select(l => Uri.TryCreate(l.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "unix" or "tcp" or "http" ? uri : null)
                    .OfType<Uri>()
                    .ToList();
                found.Add((file, engines));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A marker went away between listing and reading it: another process reaped it.
        }

        return found;
    }

    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }
}
