using System.Diagnostics;

namespace Sparring.TestUtilities;

/// <summary>The bundled sample repositories (samples/*.bundle), restored on first use.</summary>
public static class Samples
{
    private static readonly Lazy<string> Root = new(FindRepositoryRoot);
    private static readonly object Gate = new();

    public const string Python = "py-inventory";
    public const string Go = "go-textkit";
    public const string JavaScript = "js-ledger";
    public const string CSharp = "cs-geometry";

    /// <summary>The root of the Sparring checkout (where Sparring.slnx is).</summary>
    public static string RepositoryRoot => Root.Value;

    /// <summary>The path of a restored sample repository.</summary>
    public static string Path(string name)
    {
        lock (Gate)
        {
            var path = System.IO.Path.Combine(RepositoryRoot, "samples", name);
            if (!Directory.Exists(System.IO.Path.Combine(path, ".git")))
            {
                using var process = Process.Start(new ProcessStartInfo(System.IO.Path.Combine(RepositoryRoot, "samples", "restore.sh"), "--quiet"))!;
                process.WaitForExit();
                if (process.ExitCode != 0 || !Directory.Exists(path))
                {
                    throw new InvalidOperationException($"Could not restore sample '{name}' from samples/{name}.bundle.");
                }
            }

            return path;
        }
    }

    private static string FindRepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "Sparring.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Cannot find the Sparring checkout (Sparring.slnx) above " + AppContext.BaseDirectory);
    }
}
