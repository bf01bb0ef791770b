// Disruption: a `replan` job (docs/api.md, "Job kinds and results").
// Answers "what does the event cost each company, and what recovers it?":
// the cost per company like for like (every plan has the same levers), GBP
// and cars per recovery lever, the cars lost by month, brand and market and
// the months that stay short, and the three plans' utilization in one
// table against the undisrupted capacity. Events are entered with a form
// (kind, plants, dates) that writes params.events; the JSON stays editable.
import { api } from '../api.js';
import { barChart } from '../charts.js';
import { alignedHeatmap, axisTitles } from '../dashb_charts.js';
import { clear, fmt, h } from '../dom.js';
import { enginePage } from './engine_page.js';

const CASES = ['baseline', 'disrupted', 'recovered'];
const CASE_TITLE = { baseline: 'Baseline', disrupted: 'No action', recovered: 'Recovered' };

const num = (text, attrs = {}) => h('td', { class: 'num', ...attrs }, text);
const gbpm = (x) => fmt.gbpMillions(x);

// Event kinds the form offers, with the extra field each needs
// (docs/scenario-format.md, "events").
const KINDS = {
  outage: { label: 'outage (lines stop)', needsTo: true },
  'rate-reduction': { label: 'rate reduction (share of output lost)', needsTo: true, field: ['output_lost_share', 'share lost (0 to 1)', '0.3'] },
  'supply-cap': { label: 'supply cap (cars a month, batteries/chips)', needsTo: false, field: ['units_per_month', 'cars a month', '5000'] },
  'demand-change': { label: 'demand change (factor)', needsTo: false, field: ['factor', 'demand factor', '0.8'], noPlants: true },
};

// The command-line form the API reads: "outage plants=a,b from=... to=...".
export function eventText({ kind, plants, from, to, value }) {
  const spec = KINDS[kind];
  const parts = [kind];
  if (!spec.noPlants && plants.length) parts.push(`plants=${plants.join(',')}`);
  if (from) parts.push(`from=${from}`);
  if (to) parts.push(`to=${to}`);
  if (spec.field && value !== '') parts.push(`${spec.field[0]}=${value}`);
  return parts.join(' ');
}

function eventsForm(ctx) {
  const box = h('div', { id: 'replan-events-form', class: 'dashb-form' });
  const kind = h('select', { id: 'event-kind', 'aria-label': 'Event kind' },
    Object.entries(KINDS).map(([k, v]) => h('option', { value: k }, v.label)));
  const plantsBox = h('span', { id: 'event-plants', class: 'row' });
  const from = h('input', { type: 'date', id: 'event-from', 'aria-label': 'First day' });
  const to = h('input', { type: 'date', id: 'event-to', 'aria-label': 'Last day (inclusive)' });
  const value = h('input', { id: 'event-value', size: 8, 'aria-label': 'Value' });
  const valueLabel = h('label', {}, h('span', {}, ''), ' ', value);
  const ownEvents = h('input', { type: 'checkbox', id: 'event-own', checked: true });
  const list = h('ul', { id: 'event-list' });
  const note = h('p', { class: 'muted', id: 'event-scenario-events' });

  function params() { return ctx.getParams() || {}; }
  function events() { return Array.isArray(params().events) ? params().events : []; }
  function write(nextEvents) {
    const p = params();
    if (nextEvents.length) p.events = nextEvents; else delete p.events;
    if (ownEvents.checked) delete p.ignore_scenario_events; else p.ignore_scenario_events = true;
    ctx.setParams(p);
    drawList();
  }
  function drawList() {
    clear(list);
    events().forEach((e, i) => list.append(h('li', {}, h('code', {}, e), ' ',
      h('button', { class: 'secondary small', type: 'button', onclick: () => write(events().filter((_, k) => k !== i)) }, 'Remove'))));
    if (!events().length) list.append(h('li', { class: 'muted' }, 'No events added here.'));
  }
  function kindChanged() {
    const spec = KINDS[kind.value];
    to.required = spec.needsTo;
    valueLabel.hidden = !spec.field;
    if (spec.field) {
      valueLabel.firstChild.textContent = spec.field[1];
      if (!value.value) value.value = spec.field[2];
    }
    plantsBox.hidden = Boolean(spec.noPlants);
  }
  kind.addEventListener('change', () => { value.value = ''; kindChanged(); });
  ownEvents.addEventListener('change', () => write(events()));
  const add = h('button', {
    type: 'button', id: 'event-add', class: 'secondary',
    onclick: () => {
      const plants = [...plantsBox.querySelectorAll('input:checked')].map((c) => c.value);
      const spec = KINDS[kind.value];
      const problems = [];
      if (!spec.noPlants && kind.value !== 'supply-cap' && !plants.length) problems.push('pick at least one plant');
      if (!from.value) problems.push('give the first day');
      if (spec.needsTo && !to.value) problems.push('give the last day');
      if (from.value && to.value && to.value < from.value) problems.push('the last day is before the first');
      if (spec.field && !(Number(value.value) > 0)) problems.push(`give the ${spec.field[1]}`);
      note.textContent = problems.length ? `Cannot add the event: ${problems.join('; ')}.` : '';
      note.classList.toggle('error', problems.length > 0);
      if (problems.length) return;
      write([...events(), eventText({ kind: kind.value, plants, from: from.value, to: to.value, value: value.value })]);
    },
  }, 'Add event');

  ctx.onScenario(async (id) => {
    clear(plantsBox);
    if (!id) return;
    try {
      const s = await api('GET', `/api/scenarios/${id}`);
      const summary = s.summary || {};
      for (const p of summary.plants || []) {
        plantsBox.append(h('label', {}, h('input', { type: 'checkbox', value: p.id, 'data-plant': p.id }), ` ${p.name}`));
      }
      if (summary.first_month) {
        from.min = to.min = `${summary.first_month}-01`;
        const [y, m] = summary.first_month.split('-').map(Number);
        const end = new Date(Date.UTC(y, m - 1 + summary.months, 0));
        from.max = to.max = end.toISOString().slice(0, 10);
      }
      const own = (s.yaml.match(/^events:\n((?:[ \t-].*\n?)*)/m) || [])[1] || '';
      const ids = [...own.matchAll(/^\s*-\s*(?:\{\s*)?id:\s*"?([\w.-]+)/gm)].map((m) => m[1]);
      note.classList.remove('error');
      note.textContent = ids.length
        ? `The scenario's own events (${ids.join(', ')}) are replanned too unless you untick them below.`
        : 'The scenario has no events of its own: add at least one.';
    } catch (e) {
      note.textContent = e.message;
    }
  });
  kindChanged();
  drawList();
  box.append(h('h3', {}, 'Events'), note,
    h('div', { class: 'row' }, h('label', {}, 'Kind ', kind), plantsBox),
    h('div', { class: 'row' }, h('label', {}, 'From ', from), h('label', {}, 'To ', to), valueLabel, add),
    h('label', {}, ownEvents, " include the scenario's own events"), list);
  return box;
}

function renderDisruption(result) {
  const cases = CASES.filter((k) => result[k] && Array.isArray(result[k].contributions));
  if (cases.length < 3 || !result.report) return null;
  const report = result.report;
  const companyName = Object.fromEntries((result.baseline.companies || []).map((c) => [c.id, c.name]));
  const brandName = Object.fromEntries((result.baseline.brands || []).map((b) => [b.id, b.name]));
  const nameOf = (id) => companyName[id] || id;
  const companies = report.companies || [];

  // What the events cost, like for like.
  const levers = report.scenario_levers || {};
  const leverWords = levers.extra_shifts_per_day !== undefined
    ? `every plan may use ${levers.extra_shifts_per_day} extra shift(s) a day and ${levers.weekend_days_per_month} weekend day(s) a month (at most one a working week) on a line at its maximum regular shifts, and serve demand up to ${levers.backlog_max_months} month(s) late`
    : 'every plan has the same levers';
  const totalCost = (key) => companies.reduce((a, c) => a + c[key], 0);
  const cost = h('section', { class: 'card', id: 'disruption-cost' },
    h('h2', {}, 'What the events cost each company'),
    h('p', { class: 'muted' }, `Contribution lost against the baseline, like for like (${leverWords}); positive is a loss.`),
    h('div', { class: 'table-scroll' }, h('table', { 'aria-label': 'Cost of the events per company' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Company'), h('th', { class: 'num' }, 'No action'),
        h('th', { class: 'num' }, 'After the recovery'), h('th', { class: 'num' }, 'Recovered'))),
      h('tbody', {}, companies.map((c) => h('tr', { 'data-company': c.company },
        h('td', {}, nameOf(c.company)),
        num(gbpm(c.disrupted_cost_gbp), { 'data-col': 'no-action' }),
        num(gbpm(c.recovered_cost_gbp), { 'data-col': 'recovered-cost' }),
        num(gbpm(c.disrupted_cost_gbp - c.recovered_cost_gbp), { 'data-col': 'won-back' })))),
      h('tfoot', {}, h('tr', {}, h('th', {}, 'All companies'), num(gbpm(totalCost('disrupted_cost_gbp'))),
        num(gbpm(totalCost('recovered_cost_gbp'))),
        num(gbpm(totalCost('disrupted_cost_gbp') - totalCost('recovered_cost_gbp'))))))));

  // What recovers it: cars and GBP per lever.
  const leverRows = (report.levers || []).filter((l) => Math.abs(l.units) > 0.5);
  const recovery = h('section', { class: 'card', id: 'disruption-levers' }, h('h2', {}, 'What recovers it'),
    leverRows.length ? h('div', {},
      h('p', { class: 'muted' }, 'Cars the recovery sells beyond doing nothing, by where they come from, and each lever\'s share of the contribution won back (the gain per net car, times its cars).'),
      h('div', { class: 'table-scroll' }, h('table', { 'aria-label': 'Recovery levers' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Lever'), h('th', { class: 'num' }, 'Cars'), h('th', { class: 'num' }, 'GBP'))),
        h('tbody', {}, leverRows.map((l) => h('tr', { 'data-lever': l.lever }, h('td', {}, l.lever),
          num(fmt.units(l.units)), num(gbpm(l.value_gbp || 0)))),
        Math.abs(report.moved_away_units || 0) > 0.5
          ? h('tr', { 'data-lever': 'sold less elsewhere' }, h('td', {}, 'sold less elsewhere'),
            num(fmt.units(report.moved_away_units)), num(gbpm(report.moved_away_gbp || 0))) : null))),
      axisTitles(barChart({
        labels: leverRows.map((l) => l.lever),
        datasets: [{ label: 'GBP million', data: leverRows.map((l) => (l.value_gbp || 0) / 1e6) }],
        horizontal: true,
      }), 'contribution won back (GBP million)', 'recovery lever'),
      h('p', { class: 'muted' }, `Demand served late through the backlog: ${fmt.units(report.served_late_units || 0)} cars. ` +
        `Cars won back: ${fmt.units(report.units_won_back || 0)} of ${fmt.units((report.units_lost || {}).disrupted || 0)} lost with no action.`))
      : h('p', { class: 'muted' }, 'The recovery sells no more cars than doing nothing.'),
    report.frozen_months !== undefined
      ? h('p', { class: 'muted' }, `Months before ${report.replanned_from || `month ${report.frozen_months + 1}`} are frozen at the baseline.`) : null);

  // Cars lost by month, brand and market; months that stay short.
  const losses = report.losses || { by_month: [], by_brand: [], by_market: [] };
  const lossTable = (id, label, rows, key, nameFn) => h('div', { class: 'table-scroll' },
    h('table', { id, 'aria-label': `Cars lost by ${label}` },
      h('thead', {}, h('tr', {}, h('th', {}, label), h('th', { class: 'num' }, 'No action'), h('th', { class: 'num' }, 'After the recovery'))),
      h('tbody', {}, rows.map((r) => h('tr', { [`data-${key}`]: r[key] }, h('td', {}, nameFn(r[key])),
        num(fmt.units(r.disrupted)), num(fmt.units(r.recovered)))))));
  const shortMonths = report.short_months || [];
  const lost = h('section', { class: 'card', id: 'disruption-losses' }, h('h2', {}, 'Cars lost (sales below the baseline)'),
    h('p', { class: 'muted' }, 'Negative: sold above the baseline, catching up.'),
    losses.by_month.length ? axisTitles(barChart({
      labels: losses.by_month.map((r) => r.month),
      datasets: [{ label: 'No action', data: losses.by_month.map((r) => r.disrupted) },
        { label: 'After the recovery', data: losses.by_month.map((r) => r.recovered) }],
      integer: true,
    }), 'month of sale', 'cars lost') : null,
    h('div', { class: 'grid3' },
      lossTable('disruption-loss-month', 'month', losses.by_month, 'month', (m) => m),
      lossTable('disruption-loss-brand', 'brand', losses.by_brand, 'brand', (b) => brandName[b] || b),
      lossTable('disruption-loss-market', 'market', losses.by_market, 'market', (m) => m)),
    h('h3', {}, 'Months that stay short after the recovery'),
    shortMonths.length
      ? h('ul', { id: 'disruption-short-months' }, shortMonths.map((s) => h('li', { 'data-month': s.month }, `${s.month}: ${fmt.units(s.units)} cars`)))
      : h('p', { id: 'disruption-short-months' }, 'None: the recovery serves all the demand the baseline served, in its month.'));

  // The three plans side by side.
  const soldKey = { baseline: 'baseline_units_sold', disrupted: 'disrupted_units_sold', recovered: 'recovered_units_sold' };
  const row = (label, cells) => h('tr', {}, h('td', {}, label), cells.map((c) => num(c)));
  const contributionOf = (k, company) => {
    const r = result[k].contributions.find((c) => c.company === company);
    return r ? r.contribution_gbp : 0;
  };
  const table = h('div', { class: 'table-scroll' }, h('table', { id: 'disruption-table', 'aria-label': 'Baseline, disrupted and recovered plans' },
    h('thead', {}, h('tr', {}, h('th', {}, ''), cases.map((k) => h('th', { class: 'num', 'data-case': k }, CASE_TITLE[k])))),
    h('tbody', {},
      row('cars sold', cases.map((k) => fmt.units(report[soldKey[k]] || 0))),
      row('objective (contribution minus penalties)', cases.map((k) => gbpm(result[k].objective_gbp))),
      companies.map((c) => row(`${nameOf(c.company)} contribution`, cases.map((k) => gbpm(contributionOf(k, c.company))))),
      row('unmet demand (cars)', cases.map((k) => fmt.units(result[k].unmet_units || 0))))));

  const heatmaps = h('section', { class: 'card', id: 'disruption-heatmaps' },
    h('h2', {}, 'Utilization by plant and month, against the undisrupted capacity'),
    alignedHeatmap(cases.map((k) => ({ key: k, title: CASE_TITLE[k], utilization: result[k].utilization })),
      result.baseline.utilization));

  return h('div', {},
    h('section', { class: 'card' }, h('h2', {}, 'Events replanned'),
      h('ul', {}, (result.events || []).map((e) => h('li', {}, h('code', {}, e))))),
    cost, recovery, lost,
    h('section', { class: 'card' }, h('h2', {}, 'Three plans side by side'), table),
    heatmaps);
}

export const disruptionPage = enginePage({
  title: 'Disruption',
  kind: 'replan',
  what: 'Disruption replanning',
  intro: 'Replans after a disruption (outage, rate loss, supply cap, demand change): what it costs each company with no action and after the recovery, like for like, and what recovers it.',
  defaultParams: { time_limit_seconds: 30 },
  render: renderDisruption,
  baseline: true,
  form: eventsForm,
});
