using System.Diagnostics;

namespace Sparring.TestUtilities;

/// <summary>A real git repository in a temp directory, built commit by commit for a test.</summary>
public sealed class TempGitRepo : IDisposable
{
    private readonly TempDirectory _directory = new("sparring-repo-");
    private int _commits;

    public TempGitRepo()
    {
        Git("init", "--quiet", "--initial-branch=main");
    }

    public string Path => _directory.Path;

    public TempGitRepo Write(string relativePath, string content)
    {
        _directory.Write(relativePath, content);
        return this;
    }

    public TempGitRepo Delete(string relativePath)
    {
        File.Delete(System.IO.Path.Combine(Path, relativePath));
        return this;
    }

    /// <summary>Stages everything and commits; returns the new commit id.</summary>
    public string Commit(string message)
    {
        Git("add", "--all");
        _commits++;
        var date = $"2025-03-{_commits:00}T10:00:00+00:00";
        Git(["commit", "--quiet", "--allow-empty", "-m", message], new Dictionary<string, string> { ["GIT_AUTHOR_DATE"] = date, ["GIT_COMMITTER_DATE"] = date });
        return Git("rev-parse", "HEAD").Trim();
    }

    public string Git(params string[] arguments) => Git(arguments, null);

    /// <summary>Runs git in the repository and returns stdout; throws with stderr on failure.</summary>
    public string Git(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment) => RunGit(Path, arguments, environment);

    /// <summary>Runs git in any directory (e.g. a sample) and returns stdout; throws with stderr on failure.</summary>
    public static string RunGit(string directory, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        psi.Environment["GIT_AUTHOR_NAME"] = "Test";
        psi.Environment["GIT_AUTHOR_EMAIL"] = "test@example.invalid";
        psi.Environment["GIT_COMMITTER_NAME"] = "Test";
        psi.Environment["GIT_COMMITTER_EMAIL"] = "test@example.invalid";
        psi.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[key] = value;
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed: {stderr}");
        }

        return stdout.Result;
    }

    public void Dispose() => _directory.Dispose();
}
