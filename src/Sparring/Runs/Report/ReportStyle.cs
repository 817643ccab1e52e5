namespace Sparring.Runs.Report;

/// <summary>The report's stylesheet, inlined in a <c>&lt;style&gt;</c> element (allowed by its hash in the page's CSP).</summary>
/// <remarks><c>--report-styles</c> lets the script check that the stylesheet was applied; a wrong CSP hash would
/// otherwise leave an unstyled page that no test notices.</remarks>
internal static class ReportStyle
{
    public const string Css = """
        :root {
          --report-styles: ok;
          --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --panel: #f6f8fa; --line: #d1d9e0;
          --bar: #2f6fdb; --pos: #1a7f37; --neg: #cf222e;
          color-scheme: light dark;
        }
        @media (prefers-color-scheme: dark) {
          :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --panel: #151b23; --line: #3d444d; --bar: #4493f8; --pos: #3fb950; --neg: #f85149; }
        }
        * { box-sizing: border-box; }
        body { margin: 0; padding: 24px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
        main { max-width: 1180px; margin: 0 auto; }
        h1 { font-size: 22px; margin: 0 0 4px; }
        h2 { font-size: 16px; margin: 28px 0 10px; }
        code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
        .meta { color: var(--muted); margin: 0 0 16px; }
        .totals { display: grid; grid-template-columns: repeat(auto-fill, minmax(120px, 1fr)); gap: 10px; margin: 0; }
        .totals div { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
        .totals dt { color: var(--muted); font-size: 12px; }
        .totals dd { margin: 2px 0 0; font-size: 20px; font-weight: 600; font-variant-numeric: tabular-nums; }
        .totals dd small { font-size: 12px; font-weight: 400; color: var(--muted); }
        .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 16px; }
        figure.chart { margin: 0; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 12px; }
        figure.chart figcaption { font-weight: 600; margin-bottom: 8px; }
        figure.chart figcaption span { display: block; font-weight: 400; font-size: 12px; color: var(--muted); }
        figure.chart svg { display: block; width: 100%; height: auto; }
        svg text { fill: var(--fg); font-size: 11px; }
        svg text.tick, svg text.axis-label { fill: var(--muted); }
        svg line.grid { stroke: var(--line); }
        svg line.mean { stroke: var(--fg); stroke-dasharray: 4 3; }
        svg text.no-data { fill: var(--muted); font-size: 14px; }
        rect.bar { fill: var(--bar); }
        rect.bar[data-sign="neg"] { fill: var(--neg); }
        rect.bar[data-sign="pos"] { fill: var(--pos); }
        rect.bar:hover { opacity: 0.75; }
        .table-wrap { overflow-x: auto; }
        table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
        th, td { padding: 5px 10px; border-bottom: 1px solid var(--line); text-align: left; white-space: nowrap; }
        th { position: sticky; top: 0; background: var(--bg); }
        .num { text-align: right; }
        th button { all: unset; cursor: pointer; font-weight: 600; }
        th button:focus-visible { outline: 2px solid var(--bar); outline-offset: 2px; }
        th[aria-sort="ascending"] button::after { content: " \25B2"; font-size: 10px; }
        th[aria-sort="descending"] button::after { content: " \25BC"; font-size: 10px; }
        tbody tr:hover { background: var(--panel); }
        a { color: var(--bar); }
        .pos { color: var(--pos); }
        .neg { color: var(--neg); }
        .tampered { color: var(--neg); font-weight: 700; }
        .empty, footer { color: var(--muted); }
        footer { margin-top: 24px; font-size: 12px; }
        """;
}
