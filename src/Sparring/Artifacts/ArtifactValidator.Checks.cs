using Sparring.Repos;
using Sparring.Testing;

namespace Sparring.Artifacts;

public sealed partial class ArtifactValidator
{
    private sealed partial class Session
    {
        public async Task RunAsync(CancellationToken cancellationToken)
        {
            var (injectPaths, injectProblem) = await PathsAsync(artifact.BugInjectDiff, BugArtifactFiles.BugInject, cancellationToken).ConfigureAwait(false);
            var (weakenPaths, weakenProblem) = await PathsAsync(artifact.TestWeakenDiff, BugArtifactFiles.TestWeaken, cancellationToken).ConfigureAwait(false);
            var listed = artifact.TestFiles.ToHashSet(StringComparer.Ordinal);

            // 1. Test files exist, in the repository itself, not only in the prepared tree (node_modules, bin/obj are
            // made by the setup, not the repo). Paths outside the repository were refused before any check.
            var absent = artifact.TestFiles.Where(f => !InRepository(f)).ToList();
            if (!Decide(ValidationChecks.TestFilesExist, artifact.TestFiles.Count > 0 && absent.Count == 0,
                artifact.TestFiles.Count == 0 ? "test_files.txt lists no file"
                : absent.Count == 0 ? $"all {artifact.TestFiles.Count} listed test files exist"
                : $"missing in the repository: {List(absent)}"))
            {
                return;
            }

            // 2. Coverage: test_weaken.diff touches only listed test files.
            var unlisted = weakenPaths.Where(p => !listed.Contains(p)).ToList();
            if (!Decide(ValidationChecks.Coverage, weakenProblem is null && unlisted.Count == 0,
                weakenProblem ?? (unlisted.Count == 0 ? $"test_weaken.diff touches {List(weakenPaths)}, all listed" : $"test_weaken.diff touches files not in test_files.txt: {List(unlisted)}")))
            {
                return;
            }

            // 3. Separation: the bug stays out of tests; what the weakening touches looks like tests.
            var testsInBug = injectPaths.Where(p => listed.Contains(p) || TestPaths.LooksLikeTest(p)).ToList();
            var sourceInWeaken = weakenPaths.Where(p => listed.Contains(p) && !TestPaths.LooksLikeTest(p)).ToList();
            if (!Decide(ValidationChecks.Separation, testsInBug.Count == 0 && sourceInWeaken.Count == 0,
                testsInBug.Count > 0 ? $"bug_inject.diff touches test files: {List(testsInBug)}"
                : sourceInWeaken.Count > 0 ? $"test_weaken.diff touches files that are not tests: {List(sourceInWeaken)}"
                : "bug_inject.diff touches only source files; test_weaken.diff only test files"))
            {
                return;
            }

            // 4. Scope: enough source files changed.
            if (!Decide(ValidationChecks.MinChangedFiles, injectProblem is null && injectPaths.Count >= Options.MinChangedFiles,
                injectProblem ?? $"bug_inject.diff changes {injectPaths.Count} file(s) ({List(injectPaths)}); at least {Options.MinChangedFiles} required"))
            {
                return;
            }

            // 5 and 6. The baseline: the parser runs, the script passes on the original.
            var (baseline, reused) = await _runner.BaselineAsync(cancellationToken).ConfigureAwait(false);
            if (!reused)
            {
                Interlocked.Increment(ref _testRuns);
            }

            // The SSR protocol fixes the statuses; an artifact's own parser that prints others does not speak it
            // (its map can still be read, so this check fails alone). Built-in parsers are Sparring's: trusted.
            var unreadable = artifact.Metadata.Parser is null
                ? baseline.Tests.Where(t => !IsWellKnown(t.Status)).Select(t => $"{t.Id}: \"{t.Status}\"").ToList()
                : [];
            if (!Decide(ValidationChecks.ParserRuns, baseline.Tests.Count > 0 && unreadable.Count == 0,
                baseline.Tests.Count == 0 ? $"the parser read no result from the original's log (exit code {baseline.ExitCode}; {string.Join(" ", baseline.Disagreements.Concat(baseline.Warnings))})"
                : unreadable.Count > 0 ? $"the parser printed statuses that are not passed, failed, skipped or error: {List(unreadable, 5)}"
                : $"the parser read {baseline.Tests.Count} results from the original's log ({baseline.Parser})"))
            {
                return;
            }

            var passing = baseline.Tests.Where(t => t.Status == TestStatus.Passed).Select(t => t.Id).Order(StringComparer.Ordinal).ToList(); // ordered: runners report in a nondeterministic order
            BaselinePassing = passing;
            // A non-zero exit that no failing test explains means the script itself fails on the original (a build
            // step, a check after the tests, a crash): it does not pass, even though its tests do.
            var unexplainedExit = baseline.ExitCode != 0 && !baseline.Tests.Any(t => t.Status == TestStatus.Failed || t.Status == TestStatus.Error);
            if (!Decide(ValidationChecks.OriginalPasses, baseline.SuiteRan && !unexplainedExit && passing.Count >= Options.MinPassingTests,
                !baseline.SuiteRan ? $"the suite did not run to its end on the original: {baseline.Evidence}"
                : unexplainedExit ? $"test_script.sh exited {baseline.ExitCode} on the original though no test failed{(reused ? " (baseline reused)" : "")}"
                : $"{passing.Count} of {baseline.Tests.Count} tests pass on the original{(baseline.TimedOut ? " (timed out)" : "")}; at least {Options.MinPassingTests} required{(reused ? " (baseline reused)" : "")}"))
            {
                return;
            }

            // 7 and 8 are independent runs. The weakened run starts early; when validation stops before it is
            // needed (or fails), it is cancelled and awaited, never left running past the end of validation.
            using var hiddenCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var buggyTask = buggyRun is not null
                ? Task.FromResult<(TestRun?, string?)>((buggyRun, null))
                : RunAsync(ws => ApplyAsync(ws, artifact.BugInjectDiff, BugArtifactFiles.BugInject, cancellationToken), cancellationToken);
            var hiddenTask = RunAsync(
                async ws => await ApplyAsync(ws, artifact.BugInjectDiff, BugArtifactFiles.BugInject, hiddenCancellation.Token).ConfigureAwait(false)
                    ?? await ApplyAsync(ws, artifact.TestWeakenDiff, BugArtifactFiles.TestWeaken, hiddenCancellation.Token).ConfigureAwait(false),
                hiddenCancellation.Token);
            try
            {
                await RunBehaviourChecksAsync(buggyTask, hiddenTask, passing, injectPaths, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                if (!hiddenTask.IsCompleted)
                {
                    await hiddenCancellation.CancelAsync().ConfigureAwait(false);
                    try
                    {
                        await hiddenTask.ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (hiddenCancellation.IsCancellationRequested)
                    {
                        // Expected: nobody needs the weakened run any more.
                    }
                }
            }
        }

        /// <summary>7, 8 and 9: what the bug does to the tests, with and without the weakening.</summary>
        private async Task RunBehaviourChecksAsync(
            Task<(TestRun? Run, string? Problem)> buggyTask,
            Task<(TestRun? Run, string? Problem)> hiddenTask,
            List<string> passing,
            IReadOnlyList<string> injectPaths,
            CancellationToken cancellationToken)
        {
            var (buggy, buggyProblem) = await buggyTask.ConfigureAwait(false);
            var failToPass = buggy is null ? [] : passing.Where(id => !PassedIn(buggy, id)).ToList();
            var stillPassing = passing.Count - failToPass.Count;
            FailToPass = failToPass;
            var real = buggy is not null && buggy.SuiteRan && failToPass.Count >= Options.MinFailingTests && stillPassing > 0;
            var realEvidence = buggyProblem
                ?? (!buggy!.SuiteRan ? $"the suite did not run to its end with the bug ({buggy.Evidence}): the environment is broken, not the behaviour"
                : $"{failToPass.Count} baseline-passing test(s) fail with the bug ({List(failToPass)}); {stillPassing} still pass; need at least {Options.MinFailingTests} failing and 1 passing");
            if (!Decide(ValidationChecks.BugIsReal, real, realEvidence))
            {
                return;
            }

            var (hidden, hiddenProblem) = await hiddenTask.ConfigureAwait(false);
            var stillFailing = hidden is null ? failToPass : failToPass.Where(id => Failed(hidden, id)).ToList();
            if (!Decide(ValidationChecks.BugIsHidden, hidden is not null && hidden.SuiteRan && stillFailing.Count == 0,
                hiddenProblem
                ?? (!hidden!.SuiteRan ? $"the weakened suite did not run to its end ({hidden.Evidence})"
                : stillFailing.Count == 0 ? $"with the weakened tests none of the {failToPass.Count} failing tests fails"
                : $"still failing with the weakened tests: {List(stillFailing)}")))
            {
                return;
            }

            await CheckNoRedundantEditsAsync(injectPaths, failToPass, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>9. For each changed file: the full bug with that one file restored must let some test of F pass again.</summary>
        private async Task CheckNoRedundantEditsAsync(IReadOnlyList<string> injectPaths, List<string> failToPass, CancellationToken cancellationToken)
        {
            if (failToPass.Count == 0)
            {
                // Nothing fails, so there is nothing to measure an edit by: bug-is-real has already rejected the
                // artifact, and failing here too would blame every file for the same fault (and cost a run per file).
                Decide(ValidationChecks.NoRedundantEdits, passed: true, "not measurable: no baseline-passing test fails with the bug (see bug-is-real)");
                return;
            }

            if (injectPaths.Count == 1)
            {
                // The one file is the whole bug: restored, the tree is the original, where every test of F passes
                // (bug-is-real took F from the baseline's passing tests). A run would only repeat the baseline; the
                // restoring is still tried, since a bug that turns the file into a link out of the tree is refused there.
                await using (var workspace = await _runner.CreateWorkspaceAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (await ApplyAsync(workspace, artifact.BugInjectDiff, BugArtifactFiles.BugInject, cancellationToken).ConfigureAwait(false) is null)
                    {
                        RestoreOriginal(workspace, injectPaths[0]);
                    }
                }

                Decide(ValidationChecks.NoRedundantEdits, passed: true, $"the bug changes one file ({injectPaths[0]}); restoring it gives the original tree, where the {failToPass.Count} failing test(s) pass (baseline)");
                return;
            }

            var known = KnownWithout(injectPaths);
            var runs = injectPaths.Select(path => known.TryGetValue(path, out var other) ? Task.FromResult<(TestRun?, string?)>((null, null)) : RunAsync(
                async ws =>
                {
                    if (await ApplyAsync(ws, artifact.BugInjectDiff, BugArtifactFiles.BugInject, cancellationToken).ConfigureAwait(false) is { } problem)
                    {
                        return problem;
                    }

                    RestoreOriginal(ws, path);
                    return null;
                },
                cancellationToken)).ToList();

            // All settled before any verdict: a run that refused a path must not leave the others running unobserved.
            await Task.WhenAll(runs).ConfigureAwait(false);
            var padding = new List<string>();
            var useful = new List<string>();
            for (var i = 0; i < runs.Count; i++)
            {
                var (run, problem) = await runs[i].ConfigureAwait(false);
                var recovered = known.TryGetValue(injectPaths[i], out var other)
                    ? failToPass.Where(id => !other.Contains(id)).ToList()
                    : run is null ? [] : failToPass.Where(id => PassedIn(run, id)).ToList();
                if (problem is not null || recovered.Count == 0)
                {
                    padding.Add(injectPaths[i]);
                }
                else
                {
                    useful.Add($"{injectPaths[i]} (restoring it fixes {List(recovered, 3)})");
                }
            }

            Decide(ValidationChecks.NoRedundantEdits, padding.Count == 0,
                padding.Count == 0 ? $"every changed file matters: {List(useful, 20)}"
                : $"restoring these changed files alone fixes none of the failing tests (padding): {List(padding)}");
        }

        /// <summary>
        /// For each changed file whose restoring leaves exactly a known valid bug (the same file sections, the same test
        /// script): that bug's failing tests. In that tree every other baseline-passing test passed (the known bug's
        /// bug-is-real run made the list), so a run would only repeat it. A bug whose sections are not one file each
        /// (renames, copies) is always run.
        /// </summary>
        private Dictionary<string, HashSet<string>> KnownWithout(IReadOnlyList<string> injectPaths)
        {
            var known = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            var sections = SectionsByPath(artifact.BugInjectDiff);
            if (sections is null || sections.Count != injectPaths.Count || !injectPaths.All(sections.ContainsKey))
            {
                return known;
            }

            foreach (var bug in knownBugs.Where(b => b.TestScript == artifact.TestScript && b.Metadata.Validation is { Valid: true }))
            {
                var theirs = SectionsByPath(bug.BugInjectDiff);
                if (theirs is null || theirs.Count != sections.Count - 1 || !theirs.All(t => sections.TryGetValue(t.Key, out var text) && text == t.Value))
                {
                    continue;
                }

                var restored = sections.Keys.Single(p => !theirs.ContainsKey(p));
                known.TryAdd(restored, bug.Metadata.Validation!.FailToPass.ToHashSet(StringComparer.Ordinal));
            }

            return known;
        }

        /// <summary>Each file section's text by its path, or null when a path has two sections.</summary>
        private static Dictionary<string, string>? SectionsByPath(string diff)
        {
            var sections = new Dictionary<string, string>(StringComparer.Ordinal);
            return UnifiedDiff.Parse(diff).All(s => sections.TryAdd(s.Path, s.Text)) ? sections : null;
        }

        /// <summary>
        /// Puts one file the bug changed back as it was. The bug may have turned it (or a folder above it) into a
        /// symbolic link out of the tree, which a copy would follow: checked, and the entry replaced, never written through.
        /// </summary>
        /// <exception cref="UnsafePathException">The path leads outside the workspace after the bug.</exception>
        private void RestoreOriginal(Workspace workspace, string path)
        {
            var original = Path.Combine(environment.TreePath, path);
            var target = RepoPaths.Check(workspace.TreePath, path, ArtifactPaths.Origin(artifact, BugArtifactFiles.BugInject));
            if (File.Exists(target) || new FileInfo(target).LinkTarget is not null)
            {
                File.Delete(target);
            }

            if (File.Exists(original))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(original, target);
            }
        }

        /// <summary>A listed path (already checked to be inside) names a file of the repository: the snapshot, before any setup.</summary>
        private bool InRepository(string path) => File.Exists(Path.Combine(environment.Snapshot.TreePath, path));

        private static bool IsWellKnown(TestStatus status) =>
            status == TestStatus.Passed || status == TestStatus.Failed || status == TestStatus.Skipped || status == TestStatus.Error;

        private static bool PassedIn(TestRun run, string id) =>
            run.Tests.Any(t => t.Id == id && t.Status == TestStatus.Passed);

        /// <summary>Present and not passing (a deleted test is not a failure: the weakening may remove it).</summary>
        private static bool Failed(TestRun run, string id) =>
            run.Tests.Any(t => t.Id == id && t.Status != TestStatus.Passed && t.Status != TestStatus.Skipped);
    }
}
