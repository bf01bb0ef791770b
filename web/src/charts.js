// Charts: Chart.js for bars, an HTML table for the utilization heatmap (so
// that plant names and values are real text, readable and testable).
import {
  BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip,
} from 'chart.js';

import { fmt, h } from './dom.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

const PALETTE = ['#1f5fa8', '#e07b39', '#2e8b57', '#b8336a', '#7a5195', '#8c6d31', '#3f9fb5',
  '#d4a017', '#5c6b73', '#c0392b'];

export function colour(i) { return PALETTE[i % PALETTE.length]; }

// Blue scale from white (0) to dark (1); above 1 turns red (over capacity).
function heatColour(share) {
  if (!(share >= 0)) return '#eee';
  if (share > 1.0001) return '#b3261e';
  const stops = [[247, 251, 255], [107, 174, 214], [8, 48, 107]];
  const x = Math.min(1, share) * 2;
  const i = Math.min(1, Math.floor(x));
  const t = x - i;
  const c = stops[i].map((v, k) => Math.round(v + (stops[i + 1][k] - v) * t));
  return `rgb(${c.join(',')})`;
}

// utilization: {plants: [{id, name}], months: [...], share: [[...]], built, capacity}
export function heatmap(utilization) {
  const { plants, months, share, built, capacity } = utilization;
  const head = h('tr', {}, h('th', {}, 'Plant'),
    months.map((m) => h('th', { class: 'month', title: m }, m)));
  const rows = plants.map((plant, p) => h('tr', { 'data-plant': plant.id },
    h('th', { scope: 'row' }, plant.name),
    months.map((m, t) => {
      // No capacity (an outage, capacity outside a recovery window): grey.
      const s = capacity[p][t] > 0 ? share[p][t] : NaN;
      const title = `${plant.name}, ${m}: ${fmt.units(built[p][t])} of ${fmt.units(capacity[p][t])} cars` +
        (capacity[p][t] > 0 ? ` (${fmt.percent(s)})` : ', no capacity');
      return h('td', { title, 'aria-label': title, style: { background: heatColour(s) } });
    })));
  return h('div', { class: 'heatmap' },
    h('table', { 'aria-label': 'Utilization by plant and month' }, h('thead', {}, head), h('tbody', {}, rows)),
    h('div', { class: 'legend' }, '0%', h('span', { class: 'bar' }), '100% of capacity at maximum shifts;',
      h('span', { style: { background: '#b3261e', width: '12px', height: '10px', display: 'inline-block' } }),
      'over;',
      h('span', { style: { background: '#eee', width: '12px', height: '10px', display: 'inline-block' } }),
      'no capacity'));
}

// A Chart.js bar chart in its own box; returns the box. Stacked when asked.
// integer: whole-number ticks on the value axis (counts).
export function barChart({ labels, datasets, stacked = false, horizontal = false, yTitle = '', integer = false }) {
  const canvas = h('canvas', { role: 'img', 'aria-label': yTitle });
  const box = h('div', { class: 'chart-box' }, canvas);
  const chart = new Chart(canvas, {
    type: 'bar',
    data: {
      labels,
      datasets: datasets.map((d, i) => ({ backgroundColor: colour(i), ...d })),
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      indexAxis: horizontal ? 'y' : 'x',
      scales: {
        x: { stacked },
        y: { stacked, title: { display: Boolean(yTitle), text: yTitle }, ticks: integer ? { precision: 0 } : {} },
      },
      plugins: { legend: { display: datasets.length > 1 } },
    },
  });
  box.chart = chart;
  return box;
}
