// Risk: a `risk` job (docs/api.md, "Job kinds and results"). Answers "what
// is the downside at P90?": the loss against the baseline (baseline minus
// the draw's recovered contribution, so P90 is the bad tail) overall and per
// company, an exceedance curve (the share of draws losing more than x) with
// P10, P50 and P90 marked, the worst draws with their events, histograms of
// the sampled distributions and the draws as CSV.
import { barChart } from '../charts.js';
import { axisTitles, lineChart } from '../dashb_charts.js';
import { fmt, h } from '../dom.js';
import { enginePage } from './engine_page.js';

const gbpm = (x) => fmt.gbpMillions(x);
const num = (text, col) => h('td', { class: 'num', 'data-col': col }, text);

function histogram(d, unit) {
  const samples = d.samples || [];
  if (!samples.length) return h('section', { class: 'card' }, h('h2', {}, d.name), h('p', { class: 'muted' }, 'No samples.'));
  const lo = Math.min(...samples);
  const hi = Math.max(...samples);
  const bins = Math.min(20, Math.max(1, new Set(samples).size));
  const width = (hi - lo) / bins || 1;
  const counts = new Array(bins).fill(0);
  for (const x of samples) counts[Math.min(bins - 1, Math.floor((x - lo) / width))] += 1;
  return h('section', { class: 'card' }, h('h2', {}, d.name),
    axisTitles(barChart({
      labels: counts.map((_, i) => fmt.units(lo + (i + 0.5) * width)),
      datasets: [{ label: 'draws', data: counts }],
      integer: true,
    }), `${d.name} (bin centre${unit ? `, ${unit}` : ''})`, 'draws'));
}

function renderRisk(result, job) {
  if (!Array.isArray(result.distributions) || !result.percentiles) return null;
  const loss = result.loss_gbp;
  const companies = result.companies || [];
  const p = result.percentiles;
  const drawn = result.samples - (result.failed_samples || 0);

  const headline = loss
    ? h('div', { class: loss.p90 > 0 ? 'notice' : 'success', id: 'risk-downside', role: 'status' },
      h('strong', {}, `Downside at P90: a loss of ${gbpm(loss.p90)} against the baseline`),
      ` (one draw in ten loses more). Median loss ${gbpm(loss.p50)}; P10 ${gbpm(loss.p10)}. ` +
      `Baseline contribution ${gbpm(result.baseline_contribution_gbp)}, all companies.`)
    : h('div', { class: 'error' }, 'No draw succeeded: no percentiles.');

  const percentileTable = h('div', { class: 'table-scroll' }, h('table', { id: 'risk-companies', 'aria-label': 'Loss per company' },
    h('thead', {},
      h('tr', {}, h('th', {}, ''), h('th', { class: 'num' }, 'Baseline'),
        ['P10', 'P50', 'P90'].map((t) => h('th', { class: 'num' }, `Loss ${t}`)),
        ['P10', 'P50', 'P90'].map((t) => h('th', { class: 'num' }, `Contribution ${t}`)))),
    h('tbody', {},
      companies.map((c) => h('tr', { 'data-company': c.company }, h('td', {}, c.name || c.company), num(gbpm(c.baseline_gbp), 'baseline'),
        ['p10', 'p50', 'p90'].map((q) => num(c.loss_gbp ? gbpm(c.loss_gbp[q]) : '–', `loss-${q}`)),
        ['p10', 'p50', 'p90'].map((q) => num(c.contribution_gbp ? gbpm(c.contribution_gbp[q]) : '–', `contribution-${q}`)))),
      loss ? h('tr', { 'data-company': 'all', class: 'total' }, h('th', {}, 'All companies'), num(gbpm(result.baseline_contribution_gbp), 'baseline'),
        ['p10', 'p50', 'p90'].map((q) => num(gbpm(loss[q]), `loss-${q}`)),
        ['p10', 'p50', 'p90'].map((q) => num(gbpm(p.contribution_gbp[q]), `contribution-${q}`))) : null)));

  const carRows = [
    ['cars lost after recovery', p.units_lost],
    ['cars lost with no action', p.disrupted_units_lost],
  ].filter(([, q]) => q);
  const cars = h('table', { id: 'risk-cars', 'aria-label': 'Cars lost' },
    h('thead', {}, h('tr', {}, h('th', {}, ''), ['P10', 'P50', 'P90'].map((t) => h('th', { class: 'num' }, t)))),
    h('tbody', {}, carRows.map(([label, q]) => h('tr', {}, h('td', {}, label), [q.p10, q.p50, q.p90].map((x) => num(fmt.units(x)))))));

  const summary = h('section', { class: 'card', id: 'risk-percentiles' }, h('h2', {}, 'Loss against the baseline'),
    headline,
    h('p', { class: 'muted' }, `${fmt.units(result.samples)} draws, ${fmt.units(result.samples_with_events || 0)} with events, ` +
      `${fmt.units(result.failed_samples || 0)} failed` +
      (result.time_limited_samples ? `, ${fmt.units(result.time_limited_samples)} stopped on their time limit` : '') +
      '. Loss = baseline contribution minus the draw\'s contribution after its recovery; a higher percentile is a worse outcome.'),
    percentileTable, cars,
    result.approximation ? h('p', { class: 'muted' }, `Approximation: ${result.approximation} ` +
      '(params.full_recovery: true re-solves each recovery in full).') : null,
    job ? h('p', {}, h('a', { href: `/api/jobs/${job.id}/result.csv`, download: `risk-${job.id}.csv`, id: 'risk-csv' }, 'Download every draw as CSV')) : null);

  // Exceedance: share of draws whose loss is at least x.
  const losses = [...(result.losses_gbp || [])].sort((a, b) => a - b);
  const n = losses.length;
  const points = losses.map((x, i) => ({ x: x / 1e6, y: (n - i) / n }));
  const exceedance = n ? h('section', { class: 'card', id: 'risk-exceedance' }, h('h2', {}, 'Exceedance: the chance of losing at least this much'),
    lineChart({
      points,
      xTitle: 'loss against the baseline (GBP million)',
      yTitle: 'share of draws losing at least this',
      yMax: 1,
      marks: loss ? [['P10', loss.p10], ['P50', loss.p50], ['P90', loss.p90]].map(([label, x]) => ({ label, x: x / 1e6 })) : [],
      xFormat: (x) => fmt.units(x),
    })) : null;

  const worst = h('section', { class: 'card', id: 'risk-worst' }, h('h2', {}, 'Worst draws'),
    h('div', { class: 'table-scroll' }, h('table', { 'aria-label': 'Worst draws' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Draw'), h('th', { class: 'num' }, 'Loss'),
        companies.map((c) => h('th', { class: 'num' }, c.name || c.company)),
        h('th', { class: 'num' }, 'Cars lost'), h('th', {}, 'Events'))),
      h('tbody', {}, (result.worst_draws || []).map((d) => h('tr', { 'data-draw': d.index },
        h('td', {}, d.index), num(gbpm(d.loss_gbp), 'loss'),
        companies.map((c) => num(gbpm((d.loss_by_company_gbp || {})[c.company] || 0))),
        num(fmt.units(d.units_lost)),
        h('td', { class: 'events' }, d.events.length
          ? h('ul', { class: 'plain' }, d.events.map((e) => h('li', {}, h('code', {}, e.replace(/ id=\S+/, '')))))
          : 'no event')))))));

  const units = { 'contribution after recovery (GBP m)': 'GBP m', 'cars lost after recovery': 'cars', 'cars lost with no action': 'cars' };
  return h('div', {}, summary, exceedance, worst,
    h('div', { class: 'grid2' }, result.distributions.map((d) => histogram(d, units[d.name] || ''))),
    h('p', { class: 'muted' }, `${fmt.units(drawn)} draws drawn.`));
}

export const riskPage = enginePage({
  title: 'Risk',
  kind: 'risk',
  what: 'Risk analysis',
  intro: "Draws outages and demand changes from the scenario's risk section, replans each against the baseline and shows the loss distribution: what is the downside at P90?",
  defaultParams: { samples: 20, seed: 1 },
  render: renderRisk,
  baseline: true,
});
