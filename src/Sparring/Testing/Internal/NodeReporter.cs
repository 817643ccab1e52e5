namespace Sparring.Testing.Internal;

/// <summary>
/// Sparring's reporter for node's built-in test runner (<c>node --test --test-reporter=PATH</c>, Node 20+): an ES
/// module whose async generator turns the runner's events into one JSON object per line for every leaf test,
/// <c>{"file": "test/a.test.js", "name": "suite &gt; test", "status": "passed" | "failed" | "skipped" | "error", "message"?: "…"}</c>,
/// then <c>{"done": true, "tests": N}</c> when the event stream ends. The file makes equal test names in different
/// files distinct, which node's JUnit reporter (<c>classname="test"</c>) does not. <see cref="Parsers.NodeJsonlParser"/> reads it.
/// </summary>
/// <remarks>
/// Node reports a test's subtests before the test itself, so results wait at their nesting level until their parent
/// claims them. An event's <c>file</c> is where the test was defined, possibly a shared helper module, so a result's
/// file is the test file that ran it: node reports one file's events together and ends them with the file's own
/// <c>test:complete</c>. A parent is not itself a result, unless it failed for its own reason (a hook, code after its
/// subtests): then it gives an <c>error</c> line. A file that failed to load or crashed gives an <c>error</c> line with
/// an empty name and its stderr as the message; a file that ran and defined no test gives a <c>passed</c> line with an
/// empty name, as node counts it in its total. Results whose parent never reported carry <c>"orphan": true</c>.
/// </remarks>
internal static class NodeReporter
{
    /// <summary>Where the sandbox sees the tools directory (read-only).</summary>
    public const string SandboxDirectory = "/sparring/tools";

    public const string FileName = "node-reporter.mjs";

    /// <summary>The reporter's path inside the sandbox.</summary>
    public const string SandboxPath = SandboxDirectory + "/" + FileName;

    /// <summary>The report's file name in the results directory.</summary>
    public const string ReportFile = "node.jsonl";

    /// <summary>Writes the reporter into <paramref name="directory"/> (the host side of <see cref="SandboxDirectory"/>).</summary>
    public static Task WriteAsync(string directory, CancellationToken cancellationToken) =>
        File.WriteAllTextAsync(Path.Combine(directory, FileName), Source, cancellationToken);

    /// <summary>The module's source.</summary>
    public const string Source = """
// Sparring's node:test reporter: one JSON line per leaf test, then {"done":true,...} when the stream ends.
// A test with subtests is not itself a result (as in the JUnit reporter), unless it failed for its own
// reason (a hook, code after its subtests), which gives an extra "error" line named after it.
import { relative } from 'node:path';

// Node reports one test file's events together, a test's subtests before the test, and the file itself last.
// data.file is where a test was defined (maybe a helper module), so the file of an id is the test file that
// ran it, known when the file's own test completes; until then results wait in `batch`.
const levels = []; // by nesting: results waiting for their parent, { path, status, message, duration_ms }
const batch = []; // top-level results of the running file, with the file their definition is in as fallback
const stderr = new Map(); // file -> recent stderr text, the message of a file that failed to run
const crashed = new Set();

function level(list, depth) {
  while (list.length <= depth) list.push([]);
  return list[depth];
}

function messageOf(details) {
  const error = details?.error;
  if (!error) return undefined;
  const cause = error.cause ?? error;
  const text = typeof cause === 'object' && cause !== null && 'message' in cause ? `${cause.name ?? 'Error'}: ${cause.message}` : String(cause);
  return text.slice(0, 2000);
}

function line(file, entry) {
  const out = { file, name: entry.path.join(' > '), status: entry.status };
  if (entry.message) out.message = entry.message;
  if (typeof entry.duration_ms === 'number') out.duration_ms = entry.duration_ms;
  if (entry.orphan) out.orphan = true;
  return JSON.stringify(out) + '\n';
}

function fileOf(data) {
  return typeof data.file === 'string' ? relative(process.cwd(), data.file) || data.file : '';
}

export default async function* sparringReporter(source) {
  let tests;
  for await (const event of source) {
    const data = event.data ?? {};
    if (event.type === 'test:stderr' && typeof data.file === 'string') {
      stderr.set(data.file, ((stderr.get(data.file) ?? '') + String(data.message ?? '')).slice(-2000));
      continue;
    }

    if (event.type === 'test:diagnostic') {
      const m = /^tests (\d+)$/.exec(String(data.message ?? ''));
      if (m && !data.nesting) tests = Number(m[1]);
      continue;
    }

    const isFile = typeof data.file === 'string' && data.name === data.file && !data.nesting;
    if (event.type === 'test:complete' && isFile) {
      if (batch.length === 0 && !crashed.has(fileOf(data)) && data.details?.passed === true) {
        // A file that ran and defined no test (a helper a glob matched): node counts it as one passing test.
        yield line(fileOf(data), { path: [], status: 'passed' });
      }
      for (const entry of batch) yield line(fileOf(data), entry);
      batch.length = 0;
      continue;
    }

    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const file = fileOf(data);
    const failed = event.type === 'test:fail';
    if (isFile) {
      // The file's own test: node reports it when the file failed to load or crashed.
      if (failed && !crashed.has(file)) {
        crashed.add(file);
        yield line(file, { path: [], status: 'error', message: (stderr.get(data.file) ?? '').trim() || messageOf(data.details) });
      }
      continue;
    }

    const nesting = Number.isInteger(data.nesting) ? data.nesting : 0;
    const mine = level(levels, nesting);
    const children = level(levels, nesting + 1);
    const name = String(data.name ?? '');
    if (children.length > 0) {
      for (const child of children) mine.push({ ...child, path: [name, ...child.path] });
      children.length = 0;
      if (failed && data.details?.error?.failureType !== 'subtestsFailed') {
        mine.push({ file, path: [name], status: 'error', message: messageOf(data.details) });
      }
    } else if (data.details?.type === 'suite' && !failed) {
      // An empty describe: nothing ran.
    } else {
      const skipped = data.skip !== undefined && data.skip !== false || data.todo !== undefined && data.todo !== false;
      const reason = typeof data.skip === 'string' ? data.skip : typeof data.todo === 'string' ? data.todo : undefined;
      mine.push({
        file,
        path: [name],
        status: skipped ? 'skipped' : failed ? (data.details?.type === 'suite' ? 'error' : 'failed') : 'passed',
        message: skipped ? reason : messageOf(data.details),
        duration_ms: data.details?.duration_ms,
      });
    }

    if (nesting === 0) {
      for (const entry of mine) batch.push({ ...entry, file });
      mine.length = 0;
    }
  }

  // Results whose parent never reported (the run was cut short), deepest first; then a file that never completed.
  for (let depth = levels.length - 1; depth > 0; depth--) {
    for (const entry of levels[depth]) batch.push({ ...entry, orphan: true });
  }

  for (const entry of batch) yield line(entry.file ?? '', entry);

  yield JSON.stringify(tests === undefined ? { done: true } : { done: true, tests }) + '\n';
}
""";
}
