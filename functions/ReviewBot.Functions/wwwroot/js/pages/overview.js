// Overview: charts of the hourly rollups (GET /api/stats/hourly): tasks ended per hour by final state, queue and run
// time (p50/p95), agent utilisation, findings per repository. Drawn with uPlot (MIT; npm `uplot`, served from lib/uplot).
import { get, describe } from '../api.js';
import { h, fill, empty } from '../dom.js';

const RANGES = [['1', 'Last 24 hours'], ['7', 'Last 7 days'], ['31', 'Last 31 days']];
const STATE_COLOURS = { succeeded: '#067647', failed: '#b42318', errored: '#7a2e0e', cancelled: '#667085', timedout: '#b54708', skipped: '#98a2b3' };
const PALETTE = ['#2459c9', '#c11574', '#067647', '#b54708', '#6941c6', '#0e9384', '#b42318', '#475467', '#dd2590', '#98a2b3'];
let days = '1'; // the range chosen, kept while the dashboard is open

const seconds = v => v == null ? '–' : v < 120 ? `${Math.round(v * 10) / 10} s` : v < 7200 ? `${Math.round(v / 6) / 10} min` : `${Math.round(v / 360) / 10} h`;
const percent = v => v == null ? '–' : `${Math.round(v * 1000) / 10} %`;
const count = v => v == null ? '–' : String(Math.round(v * 100) / 100);

export async function render(main) {
  const charts = [];
  const body = h('div#overview-body');
  const range = h('select#overview-range', { 'aria-label': 'Range', onchange: () => { days = range.value; load(); } },
    RANGES.map(([v, t]) => h('option', { value: v, selected: v === days }, t)));
  main.append(h('section.page', {},
    h('div.page-head', {}, h('h1', {}, 'Overview'), range, h('span.muted', {}, 'per hour, from the rollups of ended tasks (times in your time zone)')),
    body));

  function destroy() { while (charts.length) charts.pop().destroy(); }

  async function load() {
    destroy();
    const to = new Date();
    const from = new Date(to.getTime() - Number(days) * 86400000);
    let stats;
    try {
      stats = await get(`/api/stats/hourly?from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`);
    } catch (e) {
      fill(body, h('p.error', {}, describe(e, 'The hourly statistics')));
      return;
    }
    if (typeof window.uPlot !== 'function') {
      fill(body, h('p.error', {}, 'The chart library (lib/uplot) is missing on this server: run npm ci and build again.'));
      return;
    }
    const x = stats.hours.map(t => Date.parse(t) / 1000);
    const states = Object.entries(stats.tasks ?? {}).filter(([, v]) => v.some(n => n > 0));
    const figures = [
      figure('tasks', 'Tasks ended per hour, by final state', states.length
        ? states.map(([s, v]) => ({ label: s, color: STATE_COLOURS[s] ?? '#475467', values: v }))
        : null, count, 'No task ended in this range.', true),
      figure('queue', 'Queue time (created → started)', durations(stats.queue), seconds, 'No task started in this range.'),
      figure('run', 'Run time (started → ended)', durations(stats.run), seconds, 'No task ran in this range.'),
      figure('agents', 'Agent utilisation (busy time ÷ capacity)', stats.agents?.length
        ? stats.agents.map((a, i) => ({ label: a.agent, color: PALETTE[i % PALETTE.length], values: a.utilisation }))
        : null, percent, 'No agent ran a task in this range.'),
      figure('findings', 'Findings per repository', stats.findings?.length
        ? stats.findings.map((f, i) => ({ label: f.repository, color: PALETTE[i % PALETTE.length], values: f.findings }))
        : null, count, 'No findings in this range.', true),
    ];
    fill(body, h('div.charts', {}, figures.map(f => f.element)));
    for (const f of figures) if (f.series) charts.push(draw(f.plot, x, f.series, f.format, f.steps));
  }

  function durations(d) {
    if (!d || !d.count.some(n => n > 0)) return null;
    return [{ label: 'p50', color: '#2459c9', values: d.p50 }, { label: 'p95', color: '#c11574', values: d.p95 }];
  }

  function figure(name, title, series, format, none, steps = false) {
    const plot = h('div.plot');
    const element = h('figure.chart', { 'data-chart': name }, h('figcaption', {}, title), series ? plot : empty(none));
    return { element, plot, series, format, steps };
  }

  function draw(el, x, series, format, steps) {
    const opts = {
      width: Math.max(320, el.clientWidth || 600), height: 220,
      scales: { x: { time: true } },
      series: [{ value: (u, v) => v == null ? '' : new Date(v * 1000).toLocaleString() },
        ...series.map(s => ({ label: s.label, stroke: s.color, width: 2, spanGaps: false, value: (u, v) => format(v),
          paths: steps ? window.uPlot.paths.stepped({ align: 1 }) : undefined, points: { show: true, size: 4 } }))],
      axes: [{}, { values: (u, vals) => vals.map(format), size: 70 }],
    };
    return new window.uPlot(opts, [x, ...series.map(s => s.values)], el);
  }

  const resize = () => { for (const c of charts) c.setSize({ width: Math.max(320, c.root.parentElement.clientWidth), height: 220 }); };
  window.addEventListener('resize', resize);
  await load();
  return () => { window.removeEventListener('resize', resize); destroy(); };
}
