// Charts: Chart.js for bars, an HTML table for the utilization heatmap (so
// that plant names and values are real text, readable and testable).
import {
  BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip,
} from 'chart.js';

import { fmt, h } from './dom.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

const PALETTE = ['#1f5fa8', '#e07b39', '#2e8b57', '#b8336a', '#7a5195', '#8c6d31', '#3f9fb5',
  '#d4a017', '#5c6b73', '#c0392b'];


function hexToHsl(hex) {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const l = (max + min) / 2;
  if (max === min) return [0, 0, l];
  const d = max - min;
  const sat = l > 0.5 ? d / (2 - max - min) : d / (max + min);
  const hue = max === r ? (g - b) / d + (g < b ? 6 : 0) : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  return [hue * 60, sat, l];
}

// The i-th series' colour (a brand's, a company's): the palette's for the
// first ten, then hues spread by the golden angle, so none repeats.
export function colour(i) {
  if (i < PALETTE.length) return PALETTE[i];
  return `hsl(${Math.round((i * 137.508) % 360)}, 55%, 45%)`;
}

// A colour per variant that keeps every variant distinct however many there
// are: its brand's hue, in a shade of its own among the brand's variants
// (lightness spread from dark to light), so a block still reads as its brand.
// brands: [{id}] in scenario order; variants: [{id, brand}]. Returns
// {variantId: css colour}.
export function variantColours(brands, variants) {
  const brandIndex = Object.fromEntries(brands.map((b, i) => [b.id, i]));
  const byBrand = {};
  for (const v of variants) (byBrand[v.brand] = byBrand[v.brand] || []).push(v.id);
  const out = {};
  for (const [brand, ids] of Object.entries(byBrand)) {
    const i = brandIndex[brand] ?? brands.length + Object.keys(byBrand).indexOf(brand);
    const base = colour(i);
    const [hue, sat] = base.startsWith('#') ? hexToHsl(base) : [(i * 137.508) % 360, 0.55];
    ids.forEach((id, k) => {
      // One variant: the brand's own colour; more: 25% to 75% lightness.
      const light = ids.length === 1 ? null : 25 + (50 * k) / (ids.length - 1);
      out[id] = light === null ? base
        : `hsl(${Math.round(hue)}, ${Math.round(Math.max(0.35, sat) * 100)}%, ${light.toFixed(1)}%)`;
    });
  }
  return out;
}

// Blue scale from white (0) to dark (1); above 1 turns red (over capacity);
// no plan: light grey. The heatmaps of every page share it.
export function heatColour(share) {
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
// valueTitle (or yTitle, its older name) titles the value axis, whichever
// way the bars run, and categoryTitle the other axis; both say their unit.
// integer: whole-number ticks on the value axis (counts).
export function barChart({
  labels, datasets, stacked = false, horizontal = false, yTitle = '', valueTitle = yTitle, categoryTitle = '',
  integer = false, id,
}) {
  const canvas = h('canvas', { role: 'img', 'aria-label': [valueTitle, categoryTitle].filter(Boolean).join(' by ') });
  const box = h('div', { class: 'chart-box', id }, canvas);
  const valueAxis = {
    stacked,
    title: { display: Boolean(valueTitle), text: valueTitle },
    ticks: { ...(integer ? { precision: 0 } : {}), callback: (v) => fmt.units(v) },
  };
  const categoryAxis = { stacked, title: { display: Boolean(categoryTitle), text: categoryTitle } };
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
      scales: horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
      plugins: {
        legend: { display: datasets.length > 1 },
        tooltip: {
          callbacks: {
            label: (c) => `${c.dataset.label ? `${c.dataset.label}: ` : ''}${fmt.units(horizontal ? c.parsed.x : c.parsed.y)}`,
          },
        },
      },
    },
  });
  box.chart = chart;
  return box;
}

// A Gantt per line, months across (docs/api.md, plan views): each line's
// month is a block filled to its utilization, split by brand (a block per
// brand's cars); retooling rows show the lead time from decision to ready,
// the downtime months and the ramp-up; plant rows show shutdown days and
// the month-end finished-goods stock where the plan holds some. A month
// whose capacity the events cut (an outage) is hatched. Every block has a
// title with its numbers, so the chart reads without colour too.
//
// view: {months, plants: [{id, name}], lines: [...], calendars: [...],
//        retooling: [...], stock: [...]?, brands, variants}; plantIds: the
// plants to draw; by: 'brand' (a block per brand) or 'variant'.
export function gantt(view, plantIds, { by = 'brand' } = {}) {
  const { months } = view;
  const variantOf = Object.fromEntries((view.variants || []).map((v) => [v.id, v]));
  // The groups blocks are coloured by, in scenario order: brands in their
  // own colours, variants in shades of their brand's (variantColours), so
  // no two variants share a colour however many there are.
  const groups = by === 'variant' ? (view.variants || []) : view.brands;
  const brandIndex = Object.fromEntries(groups.map((b, i) => [b.id, i]));
  const brandName = Object.fromEntries(groups.map((b) => [b.id, b.name || b.id]));
  const shades = by === 'variant' ? variantColours(view.brands, view.variants || []) : null;
  const colourOf = (g) => (shades ? shades[g] || '#999' : colour(brandIndex[g] ?? 0));
  // Legend and block order: variants grouped under their brand.
  const brandOrder = Object.fromEntries((view.brands || []).map((b, i) => [b.id, i]));
  const order = (g) => (by === 'variant'
    ? (brandOrder[(view.variants || [])[brandIndex[g]]?.brand] ?? 0) * 10000 + (brandIndex[g] ?? 0)
    : brandIndex[g] ?? 0);
  const monthIndex = Object.fromEntries(months.map((m, t) => [m, t]));
  const usedBrands = new Set();
  const head = h('tr', {}, h('th', { class: 'gantt-label' }, ''),
    months.map((m, t) => h('th', { class: 'gantt-month', title: m },
      t === 0 || m.endsWith('-01') ? m.slice(0, 4) : '', h('br'), m.slice(5))));
  const rows = [];
  for (const plantId of plantIds) {
    const plant = view.plants.find((p) => p.id === plantId);
    if (!plant) continue;
    rows.push(h('tr', { class: 'gantt-plant' }, h('th', { colspan: months.length + 1, scope: 'rowgroup' }, plant.name)));
    for (const line of view.lines.filter((l) => l.plant === plantId)) {
      const byMonth = months.map(() => []);
      for (const v of line.variants) byMonth[monthIndex[v.month]].push(v);
      rows.push(h('tr', { 'data-line': line.id }, h('th', { class: 'gantt-label', scope: 'row' }, line.id),
        months.map((m, t) => {
          const cap = line.capacity[t];
          const built = line.built[t];
          const brands = {};
          for (const v of byMonth[t]) {
            const brand = by === 'variant' || !variantOf[v.variant] ? v.variant : variantOf[v.variant].brand;
            brands[brand] = (brands[brand] || 0) + v.units;
          }
          const scale = Math.max(cap, built, 1);
          const blocks = Object.entries(brands).sort((a, b) => order(a[0]) - order(b[0])).map(([b, u]) => {
            usedBrands.add(b);
            return h('span', {
              class: 'gantt-block',
              style: { height: `${Math.max(2, (100 * u) / scale)}%`, background: colourOf(b) },
              'data-group': b,
            });
          });
          const outage = line.availability[t] < 0.999;
          const variants = byMonth[t].map((v) => `${v.variant} ${fmt.units(v.units)}`).join(', ');
          const shifts = line.shifts_per_day[t] + line.extra_shifts_per_day[t];
          const title = `${line.id}, ${m}: ${fmt.units(built)} of ${fmt.units(cap)} cars` +
            (cap > 0 ? ` (${fmt.percent(built / cap)})` : ', no capacity') +
            `; ${shifts} shift(s) a day${line.weekend_days[t] ? `, ${line.weekend_days[t]} weekend days` : ''}` +
            (outage ? `; events leave ${fmt.percent(line.availability[t])} of capacity` : '') +
            (variants ? `; ${variants}` : '');
          return h('td', { class: `gantt-cell${outage ? ' outage' : ''}`, title, 'data-month': m }, blocks);
        })));
      for (const r of (view.retooling || []).filter((x) => x.line === line.id)) {
        const from = monthIndex[r.decided] ?? 0;
        const ready = monthIndex[r.ready] ?? months.length;
        const down = new Set(r.downtime_months || []);
        const ramp = Object.fromEntries((r.ramp_up || []).map((x) => [x.month, x]));
        rows.push(h('tr', { class: 'gantt-retool', 'data-retool': line.id },
          h('th', { class: 'gantt-label', scope: 'row' }, `retool → ${r.platform}`),
          months.map((m, t) => {
            let cls = '';
            let title = '';
            if (t >= from && t < ready) { cls = 'lead'; title = `lead time: decided ${r.decided}, ready ${r.ready}`; }
            if (down.has(m)) { cls = 'down'; title = `downtime (${r.downtime_weeks} weeks in all, ${fmt.units(r.downtime_lost_cars)} cars of capacity lost)`; }
            if (ramp[m]) {
              cls = cls || 'ramp';
              title += `${title ? '; ' : ''}ramp-up ${fmt.percent(ramp[m].share)}: ${fmt.units(ramp[m].built)} of ${fmt.units(ramp[m].cap)} cars`;
            }
            return h('td', { class: `gantt-cell ${cls}`, title: title || null });
          })));
      }
    }
    const calendar = (view.calendars || []).find((c) => c.plant === plantId);
    if (calendar && calendar.shutdown_days.some((d) => d > 0)) {
      rows.push(h('tr', { class: 'gantt-shutdown', 'data-shutdown': plantId },
        h('th', { class: 'gantt-label', scope: 'row' }, 'shutdown days'),
        months.map((m, t) => (calendar.shutdown_days[t] > 0
          ? h('td', { class: 'gantt-cell shut', title: `${plant.name}, ${m}: ${calendar.shutdown_days[t]} shutdown days` },
            String(calendar.shutdown_days[t]))
          : h('td', { class: 'gantt-cell' })))));
    }
    const stock = (view.stock || []).find((c) => c.plant === plantId);
    if (stock && stock.units.some((u) => u > 0.5)) {
      rows.push(h('tr', { class: 'gantt-stock', 'data-stock': plantId },
        h('th', { class: 'gantt-label', scope: 'row' }, 'stock (cars)'),
        months.map((m, t) => (stock.units[t] > 0.5
          ? h('td', { class: 'gantt-cell stock', title: `${plant.name}, end of ${m}: ${fmt.units(stock.units[t])} cars in stock` },
            stock.units[t] >= 1000 ? `${Math.round(stock.units[t] / 1000)}k` : fmt.units(stock.units[t]))
          : h('td', { class: 'gantt-cell' })))));
    }
  }
  const swatch = (cls, style) => h('span', { class: `swatch ${cls}`, style });
  return h('div', { class: 'gantt' },
    h('div', { class: 'scroll' }, h('table', { 'aria-label': 'Gantt per line: months across' },
      h('thead', {}, head), h('tbody', {}, rows))),
    h('div', { class: 'legend', id: 'gantt-legend' },
      legendGroups(view, [...usedBrands].sort((a, b) => order(a) - order(b)), by).map(([brand, ids]) =>
        h('span', { class: 'legend-group' }, brand ? h('strong', {}, `${brand}: `) : null,
          ids.map((g) => h('span', { 'data-group': g }, swatch('', { background: colourOf(g) }), brandName[g] || g)))),
      h('span', {}, swatch('outage'), 'capacity cut by events'),
      h('span', {}, swatch('lead'), 'retooling lead time'),
      h('span', {}, swatch('down'), 'retooling downtime'),
      h('span', {}, swatch('ramp'), 'ramp-up'),
      h('span', { class: 'muted' }, 'Block height: cars built against the month\'s capacity at maximum regular shifts.')));
}

// The legend's entries: by brand, one group of brands; by variant, the
// variants under their brand's name. [[brand name or null, [ids]]].
function legendGroups(view, used, by) {
  if (by !== 'variant') return [[null, used]];
  const brandOf = Object.fromEntries((view.variants || []).map((v) => [v.id, v.brand]));
  const brandName = Object.fromEntries((view.brands || []).map((b) => [b.id, b.name || b.id]));
  const groups = [];
  for (const id of used) {
    const name = brandName[brandOf[id]] || brandOf[id] || '';
    if (!groups.length || groups[groups.length - 1][0] !== name) groups.push([name, []]);
    groups[groups.length - 1][1].push(id);
  }
  return groups;
}

// A heatmap of B − A per row and month (cars), blue where B is higher, red
// where lower; every cell's title gives both values. grid:
// {plants: [{id, name}], months, a_built, b_built} as a compare result's
// plant_months; label: what B is.
export function diffHeatmap(grid, { label = 'B' } = {}) {
  const { plants, months } = grid;
  let max = 1;
  const diff = plants.map((p, i) => months.map((m, t) => {
    const a = grid.a_built[i][t];
    const b = grid.b_built[i][t];
    const d = a === null || b === null ? null : b - a;
    if (d !== null) max = Math.max(max, Math.abs(d));
    return { a, b, d };
  }));
  const head = h('tr', {}, h('th', {}, 'Plant'), months.map((m) => h('th', { class: 'month', title: m }, m)));
  const rows = plants.map((p, i) => h('tr', { 'data-plant': p.id }, h('th', { scope: 'row' }, p.name),
    months.map((m, t) => {
      const { a, b, d } = diff[i][t];
      if (d === null) return h('td', { title: `${p.name}, ${m}: not in both plans`, style: { background: '#eee' } });
      const x = Math.min(1, Math.abs(d) / max);
      const rgb = d >= 0 ? [31, 95, 168] : [179, 38, 30];
      const title = `${p.name}, ${m}: ${fmt.units(a)} → ${fmt.units(b)} cars (${d >= 0 ? '+' : ''}${fmt.units(d)})`;
      return h('td', {
        title, 'aria-label': title, 'data-diff': Math.round(d),
        style: { background: Math.abs(d) < 0.5 ? '#fff' : `rgba(${rgb.join(',')},${(0.15 + 0.85 * x).toFixed(2)})` },
      });
    })));
  return h('div', { class: 'heatmap' },
    h('table', { 'aria-label': `Cars built per plant and month, ${label} minus A` }, h('thead', {}, head), h('tbody', {}, rows)),
    h('div', { class: 'legend' },
      h('span', { class: 'swatch', style: { background: 'rgb(179,38,30)' } }), `fewer cars in ${label}`,
      h('span', { class: 'swatch', style: { background: '#fff', border: '1px solid #ccc' } }), 'same',
      h('span', { class: 'swatch', style: { background: 'rgb(31,95,168)' } }), `more cars in ${label}`,
      h('span', {}, `(darkest: ${fmt.units(max)} cars)`)));
}
