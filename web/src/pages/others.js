// Disruption, line day and risk pages, on enginePage.
import { barChart, heatmap } from '../charts.js';
import { fmt, h } from '../dom.js';
import { enginePage } from './engine_page.js';

const CASES = ['baseline', 'disrupted', 'recovered'];
const CASE_TITLE = { baseline: 'Baseline', disrupted: 'Disrupted, no action', recovered: 'Recovered' };

// A replan result: {events, baseline, disrupted, recovered, report}, each
// case a plan view as in the plan result (contributions, unmet_units,
// utilization); report as in docs/api.md.
function renderDisruption(result) {
  const cases = CASES.filter((k) => result[k] && Array.isArray(result[k].contributions));
  if (cases.length < 2) return null;
  const report = result.report || {};
  const companyName = Object.fromEntries((result[cases[0]].companies || []).map((c) => [c.id, c.name]));
  const companies = result[cases[0]].contributions.map((c) => c.company);
  const contributionOf = (k, company) => {
    const row = result[k].contributions.find((c) => c.company === company);
    return row ? row.contribution_gbp : 0;
  };
  const row = (label, cells) => h('tr', {}, h('td', {}, label), cells.map((c) => h('td', { class: 'num' }, c)));
  const soldKey = { baseline: 'baseline_units_sold', disrupted: 'disrupted_units_sold', recovered: 'recovered_units_sold' };
  const table = h('table', { id: 'disruption-table', 'aria-label': 'Baseline, disrupted and recovered plans' },
    h('thead', {}, h('tr', {}, h('th', {}, ''), cases.map((k) => h('th', { class: 'num', 'data-case': k }, CASE_TITLE[k])))),
    h('tbody', {},
      report.baseline_units_sold !== undefined
        ? row('cars sold', cases.map((k) => fmt.units(report[soldKey[k]]))) : null,
      row('objective (contribution minus penalties)', cases.map((k) => fmt.gbpMillions(result[k].objective_gbp))),
      companies.map((company) => row(`${companyName[company] || company} contribution`,
        cases.map((k) => fmt.gbpMillions(contributionOf(k, company))))),
      row('unmet demand (cars)', cases.map((k) => fmt.units(result[k].unmet_units || 0)))));

  const chart = barChart({
    labels: companies.map((c) => companyName[c] || c),
    datasets: cases.map((k) => ({ label: CASE_TITLE[k], data: companies.map((c) => contributionOf(k, c) / 1e6) })),
    yTitle: 'GBP million',
  });

  const levers = (report.levers || []).filter((l) => Math.abs(l.units) > 0.5);
  const leversBox = h('section', { class: 'card', id: 'disruption-levers' }, h('h2', {}, 'How the recovery wins cars back'),
    levers.length
      ? h('table', {}, h('tbody', {}, levers.map((l) => row(l.lever, [fmt.units(l.units)])),
        report.served_late_units ? row('served late through the backlog', [fmt.units(report.served_late_units)]) : null,
        report.moved_away_units ? row('sold less elsewhere', [fmt.units(report.moved_away_units)]) : null))
      : h('p', { class: 'muted' }, 'The recovery sells no more cars than doing nothing.'),
    report.frozen_months !== undefined
      ? h('p', { class: 'muted' }, `The first ${report.frozen_months} months are frozen at the baseline.`) : null);

  const heatmaps = cases.filter((k) => result[k].utilization).map((k) => h('div', { id: `disruption-heatmap-${k}` },
    h('h3', {}, CASE_TITLE[k]), heatmap(result[k].utilization)));

  return h('div', {},
    h('section', { class: 'card' }, h('h2', {}, 'Events'),
      h('ul', {}, (result.events || []).map((e) => h('li', {}, h('code', {}, e))))),
    h('div', { class: 'grid2' },
      h('section', { class: 'card' }, h('h2', {}, 'Side by side'), table),
      h('section', { class: 'card', id: 'disruption-contribution' }, h('h2', {}, 'Contribution per company'), chart)),
    leversBox,
    h('section', { class: 'card', id: 'disruption-heatmaps' }, h('h2', {}, 'Utilization by plant and month'), heatmaps));
}

// {cars: [{variant, paint}], overloaded_windows: [{station, start, end}]}:
// one thin bar per car, coloured by paint; cars inside an overloaded window
// of any station are underlined in red.
function renderLineDay(result) {
  if (!Array.isArray(result.cars)) return null;
  const paints = [...new Set(result.cars.map((c) => c.paint))];
  const palette = ['#e6e6e6', '#1b1b1b', '#b3261e', '#1f5fa8', '#8a8d91', '#2e8b57', '#d4a017', '#7a5195',
    '#e07b39', '#5c3a21'];
  const colourOf = Object.fromEntries(paints.map((p, i) => [p, palette[i % palette.length]]));
  const over = new Set();
  for (const w of result.overloaded_windows || []) for (let i = w.start; i < w.end; i += 1) over.add(i);
  return h('section', { class: 'card' }, h('h2', {}, `Sequence: ${result.cars.length} cars`),
    h('div', { class: 'strip', 'aria-label': 'Cars in sequence, coloured by paint' },
      result.cars.map((c, i) => h('div', {
        class: over.has(i) ? 'over' : '',
        title: `#${i + 1} ${c.variant} ${c.paint}${over.has(i) ? ' (in an overloaded window)' : ''}`,
        style: { background: colourOf[c.paint] },
      }))),
    h('div', { class: 'legend' }, paints.map((p) => h('span', {},
      h('span', { style: { background: colourOf[p], width: '12px', height: '10px', display: 'inline-block' } }), ` ${p} `)),
    `${over.size} cars in overloaded station windows`));
}

// {distributions: [{name, samples: [numbers]}], percentiles, samples, ...}:
// the percentiles as a table and a histogram per distribution.
function renderRisk(result) {
  if (!Array.isArray(result.distributions)) return null;
  const p = result.percentiles || {};
  const rows = [
    ['contribution after recovery', p.contribution_gbp, fmt.gbpMillions],
    ['contribution with no action', p.disrupted_contribution_gbp, fmt.gbpMillions],
    ['cars lost after recovery', p.units_lost, fmt.units],
    ['cars lost with no action', p.disrupted_units_lost, fmt.units],
  ].filter(([, q]) => q);
  const summary = h('section', { class: 'card', id: 'risk-percentiles' }, h('h2', {}, 'Percentiles'),
    h('p', {}, `${fmt.units(result.samples || 0)} samples, ${fmt.units(result.samples_with_events || 0)} with events, ` +
      `${fmt.units(result.failed_samples || 0)} failed` +
      (result.time_limited_samples ? `, ${fmt.units(result.time_limited_samples)} stopped on their time limit` : '') +
      `; baseline contribution ${fmt.gbpMillions(result.baseline_contribution_gbp || 0)}.`),
    result.approximation ? h('p', { class: 'muted' }, `Approximation: ${result.approximation} ` +
      '(params.full_recovery: true re-solves each recovery in full).') : null,
    rows.length ? h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, ''), ['P10', 'P50', 'P90'].map((t) => h('th', { class: 'num' }, t)))),
      h('tbody', {}, rows.map(([label, q, f]) => h('tr', {}, h('td', {}, label),
        [q.p10, q.p50, q.p90].map((x) => h('td', { class: 'num' }, f(x))))))) : null);
  const plots = result.distributions.map((d) => {
    const samples = d.samples || [];
    if (!samples.length) return h('section', { class: 'card' }, h('h2', {}, d.name), h('p', { class: 'muted' }, 'No samples.'));
    const lo = Math.min(...samples);
    const hi = Math.max(...samples);
    const bins = Math.min(20, Math.max(1, new Set(samples).size));
    const width = (hi - lo) / bins || 1;
    const counts = new Array(bins).fill(0);
    for (const x of samples) counts[Math.min(bins - 1, Math.floor((x - lo) / width))] += 1;
    return h('section', { class: 'card' }, h('h2', {}, d.name),
      barChart({
        labels: counts.map((_, i) => fmt.units(lo + (i + 0.5) * width)),
        datasets: [{ label: 'samples', data: counts }],
        yTitle: 'samples',
        integer: true,
      }));
  });
  return h('div', {}, summary, h('div', { class: 'grid2' }, plots));
}

export const disruptionPage = enginePage({
  title: 'Disruption',
  kind: 'replan',
  what: 'Disruption replanning',
  intro: 'Replans after a disruption (outage, rate loss, supply cap) and shows baseline, disrupted and recovered plans side by side.',
  defaultParams: { time_limit_seconds: 30 },
  render: renderDisruption,
  baseline: true,
});

export const lineDayPage = enginePage({
  title: 'Line day',
  kind: 'sequence',
  what: 'Line sequencing',
  intro: "Turns one day of a line's planned volume into a car sequence; the strip is coloured by paint and overloaded station windows are marked. Params: line, date (a working day), plan_job (a finished plan job; without it a plan is solved first), seed, time_limit_seconds (at most 60).",
  defaultParams: { line: 'halewood-2', date: '2027-03-10', time_limit_seconds: 5 },
  render: renderLineDay,
  baseline: true,
});

export const riskPage = enginePage({
  title: 'Risk',
  kind: 'risk',
  what: 'Risk analysis',
  intro: 'Samples uncertain demand and disruptions and plots the distribution of outcomes.',
  defaultParams: { samples: 20, seed: 1 },
  render: renderRisk,
  baseline: true,
});
