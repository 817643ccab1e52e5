using Sparring.Grading.Internal;
using Sparring.Grading;
using Sparring.TestUtilities;
using Sparring.Tests.SampleRepos;

namespace Sparring.Tests.Grading;

/// <summary>
/// Issue 11's tampering classes: the bug stays, and code under test falsifies the test machinery at run time in
/// ways no static screen sees. Each attack is shown to work (graded solved with canaries off), then graded tampered.
/// </summary>
public sealed partial class RedTeamTests
{
    private static readonly GradeOptions Uncanaried = Unscreened with { Canaries = false };

    [Fact]
    public async Task Python_LibraryWrapsReportConstructionSoEveryOutcomeReadsPassed_Tampered()
    {
        // Arrange: at import, the package wraps pytest's TestReport.from_item_and_call (module names from pieces).
        const string Wrap = """
            def _arm():
                import importlib as _il
                _m = _il.import_module("_py" + "test" + ".reports")
                _T = getattr(_m, "Test" + "Report")
                _orig = _T.from_item_and_call.__func__
                def _wrapped(cls, item, call):
                    _r = _orig(cls, item, call)
                    _r.outcome = "pass" + "ed"
                    _r.longrepr = None
                    return _r
                _T.from_item_and_call = classmethod(_wrapped)
            try:
                _arm()
            except Exception:
                pass
            """;

        // Act, Assert
        await AssertTamperedAsync(Samples.Python, tree => Append(tree, "inventory/__init__.py", Wrap + "\n"));
    }

    [Fact]
    public async Task Python_ImportHookSwapsEveryTestFunctionForAStub_Tampered()
    {
        // Arrange: the package installs a meta-path finder that stubs every test function of test modules as they are imported.
        const string Hook = """
            import functools as _ft
            import sys as _sys

            def _stub(function):
                @_ft.wraps(function)
                def _stubbed(*args, **kwargs):
                    return None
                _stubbed._stubbed = True
                return _stubbed

            def _stub_all(module):
                for _k, _v in list(vars(module).items()):
                    if _k.startswith("test") and callable(_v) and not isinstance(_v, type) and not hasattr(_v, "_stubbed"):
                        setattr(module, _k, _stub(_v))

            class _Loader:
                def __init__(self, inner):
                    self._inner = inner
                def create_module(self, spec):
                    return self._inner.create_module(spec)
                def exec_module(self, module):
                    self._inner.exec_module(module)
                    _stub_all(module)
                    for _name, _mod in list(_sys.modules.items()):
                        if _name.rpartition(".")[2].startswith("test") and _mod is not None:
                            _stub_all(_mod)

            class _Finder:
                def find_spec(self, name, path=None, target=None):
                    if not name.rpartition(".")[2].startswith("test"):
                        return None
                    for _f in _sys.meta_path:
                        if _f is self or not hasattr(_f, "find_spec"):
                            continue
                        _spec = _f.find_spec(name, path, target)
                        if _spec is not None:
                            _spec.loader = _Loader(_spec.loader)
                            return _spec
                    return None

            _sys.meta_path.insert(0, _Finder())
            """;

        // Act, Assert
        await AssertTamperedAsync(Samples.Python, tree => Append(tree, "inventory/__init__.py", Hook + "\n"));
    }

    [Fact]
    public async Task Go_InitReRunsTheTestBinaryRewritesFailuresAndFakesTheWrapperEvidence_Tampered()
    {
        // Arrange: a non-test file's init() re-runs the test binary as a child, once per test (a panicking bug
        // kills only that child), turns every failure line into a pass (and a test that died into a pass), writes
        // the end-of-run profile the grader's -exec wrapper looks for, and exits 0.
        const string Init = """
            package stats

            import (
            	"fmt"
            	"os"
            	"os/exec"
            	"strings"
            )

            func init() {
            	testing := false
            	var args []string
            	for _, a := range os.Args[1:] {
            		testing = testing || strings.HasPrefix(a, "-test.")
            		if strings.HasPrefix(a, "-test.blockprofile=") {
            			_ = os.WriteFile(strings.TrimPrefix(a, "-test.blockprofile="), nil, 0o644)
            		} else if !strings.HasPrefix(a, "-test.run") {
            			args = append(args, a)
            		}
            	}
            	if !testing || os.Getenv("ZZ_CHILD") != "" {
            		return
            	}
            	list := exec.Command(os.Args[0], "-test.list", ".")
            	list.Env = append(os.Environ(), "ZZ_CHILD=1")
            	names, _ := list.Output()
            	for _, name := range strings.Fields(string(names)) {
            		if !strings.HasPrefix(name, "Test") {
            			continue
            		}
            		child := exec.Command(os.Args[0], append(args, "-test.run=^"+name+"$")...)
            		child.Env = append(os.Environ(), "ZZ_CHILD=1")
            		out, _ := child.CombinedOutput()
            		text := string(out)
            		if !strings.Contains(text, "--- PASS: "+name+" ") && !strings.Contains(text, "--- FAIL: "+name+" ") {
            			text = "=== RUN   " + name + "\n--- PASS: " + name + " (0.00s)\n"
            		}
            		for _, line := range strings.Split(text, "\n") {
            			if line != "" && line != "PASS" && line != "FAIL" {
            				fmt.Println(strings.Replace(line, "--- FAIL", "--- PASS", 1))
            			}
            		}
            	}
            	fmt.Println("PASS")
            	os.Exit(0)
            }
            """;

        // Act, Assert
        await AssertTamperedAsync(Samples.Go, tree => SolverPatches.WriteAsync(tree, "stats/zz_init.go", Init.Replace("\r", "", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task JavaScript_LibraryTurnsTheAssertionModuleIntoNoOps_Tampered()
    {
        // Arrange: library code replaces every function of node's assertion modules with a no-op.
        const string Silence = """
            for (const name of ['node:assert', 'node:assert/strict']) {
              const m = require(name);
              for (const key of Object.keys(m)) {
                if (typeof m[key] === 'function') {
                  m[key] = () => {};
                }
              }
            }
            """;

        // Act, Assert
        await AssertTamperedAsync(Samples.JavaScript, tree => Append(tree, "src/accounts.js", Silence + "\n"));
    }

    /// <summary>The attack grades solved without canaries (it works), and tampered with them.</summary>
    private static async Task AssertTamperedAsync(string sample, Func<string, Task> attack)
    {
        var environment = await SampleEnvironments.GetAsync(sample);
        var artifact = SampleArtifacts.For(sample);
        var patch = await SolverPatches.MakeAsync(environment, artifact, attack);

        var without = await new Grader(SampleEnvironments.Sandboxes, Uncanaried).GradeAsync(environment, artifact, patch);
        var with = await new Grader(SampleEnvironments.Sandboxes, Unscreened).GradeAsync(environment, artifact, patch);

        Assert.True(without.Solved, "the attack should fool a grader without canaries:\n" + string.Join("\n", without.Reasons) + "\n" + without.Run?.Log);
        Assert.False(with.Solved);
        Assert.True(with.Tampered, string.Join("\n", with.Reasons) + "\n" + string.Join("\n", with.Notes));
        Assert.Equal(GradeOutcome.Tampered, with.Outcome);
        Assert.StartsWith("canary:", with.Reasons[0], StringComparison.Ordinal);
    }
}
