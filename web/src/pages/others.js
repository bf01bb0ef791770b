// Disruption, line day and risk pages, on enginePage.
import { barChart } from '../charts.js';
import { fmt, h } from '../dom.js';
import { enginePage } from './engine_page.js';

// {baseline, disrupted, recovered}: each with contributions [{company,
// contribution_gbp}] and unmet_units, as in the plan result.
function renderDisruption(result) {
  const cases = ['baseline', 'disrupted', 'recovered'].filter((k) => result[k] && result[k].contributions);
  if (cases.length < 2) return null;
  const companies = result[cases[0]].contributions.map((c) => c.company);
  return h('section', { class: 'card' }, h('h2', {}, 'Side by side'),
    h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, ''), cases.map((k) => h('th', { class: 'num' }, k)))),
      h('tbody', {},
        companies.map((company, i) => h('tr', {}, h('td', {}, `${company} contribution`),
          cases.map((k) => h('td', { class: 'num' }, fmt.gbpMillions(result[k].contributions[i].contribution_gbp))))),
        h('tr', {}, h('td', {}, 'unmet demand (cars)'),
          cases.map((k) => h('td', { class: 'num' }, fmt.units(result[k].unmet_units || 0)))))));
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

// {distributions: [{name, samples: [numbers]}]}: a histogram per distribution.
function renderRisk(result) {
  if (!Array.isArray(result.distributions)) return null;
  return h('div', { class: 'grid2' }, result.distributions.map((d) => {
    const samples = d.samples || [];
    const lo = Math.min(...samples);
    const hi = Math.max(...samples);
    const bins = 20;
    const width = (hi - lo) / bins || 1;
    const counts = new Array(bins).fill(0);
    for (const x of samples) counts[Math.min(bins - 1, Math.floor((x - lo) / width))] += 1;
    return h('section', { class: 'card' }, h('h2', {}, d.name),
      barChart({
        labels: counts.map((_, i) => fmt.units(lo + (i + 0.5) * width)),
        datasets: [{ label: 'samples', data: counts }],
        yTitle: 'samples',
      }));
  }));
}

export const disruptionPage = enginePage({
  title: 'Disruption',
  kind: 'replan',
  what: 'Disruption replanning',
  intro: 'Replans after a disruption (outage, rate loss, supply cap) and shows baseline, disrupted and recovered plans side by side.',
  defaultParams: {},
  render: renderDisruption,
});

export const lineDayPage = enginePage({
  title: 'Line day',
  kind: 'sequence',
  what: 'Line sequencing',
  intro: "Turns one day of a line's planned volume into a car sequence; the strip is coloured by paint and overloaded station windows are marked. Params: line, date (a working day), plan_job (a finished plan job; without it a plan is solved first), seed, time_limit_seconds (at most 60).",
  defaultParams: { line: 'halewood-2', date: '2027-03-10', time_limit_seconds: 5 },
  render: renderLineDay,
});

export const riskPage = enginePage({
  title: 'Risk',
  kind: 'risk',
  what: 'Risk analysis',
  intro: 'Samples uncertain demand and disruptions and plots the distribution of outcomes.',
  defaultParams: {},
  render: renderRisk,
});
