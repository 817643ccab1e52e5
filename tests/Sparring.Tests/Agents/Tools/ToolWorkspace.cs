using Sparring.Agents.Tools;
using Sparring.Sandboxes;
using Sparring.TestUtilities;

namespace Sparring.Tests.Agents.Tools;

/// <summary>A real bubblewrap sandbox over a fresh one-commit git repository, with the tools' context.</summary>
internal sealed class ToolWorkspace : IDisposable
{
    public const string Calc = "def add(a, b):\n    return a - b\n\n\ndef sub(a, b):\n    return a - b\n";

    private ToolWorkspace(TempGitRepo repo, ISandbox sandbox, ToolContext context, string startCommit)
    {
        Repo = repo;
        Sandbox = sandbox;
        Context = context;
        StartCommit = startCommit;
    }

    public TempGitRepo Repo { get; }

    public ISandbox Sandbox { get; }

    public ToolContext Context { get; }

    public string StartCommit { get; }

    /// <summary>
    /// The repository holds README.md, src/calc.py (<see cref="Calc"/>), src/util/strings.py and a hidden .hidden/secret.txt,
    /// plus whatever <paramref name="files"/> adds before the commit.
    /// </summary>
    public static async Task<ToolWorkspace> CreateAsync(Action<TempGitRepo>? files = null, ToolOptions? options = null, ILinter? linter = null)
    {
        var repo = new TempGitRepo();
        repo.Write("README.md", "# Calc\n")
            .Write("src/calc.py", Calc)
            .Write("src/util/strings.py", "def shout(s):\n    return s.upper()\n")
            .Write(".hidden/secret.txt", "needle in hidden\n");
        files?.Invoke(repo);
        var start = repo.Commit("init");
        var sandbox = await new BubblewrapSandboxProvider().CreateAsync(repo.Path, new SandboxOptions());
        var context = new ToolContext(sandbox, options, linter ?? new SyntaxLinter()) { StartCommit = start };
        return new ToolWorkspace(repo, sandbox, context, start);
    }

    public static ToolArguments Args(string json) => ToolArguments.ParseJson(json);

    public string Read(string relativePath) => File.ReadAllText(Path.Combine(Repo.Path, relativePath));

    public bool Exists(string relativePath) => File.Exists(Path.Combine(Repo.Path, relativePath));

    public void Dispose() => Repo.Dispose();
}
