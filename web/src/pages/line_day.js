// Line day: a `sequence` job (docs/api.md, "A line's day"). Answers "is
// tomorrow's sequence on this line feasible, and where are the overloads?":
// a verdict (no overloaded window, or the excess and how much of it no order
// can avoid, and "proved optimal" when the lower bound meets the score), the
// strip of cars in paint colours with one row per station underneath (its
// option cars, its overloaded windows in red), the station table, the car
// table and its CSV, previous and next day, and pickers for the line and
// the day from the plan.
import { api } from '../api.js';
import { isLightPaint, paintColour } from '../dashb_charts.js';
import { clear, fmt, h } from '../dom.js';
import { enginePage } from './engine_page.js';

// The form's pickers; render() fills the day picker from the result's
// line_days (the days the plan gives the line cars).
let pickers = null;

function lineDayForm(ctx) {
  const line = h('select', { id: 'line-day-line', 'aria-label': 'Line' });
  const month = h('select', { id: 'line-day-month', 'aria-label': 'Month' });
  const day = h('select', { id: 'line-day-date', 'aria-label': 'Day' });
  const dateInput = h('input', { type: 'date', id: 'line-day-date-input', 'aria-label': 'Date' });
  let calendar = [];

  function setParam(key, value) {
    const p = ctx.getParams() || {};
    p[key] = value;
    ctx.setParams(p);
  }
  function fillDays() {
    clear(day);
    const m = calendar.find((x) => x.month === month.value);
    const current = (ctx.getParams() || {}).date;
    for (const d of (m ? m.days : [])) {
      day.append(h('option', { value: d.date, selected: d.date === current }, `${d.date} (${fmt.units(d.cars)} cars)`));
    }
    day.hidden = !m;
    dateInput.hidden = Boolean(m);
  }
  line.addEventListener('change', () => { setParam('line', line.value); calendar = []; clear(month); fillDays(); });
  month.addEventListener('change', () => { fillDays(); if (day.value) setParam('date', day.value); });
  day.addEventListener('change', () => setParam('date', day.value));
  dateInput.addEventListener('change', () => setParam('date', dateInput.value));

  ctx.onScenario(async (id) => {
    clear(line);
    const current = (ctx.getParams() || {}).line;
    try {
      const s = id ? await api('GET', `/api/scenarios/${id}`) : null;
      const lines = (s && s.summary && s.summary.sequencing_lines) || [];
      for (const l of lines) line.append(h('option', { value: l, selected: l === current }, l));
      if (lines.length && !lines.includes(current)) setParam('line', lines[0]);
    } catch {
      // The params JSON still names the line.
    }
  });
  pickers = {
    setCalendar(lineDays, date) {
      calendar = lineDays || [];
      clear(month);
      for (const m of calendar) {
        month.append(h('option', { value: m.month, selected: date.startsWith(m.month) }, `${m.month} (${fmt.units(m.cars)} cars)`));
      }
      fillDays();
    },
  };
  dateInput.value = (ctx.getParams() || {}).date || '';
  day.hidden = true;
  return h('div', { class: 'row dashb-form', id: 'line-day-pickers' },
    h('label', {}, 'Line ', line), h('label', {}, 'Month ', month), h('label', {}, 'Day ', day, dateInput),
    h('span', { class: 'muted' }, 'Months and days with cars come from the plan after a first run.'));
}

function verdict(result) {
  const c = result.criteria || {};
  const lb = result.lower_bound || {};
  const windows = result.overloaded_windows || [];
  const excess = windows.reduce((a, w) => a + w.excess, 0);
  const optimal = result.bound !== undefined && result.score === result.bound;
  const hp = (result.stations || []).filter((s) => s.high_priority).map((s) => s.id);
  const items = [];
  let kind = 'success';
  let head;
  if (!windows.length) {
    head = `Feasible: all ${fmt.units(result.day_cars)} cars run with no station over its ratio in any window.`;
  } else if ((c.hprc || 0) === 0) {
    head = `Feasible for the high-priority stations (${hp.join(', ') || 'none'}): only low-priority stations overload, by ${fmt.units(excess)} car(s).`;
    kind = 'notice';
  } else {
    head = `${fmt.units(c.hprc)} car(s) over a high-priority station's ratio: the line stops or needs help there.`;
    kind = 'error';
  }
  if (windows.length) {
    const unavoidable = (lb.hprc || 0) + (lb.lprc || 0);
    items.push(`${fmt.units(windows.length)} overloaded window(s), ${fmt.units(excess)} car(s) of excess (high priority ${fmt.units(c.hprc || 0)}, low priority ${fmt.units(c.lprc || 0)}).`);
    // Where: each station's overloaded windows as 1-based car positions.
    const where = {};
    for (const w of windows) {
      (where[w.station] = where[w.station] || []).push(`${w.start + 1}–${w.end}${w.previous_day_cars ? ` (+${w.previous_day_cars} of the day before)` : ''}`);
    }
    for (const [station, spans] of Object.entries(where)) {
      items.push(h('span', { 'data-station': station }, `${station}: cars ${spans.slice(0, 12).join(', ')}${spans.length > 12 ? `, and ${spans.length - 12} more` : ''}.`));
    }
    items.push(unavoidable > 0
      ? `Unavoidable: the lower bound proves at least ${fmt.units(lb.hprc || 0)} high- and ${fmt.units(lb.lprc || 0)} low-priority excess car(s) in any order of these cars` +
        ((c.hprc || 0) === (lb.hprc || 0) && (c.lprc || 0) === (lb.lprc || 0) ? ': all of this excess comes with the day\'s mix, not with the order.' : '.')
      : 'The lower bound does not prove any excess unavoidable.');
  }
  items.push(`${fmt.units(c.colour_changes || 0)} colour changes (lower bound ${fmt.units(lb.colour_changes || 0)}); longest paint batch ${fmt.units(result.longest_batch || 0)}` +
    (result.paint_batch_limit ? ` of at most ${fmt.units(result.paint_batch_limit)}.` : '.'));
  const proof = optimal
    ? h('strong', { id: 'line-day-optimal' }, 'Proved optimal: the lower bound meets this sequence\'s score; no order of these cars does better.')
    : result.rank1_optimal
      ? h('strong', { id: 'line-day-optimal' }, `The first criterion (${(result.objective_order || [])[0]}) is proved optimal; the gap on the rest is ${fmt.percent(result.gap || 0)}.`)
      : h('span', {}, `Not proved optimal: gap ${fmt.percent(result.gap || 0)} to the lower bound.`);
  return h('div', { class: kind, id: 'line-day-verdict', role: 'status' }, h('strong', {}, head),
    h('ul', {}, items.map((t) => h('li', {}, t))), proof);
}

function renderLineDay(result, job, ctx) {
  if (!Array.isArray(result.cars) || !Array.isArray(result.stations)) return null;
  if (pickers) pickers.setCalendar(result.line_days, result.date);
  const cars = result.cars;
  const stations = result.stations;
  const windows = result.overloaded_windows || [];
  const overByStation = Object.fromEntries(stations.map((s) => [s.id, new Set()]));
  const anyOver = new Set();
  for (const w of windows) {
    for (let i = w.start; i < w.end; i += 1) {
      (overByStation[w.station] || new Set()).add(i);
      anyOver.add(i);
    }
  }
  const paints = [...new Set(cars.map((c) => c.paint))].sort();

  // Strip and station rows share one horizontal scroll so they line up.
  const labels = h('div', { class: 'seq-labels' }, h('div', { class: 'seq-label strip-label' }, 'paint'),
    stations.map((s) => h('div', { class: 'seq-label', title: `${s.option}: at most ${s.max_cars} in ${s.window_cars}` },
      `${s.id} ${s.max_cars}/${s.window_cars}${s.high_priority ? '' : ' (low)'}`)));
  const strip = h('div', { class: 'seq-row strip', 'aria-label': 'Cars in sequence, coloured by paint' },
    cars.map((c, i) => {
      const colour = paintColour(c.paint);
      return h('div', {
        class: `${isLightPaint(colour) ? 'light' : ''}${anyOver.has(i) ? ' over' : ''}`,
        title: `#${i + 1} ${c.variant}, ${c.paint}${c.options.length ? `, ${c.options.join(', ')}` : ''}`,
        'data-paint': c.paint,
        style: { background: colour },
      });
    }));
  const rows = stations.map((s) => h('div', { class: 'seq-row station', 'data-station': s.id },
    cars.map((c, i) => {
      const needs = c.options.includes(s.option);
      const over = overByStation[s.id].has(i);
      return h('div', {
        class: `${needs ? 'need' : ''}${over ? ' over' : ''}`,
        title: `#${i + 1} ${s.id}: ${needs ? `needs ${s.option}` : 'not needed'}${over ? ', in an overloaded window' : ''}`,
      });
    })));
  // The strip opens at the first overloaded window (6 px a car).
  const scroller = h('div', { class: 'seq-scroll' }, strip, rows);
  const firstOver = anyOver.size ? Math.min(...anyOver) : 0;
  if (firstOver > 0) requestAnimationFrame(() => { scroller.scrollLeft = Math.max(0, firstOver * 6 - 60); });
  const seq = h('section', { class: 'card' },
    h('h2', {}, `Sequence of ${fmt.units(cars.length)} cars`),
    h('div', { class: 'seq' }, labels, scroller),
    h('div', { class: 'legend' },
      paints.map((p) => {
        const colour = paintColour(p);
        return h('span', { 'data-paint': p }, h('span', { class: `swatch${isLightPaint(colour) ? ' light' : ''}`, style: { background: colour } }), ` ${p} `);
      }),
      h('span', {}, h('span', { class: 'swatch need-swatch' }), ' needs the station'),
      h('span', {}, h('span', { class: 'swatch over-swatch' }), ' in an overloaded window')));

  const windowCount = (id) => windows.filter((w) => w.station === id).length;
  const windowExcess = (id) => windows.filter((w) => w.station === id).reduce((a, w) => a + w.excess, 0);
  const stationTable = h('section', { class: 'card' }, h('h2', {}, 'Stations'),
    h('div', { class: 'table-scroll' }, h('table', { id: 'line-day-stations', 'aria-label': 'Stations' },
      h('thead', {}, h('tr', {}, ['Station', 'Option', 'Ratio', 'Priority', 'Cars needing it', 'Overloaded windows', 'Excess cars', 'Unavoidable (lower bound)']
        .map((t, i) => h('th', { class: i >= 4 ? 'num' : '' }, t)))),
      h('tbody', {}, stations.map((s) => h('tr', { 'data-station': s.id },
        h('td', {}, s.id), h('td', {}, s.option), h('td', {}, `${s.max_cars} in ${s.window_cars}`),
        h('td', {}, s.high_priority ? 'high' : 'low'), num(fmt.units(s.option_cars)),
        num(fmt.units(windowCount(s.id)), 'windows'), num(fmt.units(windowExcess(s.id)), 'excess'),
        num(fmt.units(s.min_excess), 'min-excess')))))));

  const carTable = h('details', { class: 'card', id: 'line-day-cars-box' },
    h('summary', {}, `Car table (${fmt.units(cars.length)} cars)`),
    h('div', { class: 'table-scroll tall' }, h('table', { id: 'line-day-cars', 'aria-label': 'Cars in line order' },
      h('thead', {}, h('tr', {}, ['#', 'Variant', 'Brand', 'Powertrain', 'Paint', 'Options', 'Overloaded'].map((t) => h('th', {}, t)))),
      h('tbody', {}, cars.map((c, i) => h('tr', {},
        h('td', {}, c.position), h('td', {}, c.variant), h('td', {}, c.brand), h('td', {}, c.powertrain || ''),
        h('td', {}, c.paint), h('td', {}, c.options.join(', ')), h('td', {}, anyOver.has(i) ? 'yes' : '')))))));

  const go = (date) => () => {
    const p = ctx.getParams() || {};
    p.date = date;
    p.line = result.line;
    ctx.setParams(p);
    ctx.run();
  };
  const nav = h('div', { class: 'row' },
    h('button', { class: 'secondary', id: 'line-day-previous', disabled: !result.previous_date, onclick: result.previous_date ? go(result.previous_date) : null },
      result.previous_date ? `← ${result.previous_date}` : '← no earlier day'),
    h('button', { class: 'secondary', id: 'line-day-next', disabled: !result.next_date, onclick: result.next_date ? go(result.next_date) : null },
      result.next_date ? `${result.next_date} →` : 'no later day →'),
    job ? h('a', { href: `/api/jobs/${job.id}/result.csv`, download: `sequence-${result.line}-${result.date}.csv`, id: 'line-day-csv' }, 'Download the sequence as CSV') : null);

  return h('div', {},
    h('section', { class: 'card', id: 'line-day-summary' },
      h('h2', {}, `${result.line} (${result.plant}) on ${result.date}, working day ${result.working_day}`),
      h('p', { class: 'muted' }, `${fmt.units(result.day_cars)} cars of the month's ${fmt.units(result.month_cars)}; ` +
        `${fmt.units(result.previous_day_cars || 0)} cars the day before${result.previous_date ? ` (${result.previous_date})` : ''}. ` +
        `Plan ${result.plan_job ? `job ${result.plan_job}` : 'solved by the job'} (${result.plan_status}).`),
      verdict(result), nav),
    seq, stationTable, carTable);

  function num(text, col) { return h('td', { class: 'num', 'data-col': col }, text); }
}

export const lineDayPage = enginePage({
  title: 'Line day',
  kind: 'sequence',
  what: 'Line sequencing',
  intro: "One working day of a line's planned cars in the order they run: is the day feasible for the line's stations, and where are the overloads? Pick the line and day; the plan is the baseline chosen (without one, a plan is solved first).",
  defaultParams: { line: 'halewood-2', date: '2027-03-10', time_limit_seconds: 5 },
  render: renderLineDay,
  baseline: true,
  form: lineDayForm,
});
