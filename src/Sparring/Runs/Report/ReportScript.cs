namespace Sparring.Runs.Report;

/// <summary>
/// The report's script: reads the summary from <c>#run-data</c>, draws the four charts as SVG and makes the bug
/// table sortable. Plain ES5-style JavaScript with no dependencies, inlined and allowed by its hash in the page's CSP.
/// </summary>
/// <remarks>
/// Every chart is drawn in its own <c>try</c>, so one broken chart leaves the others; the outcome is written to
/// <c>body[data-charts]</c> (<c>ok</c>, or <c>error: …</c>), which is what the headless-browser test reads. A drawn
/// SVG gets <c>data-drawn="true"</c> and one <c>rect.bar</c> (with a <c>&lt;title&gt;</c>) per bar; an empty
/// dataset draws a <c>text.no-data</c> instead.
/// </remarks>
internal static class ReportScript
{
    public const string Js = """
        (function () {
          'use strict';
          var SVG = 'http://www.w3.org/2000/svg';
          var WIDTH = 560;
          var errors = [];

          function node(name, attributes, parent, text) {
            var element = document.createElementNS(SVG, name);
            Object.keys(attributes).forEach(function (key) { element.setAttribute(key, String(attributes[key])); });
            if (text !== undefined) { element.textContent = text; }
            if (parent) { parent.appendChild(element); }
            return element;
          }

          // Numbers arrive as JSON numbers, or as "NaN"/"Infinity" strings for a mean over nothing.
          function num(value) {
            if (value === null || value === undefined || value === '') { return NaN; }
            var n = Number(value);
            return isFinite(n) ? n : NaN;
          }

          function percent(ratio) { return isFinite(ratio) ? (ratio * 100).toFixed(1) + '%' : '\u2014'; }

          function count(value) { return isFinite(value) ? String(Math.round(value * 100) / 100) : '\u2014'; }

          function duration(seconds) {
            if (!isFinite(seconds)) { return '\u2014'; }
            if (seconds < 60) { return (seconds < 10 && seconds !== Math.round(seconds) ? seconds.toFixed(1) : String(Math.round(seconds))) + 's'; }
            var total = Math.round(seconds);
            var h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), s = total % 60;
            if (h > 0) { return h + 'h' + (m > 0 ? ' ' + m + 'm' : ''); }
            return m + 'm' + (s > 0 ? ' ' + s + 's' : '');
          }

          function shorten(label, max) { return label.length > max ? label.slice(0, max - 1) + '\u2026' : label; }

          // The smallest of 1, 2, 5 x 10^k at least raw: a readable tick step.
          function niceStep(raw) {
            if (!(raw > 0)) { return 1; }
            var power = Math.pow(10, Math.floor(Math.log(raw) / Math.LN10));
            var steps = [1, 2, 5, 10];
            for (var i = 0; i < steps.length; i++) { if (steps[i] * power >= raw * (1 - 1e-9)) { return steps[i] * power; } }
            return 10 * power;
          }

          function countStep(max) { return Math.max(1, niceStep(max / 4)); }

          function timeStep(max) {
            var raw = max / 4;
            var unit = raw >= 1800 ? 3600 : raw >= 30 ? 60 : 1;
            return unit === 1 ? niceStep(raw) : niceStep(raw / unit) * unit;
          }

          function canvas(id) {
            var figure = document.getElementById(id);
            var svg = figure && figure.querySelector('svg');
            if (!svg) { throw new Error('no svg in #' + id); }
            while (svg.firstChild) { svg.removeChild(svg.firstChild); }
            return svg;
          }

          function finish(svg, height) {
            svg.setAttribute('viewBox', '0 0 ' + WIDTH + ' ' + height);
            svg.setAttribute('data-drawn', 'true');
          }

          function noData(svg) {
            node('text', { 'class': 'no-data', x: WIDTH / 2, y: 50, 'text-anchor': 'middle', 'dominant-baseline': 'middle' }, svg, 'No data');
            svg.setAttribute('data-empty', 'true');
            finish(svg, 100);
          }

          // One horizontal bar per item ({ label, value, title }), on an axis from 0 to the largest value rounded
          // up to a whole step, or to fixedMax (1 for rates, so 100% always spans the axis).
          function bars(svg, items, step, format, fixedMax) {
            if (!items.length) { noData(svg); return; }
            var left = 170, right = 64, top = 8, row = 26, barHeight = 16;
            var span = WIDTH - left - right;
            var plotBottom = top + items.length * row;
            var max = 0;
            items.forEach(function (item) { if (item.value > max) { max = item.value; } });
            var ticks = Math.max(1, Math.ceil((fixedMax > 0 ? Math.max(fixedMax, max) : max) / step - 1e-9));
            var axisMax = ticks * step;
            for (var t = 0; t <= ticks; t++) {
              var x = left + span * t / ticks;
              node('line', { 'class': 'grid', x1: x, x2: x, y1: top - 4, y2: plotBottom }, svg);
              node('text', { 'class': 'tick', x: x, y: plotBottom + 16, 'text-anchor': 'middle' }, svg, format(axisMax * t / ticks));
            }
            items.forEach(function (item, i) {
              var y = top + i * row;
              var value = isFinite(item.value) ? Math.max(0, item.value) : 0;
              var width = span * Math.min(1, value / axisMax);
              var label = node('text', { 'class': 'label', x: left - 8, y: y + row / 2, 'text-anchor': 'end', 'dominant-baseline': 'middle' }, svg, shorten(item.label, 26));
              if (label.textContent !== item.label) { node('title', {}, label, item.label); }
              var bar = node('rect', { 'class': 'bar', x: left, y: y + (row - barHeight) / 2, width: width.toFixed(2), height: barHeight, rx: 2 }, svg);
              node('title', {}, bar, item.title);
              node('text', { 'class': 'value', x: left + width + 6, y: y + row / 2, 'dominant-baseline': 'middle' }, svg, format(item.value));
            });
            finish(svg, plotBottom + 24);
          }

          function drawSolveRate(svg, rows) {
            var items = rows.slice().sort(function (a, b) {
              var x = String(a.strategy), y = String(b.strategy);
              return x < y ? -1 : x > y ? 1 : num(a.order) - num(b.order);
            }).map(function (row) {
              var label = row.strategy + ' \u00b7 order ' + row.order;
              var rate = num(row.solveRate);
              return {
                label: label,
                value: rate,
                title: label + ': ' + percent(rate) + ' solved (' + row.solved + ' of ' + row.attempts + ' attempts, ' + row.bugs + (row.bugs === 1 ? ' bug' : ' bugs')
                  + (num(row.tampered) > 0 ? ', ' + row.tampered + ' tampered)' : ')')
              };
            });
            bars(svg, items, 0.25, percent, 1);
          }

          function drawRejections(svg, rejected) {
            var items = Object.keys(rejected).map(function (check) {
              var n = num(rejected[check]);
              return { label: check, value: n, title: check + ': ' + count(n) + ' rejected' };
            }).sort(function (a, b) { return (b.value - a.value) || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0); });
            var max = Math.max.apply(null, items.map(function (item) { return item.value; }).concat([0]));
            bars(svg, items, countStep(max), count);
          }

          function drawStageTime(svg, seconds) {
            var items = Object.keys(seconds).map(function (stage) {
              var s = num(seconds[stage]);
              return { label: stage, value: s, title: stage + ': ' + duration(s) + (isFinite(s) ? ' (' + s.toFixed(1) + ' s)' : '') };
            });
            var max = Math.max.apply(null, items.map(function (item) { return isFinite(item.value) ? item.value : 0; }).concat([0]));
            bars(svg, items, timeStep(max), duration);
          }

          // Injector rewards in 10 bins over [-1, 1] (the last bin closed); values outside are clamped, NaN skipped.
          function drawRewards(svg, bugs, mean) {
            var bins = 10, lo = -1, hi = 1, counts = [], total = 0, i;
            for (i = 0; i < bins; i++) { counts.push(0); }
            bugs.forEach(function (bug) {
              var v = num(bug.injectorReward);
              if (!isFinite(v)) { return; }
              // The epsilon keeps exact bin edges such as -α = -0.8 in their own bin despite float rounding.
              var bin = Math.floor((v - lo) / (hi - lo) * bins + 1e-9);
              counts[Math.max(0, Math.min(bins - 1, bin))]++;
              total++;
            });
            if (!total) { noData(svg); return; }
            var left = 44, right = 14, top = 10, height = 240, bottom = 44;
            var span = WIDTH - left - right, plotHeight = height - top - bottom;
            var step = countStep(Math.max.apply(null, counts));
            var ticks = Math.max(1, Math.ceil(Math.max.apply(null, counts) / step));
            var axisMax = ticks * step;
            for (var t = 0; t <= ticks; t++) {
              var y = top + plotHeight - plotHeight * t / ticks;
              node('line', { 'class': 'grid', x1: left, x2: WIDTH - right, y1: y, y2: y }, svg);
              node('text', { 'class': 'tick', x: left - 6, y: y, 'text-anchor': 'end', 'dominant-baseline': 'middle' }, svg, String(axisMax * t / ticks));
            }
            var binWidth = span / bins;
            for (i = 0; i < bins; i++) {
              var from = lo + (hi - lo) * i / bins, to = lo + (hi - lo) * (i + 1) / bins;
              var h = plotHeight * counts[i] / axisMax;
              var bar = node('rect', { 'class': 'bar', 'data-sign': from < 0 ? 'neg' : 'pos', x: (left + i * binWidth + 1).toFixed(2), y: (top + plotHeight - h).toFixed(2), width: (binWidth - 2).toFixed(2), height: h.toFixed(2) }, svg);
              node('title', {}, bar, '[' + from.toFixed(1) + ', ' + to.toFixed(1) + (i === bins - 1 ? ']' : ')') + ': ' + counts[i] + (counts[i] === 1 ? ' bug' : ' bugs'));
            }
            [-1, -0.5, 0, 0.5, 1].forEach(function (tick) {
              node('text', { 'class': 'tick', x: left + (tick - lo) / (hi - lo) * span, y: top + plotHeight + 16, 'text-anchor': 'middle' }, svg, String(tick));
            });
            node('text', { 'class': 'axis-label', x: left + span / 2, y: height - 6, 'text-anchor': 'middle' }, svg, 'injector reward (' + total + (total === 1 ? ' bug' : ' bugs') + ')');
            if (isFinite(mean)) {
              var x = left + (Math.max(lo, Math.min(hi, mean)) - lo) / (hi - lo) * span;
              var line = node('line', { 'class': 'mean', x1: x, x2: x, y1: top, y2: top + plotHeight }, svg);
              node('title', {}, line, 'mean ' + mean.toFixed(2));
            }
            finish(svg, height);
          }

          function compare(a, b, text) {
            if (text) { a = String(a); b = String(b); return a < b ? -1 : a > b ? 1 : 0; }
            a = num(a); b = num(b);
            if (isNaN(a) || isNaN(b)) { return isNaN(a) ? (isNaN(b) ? 0 : 1) : -1; }
            return a - b;
          }

          function sortableTable(bugs) {
            var table = document.getElementById('bugs');
            if (!table) { return; }
            var body = table.tBodies[0];
            var rows = Array.prototype.slice.call(body.rows).map(function (row) {
              return { row: row, index: Number(row.getAttribute('data-i')) };
            });
            var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
            headers.forEach(function (th) {
              var button = th.querySelector('button');
              if (!button) { return; }
              button.addEventListener('click', function () {
                var key = button.getAttribute('data-key');
                var text = key === 'id' || key === 'strategy';
                var sign = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
                headers.forEach(function (other) { other.removeAttribute('aria-sort'); });
                th.setAttribute('aria-sort', sign > 0 ? 'ascending' : 'descending');
                rows.sort(function (a, b) {
                  return sign * compare(bugs[a.index][key], bugs[b.index][key], text) || a.index - b.index;
                });
                var fragment = document.createDocumentFragment();
                rows.forEach(function (entry) { fragment.appendChild(entry.row); });
                body.appendChild(fragment);
              });
            });
          }

          function attempt(name, draw) {
            try { draw(); } catch (e) { errors.push(name + ': ' + (e && e.message ? e.message : String(e))); }
          }

          try {
            var data = JSON.parse(document.getElementById('run-data').textContent);
            var bugs = data.bugs || [];
            attempt('chart-solve-rate', function () { drawSolveRate(canvas('chart-solve-rate'), data.byStrategy || []); });
            attempt('chart-injector-reward', function () { drawRewards(canvas('chart-injector-reward'), bugs, num((data.meanReward || {}).injector)); });
            attempt('chart-rejections', function () { drawRejections(canvas('chart-rejections'), data.rejectedByCheck || {}); });
            attempt('chart-stage-time', function () { drawStageTime(canvas('chart-stage-time'), data.secondsByStage || {}); });
            attempt('bugs', function () { sortableTable(bugs); });
            if (getComputedStyle(document.documentElement).getPropertyValue('--report-styles').trim() !== 'ok') {
              errors.push('stylesheet not applied');
            }
          } catch (e) {
            errors.push('run-data: ' + (e && e.message ? e.message : String(e)));
          }
          document.body.setAttribute('data-charts', errors.length ? 'error: ' + errors.join('; ') : 'ok');
        })();
        """;
}
