namespace Sparring.Testing.Internal;

/// <summary>
/// Sparring's mocha reporter (<c>mocha --reporter PATH</c>, mocha 4+): one JSON line per test in the format of
/// <see cref="NodeReporter"/>, <c>{"file": "test/a.spec.js", "name": "suite &gt; test", "status": …, "message"?: …}</c>,
/// then <c>{"done": true, "tests": N}</c> when the run ends, read by <see cref="Parsers.NodeJsonlParser"/>. mocha's TAP
/// reporter names no file, so equal titles in two files (<c>math adds</c>) merged into one result.
/// </summary>
/// <remarks>
/// A failed hook gives an <c>error</c> line for the suite it belongs to (its tests that never ran are not reported,
/// as in mocha's own summary). A file that fails to load stops mocha before the run: no end line, so the run does not count as complete.
/// </remarks>
internal static class MochaReporter
{
    public const string FileName = "mocha-reporter.cjs";

    /// <summary>The reporter's path inside the sandbox.</summary>
    public const string SandboxPath = NodeReporter.SandboxDirectory + "/" + FileName;

    /// <summary>The report's file name in the results directory.</summary>
    public const string ReportFile = "mocha.jsonl";

    /// <summary>Writes the reporter into <paramref name="directory"/> (the host side of <see cref="NodeReporter.SandboxDirectory"/>).</summary>
    public static Task WriteAsync(string directory, CancellationToken cancellationToken) =>
        File.WriteAllTextAsync(Path.Combine(directory, FileName), Source, cancellationToken);

    /// <summary>The module's source.</summary>
    public const string Source = """
// Sparring's mocha reporter: one JSON line per test with its file, then {"done":true,"tests":N} at the end of the
// run, into /sparring/results/mocha.jsonl; a short line per test on stdout for people reading the log.
'use strict';
const fs = require('fs');
const path = require('path');

function SparringMochaReporter(runner) {
  const fd = fs.openSync('/sparring/results/mocha.jsonl', 'w');
  let count = 0;
  let failures = 0;

  const fileOf = (runnable) => {
    for (let r = runnable; r; r = r.parent) {
      if (r.file) return path.relative(process.cwd(), r.file) || r.file;
    }
    return '';
  };
  const titlesOf = (runnable) => {
    if (typeof runnable.titlePath === 'function') return runnable.titlePath();
    return [typeof runnable.fullTitle === 'function' ? runnable.fullTitle() : String(runnable.title ?? '')];
  };
  const messageOf = (err) => {
    if (!err) return undefined;
    const text = typeof err === 'object' && 'message' in err ? `${err.name ?? 'Error'}: ${err.message}` : String(err);
    return text.slice(0, 2000);
  };
  const emit = (entry) => {
    fs.writeSync(fd, JSON.stringify(entry) + '\n');
    const mark = entry.status === 'failed' || entry.status === 'error' ? 'not ok' : 'ok';
    process.stdout.write(`${mark} ${entry.file} > ${entry.name}${entry.status === 'skipped' ? ' # SKIP' : ''}\n`);
  };
  const report = (test, status, err) => {
    count++;
    const entry = { file: fileOf(test), name: titlesOf(test).join(' > '), status };
    const message = messageOf(err);
    if (message) entry.message = message;
    if (typeof test.duration === 'number') entry.duration_ms = test.duration;
    emit(entry);
  };

  runner.on('pass', (test) => report(test, 'passed'));
  runner.on('pending', (test) => report(test, 'skipped'));
  runner.on('fail', (runnable, err) => {
    failures++;
    if (runnable.type !== 'hook') {
      report(runnable, 'failed', err);
      return;
    }

    // A hook failed: an error for its suite (the root suite has no title, so the hook's own title names it).
    count++;
    const suite = runnable.parent;
    const titles = suite && typeof suite.titlePath === 'function' ? suite.titlePath() : [];
    emit({ file: fileOf(runnable), name: titles.length > 0 ? titles.join(' > ') : String(runnable.title ?? 'hook'), status: 'error', message: `${runnable.title}: ${messageOf(err)}` });
  });
  runner.once('end', () => {
    fs.writeSync(fd, JSON.stringify({ done: true, tests: count }) + '\n');
    fs.closeSync(fd);
    process.stdout.write(`# ${count} results, ${failures} failed\n`);
  });
}

module.exports = SparringMochaReporter;
""";
}
