using Sparring.Sandboxes;
using Sparring.Testing;

namespace Sparring.Artifacts;

/// <summary>
/// Refuses empty work: the one check inject, selfplay and serve make before building on a repository's suite. The
/// baseline (cached per environment and script) must meet <see cref="BaselineRequirements"/>, or
/// <see cref="SuiteDidNotRunException"/> says why, with the diagnosis read from the run's log.
/// </summary>
public static class BaselineGuard
{
    /// <summary>The artifact whose script runs the environment's detected test command, as procedural bugs carry it (test files left out: the baseline does not depend on them).</summary>
    public static BugArtifact PlanScript(PreparedEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var command = environment.Plan.Command;
        return new BugArtifact
        {
            BugInjectDiff = "",
            TestWeakenDiff = "",
            TestFiles = [],
            TestScript = "#!/bin/bash\n" + command.Command + "\n",
            Metadata = new ArtifactMetadata { Id = "template", BaseCommit = environment.Snapshot.Commit, Parser = command.Parser },
        };
    }

    /// <summary>The baseline of <paramref name="runner"/>'s script, checked.</summary>
    /// <exception cref="SuiteDidNotRunException">The baseline does not meet <paramref name="requirements"/>.</exception>
    public static async Task<(TestRun Run, bool Reused)> RequireAsync(ArtifactTestRunner runner, BaselineRequirements requirements, string subject = "the original tree", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(requirements);
        var (run, reused) = await runner.BaselineAsync(cancellationToken).ConfigureAwait(false);
        requirements.Check(run, subject);
        return (run, reused);
    }

    /// <summary>The baseline of the environment's detected test command, checked.</summary>
    /// <exception cref="SuiteDidNotRunException">The baseline does not meet <paramref name="requirements"/>.</exception>
    public static Task<(TestRun Run, bool Reused)> RequireAsync(ISandboxProvider sandboxes, PreparedEnvironment environment, BaselineRequirements requirements, TimeSpan scriptTimeout, CancellationToken cancellationToken = default) =>
        RequireAsync(new ArtifactTestRunner(sandboxes, environment, PlanScript(environment)) { ScriptTimeout = scriptTimeout }, requirements, cancellationToken: cancellationToken);
}
