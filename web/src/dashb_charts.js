// Chart helpers of the disruption, line day and risk pages: a line chart
// (the risk page's exceedance curve), a utilization table of several plans
// aligned month by month, and a paint colour by its name.
import {
  CategoryScale, Chart, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip,
} from 'chart.js';

import { heatColour } from './charts.js';
import { fmt, h } from './dom.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Filler, Legend, Tooltip);

// points: [{x, y}] in order; marks: [{x, label}] drawn as vertical lines
// with their label (P10, P50, P90). Axis titles with units are required.
export function lineChart({ points, xTitle, yTitle, marks = [], yMax = null, xFormat = (x) => x }) {
  const canvas = h('canvas', { role: 'img', 'aria-label': `${yTitle} by ${xTitle}` });
  const box = h('div', { class: 'chart-box' }, canvas);
  const markPlugin = {
    id: 'marks',
    afterDatasetsDraw(chart) {
      const { ctx, chartArea, scales } = chart;
      ctx.save();
      ctx.strokeStyle = '#b3261e';
      ctx.fillStyle = '#b3261e';
      ctx.setLineDash([4, 3]);
      ctx.font = '12px system-ui, sans-serif';
      for (const m of marks) {
        const x = scales.x.getPixelForValue(m.x);
        if (!(x >= chartArea.left && x <= chartArea.right)) continue;
        ctx.beginPath();
        ctx.moveTo(x, chartArea.top);
        ctx.lineTo(x, chartArea.bottom);
        ctx.stroke();
        ctx.fillText(m.label, x + 3, chartArea.top + 12);
      }
      ctx.restore();
    },
  };
  box.chart = new Chart(canvas, {
    type: 'line',
    data: { datasets: [{ data: points, borderColor: '#1f5fa8', backgroundColor: '#1f5fa8', stepped: 'after', pointRadius: 2 }] },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      scales: {
        x: { type: 'linear', title: { display: true, text: xTitle }, ticks: { callback: (v) => xFormat(v) } },
        y: { min: 0, max: yMax === null ? undefined : yMax, title: { display: true, text: yTitle } },
      },
      plugins: { legend: { display: false } },
    },
    plugins: [markPlugin],
  });
  return box;
}

// Several plans' utilization in one table, so their months line up: per
// plant one row per plan. Each cell's share is measured against the
// reference capacity (the undisrupted plan's), so a stopped plant shows
// empty, not busy; a month whose capacity the events cut is hatched and its
// title says by how much. plans: [{key, title, utilization}], reference:
// a utilization with the same plants and months.
export function alignedHeatmap(plans, reference) {
  const { months, plants } = reference;
  const head = h('tr', {}, h('th', {}, 'Plant'), h('th', {}, 'Plan'),
    months.map((m) => h('th', { class: 'month', title: m }, m)));
  const rows = [];
  plants.forEach((plant, p) => {
    plans.forEach((plan, k) => {
      const u = plan.utilization;
      const q = u.plants.findIndex((x) => x.id === plant.id);
      rows.push(h('tr', { 'data-plant': plant.id, 'data-case': plan.key, class: k === 0 ? 'first' : '' },
        k === 0 ? h('th', { scope: 'rowgroup', rowspan: plans.length }, plant.name) : null,
        h('th', { scope: 'row', class: 'case' }, plan.title),
        months.map((m, t) => {
          const base = reference.capacity[p][t];
          const tt = u.months.indexOf(m);
          const built = q >= 0 && tt >= 0 ? u.built[q][tt] : 0;
          const cap = q >= 0 && tt >= 0 ? u.capacity[q][tt] : 0;
          const share = base > 0 ? built / base : NaN;
          const cut = base > 0 && cap < base - 0.5;
          const title = `${plant.name}, ${m}, ${plan.title}: ${fmt.units(built)} of ${fmt.units(base)} cars` +
            (base > 0 ? ` (${fmt.percent(share)} of the undisrupted capacity)` : ', no capacity') +
            (cut ? `; the events cut capacity to ${fmt.units(cap)} (${fmt.percent(cap / base)})` : '');
          return h('td', {
            title, 'aria-label': title, class: cut ? 'cut' : '', style: { background: heatColour(share) },
          }, cut && cap <= 0.5 ? '×' : '');
        })));
    });
  });
  return h('div', { class: 'heatmap dashb-heatmap' },
    h('table', { 'aria-label': 'Utilization by plant, plan and month' }, h('thead', {}, head), h('tbody', {}, rows)),
    h('div', { class: 'legend' }, '0%', h('span', { class: 'bar' }), '100% of the undisrupted capacity at maximum shifts;',
      h('span', { class: 'swatch', style: { background: '#b3261e' } }), 'over (extra shifts, weekends);',
      h('span', { class: 'swatch cut-swatch' }), 'capacity cut by the events (× stopped)'));
}

// CSS colours for paint names as scenarios spell them ("green", "white",
// "santorini-black", "firenze red"): the first known colour word in the
// name; unknown names get a neutral tone.
const PAINT_WORDS = {
  white: '#ffffff', black: '#111111', grey: '#8a8d91', gray: '#8a8d91', silver: '#c0c4c8', red: '#c62828',
  blue: '#1f5fa8', green: '#2e7d32', yellow: '#f2c200', orange: '#ef6c00', brown: '#6d4c41', beige: '#d8c8a8',
  gold: '#c9a227', purple: '#6a1b9a', bronze: '#9c6b30', copper: '#b87333', pearl: '#f4f1ea', navy: '#1a2a5a',
};
export function paintColour(name) {
  const words = String(name).toLowerCase().split(/[^a-z]+/);
  for (const w of words) if (PAINT_WORDS[w]) return PAINT_WORDS[w];
  return '#b0a8c8';
}
// Light paints need an outline to show on a white page.
export function isLightPaint(colour) {
  const n = parseInt(colour.slice(1), 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  return 0.299 * r + 0.587 * g + 0.114 * b > 200;
}

// Sets both axis titles of a chart box made by charts.js (barChart), so the
// unit sits on the value axis whichever way the bars run.
export function axisTitles(box, xTitle, yTitle) {
  const { scales } = box.chart.options;
  scales.x.title = { display: Boolean(xTitle), text: xTitle };
  scales.y.title = { display: Boolean(yTitle), text: yTitle };
  box.chart.update();
  return box;
}
