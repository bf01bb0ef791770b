// The Deal page: `cobuild deal` as a job (kind "deal", docs/api.md): is a
// contract worth it for each company, and at what fee? Each company's gain
// against the fee with the bargaining zone shaded, the host plants' table,
// cars hosted by plant and year, and the tariff sensitivity (docs/deal.md).
//
// Element ids: deal-answer (the fee at which the deal pays for both),
// deal-gain-chart, deal-plants, deal-hosted, deal-fee-sweep, deal-tariff.
import {
  CategoryScale, Chart, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip,
} from 'chart.js';

import { barChart, colour } from '../charts.js';
import { fmt, h } from '../dom.js';
import { enginePage } from './engine_page.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Filler, Legend, Tooltip);

const perCar = (x) => `GBP ${fmt.units(x)} a car`;

// Shades [from, to] on the x axis behind the lines (the bargaining zone).
const zonePlugin = {
  id: 'dealZone',
  beforeDatasetsDraw(chart, _args, options) {
    if (!options || !(options.to > options.from)) return;
    const { ctx, chartArea, scales } = chart;
    const left = Math.max(chartArea.left, scales.x.getPixelForValue(options.from));
    const right = Math.min(chartArea.right, scales.x.getPixelForValue(options.to));
    if (!(right > left)) return;
    ctx.save();
    ctx.fillStyle = 'rgba(46, 139, 87, 0.15)';
    ctx.fillRect(left, chartArea.top, right - left, chartArea.bottom - chartArea.top);
    ctx.restore();
  },
};

// The zone and the gains the chart draws: the fee sweep's (present value,
// under participation constraints) when there is one, else the central
// plan's exact linear terms (nominal).
function gainModel(result) {
  const t = result.terms;
  const sweep = result.fee_sweep;
  if (sweep && Array.isArray(sweep.points) && sweep.points.length) {
    const zone = sweep.zone_pv || {};
    return {
      money: 'present value at the horizon start, plans under participation constraints',
      fees: sweep.points.map((p) => p.fee_gbp),
      host: sweep.points.map((p) => p.host_gain_pv_gbp),
      partner: sweep.points.map((p) => p.partner_gain_pv_gbp),
      from: zone.from, to: zone.to, exists: Boolean(zone.exists),
    };
  }
  if (!(t.cars > 0)) return null;
  const from = t.host_break_even_fee_gbp;
  const to = t.partner_max_fee_gbp;
  const width = Math.max(1000, Math.abs(to - from));
  const fees = [];
  for (let i = 0; i <= 10; i++) fees.push(Math.round(Math.min(from, to) - width / 4 + (width * 1.5 * i) / 10));
  return {
    money: 'nominal, the central plan (the fee does not change it)',
    fees,
    host: fees.map((f) => t.host_gain_gbp + (f - t.fee_gbp) * t.cars),
    partner: fees.map((f) => t.partner_gain_gbp - (f - t.fee_gbp) * t.cars),
    from, to, exists: Boolean(t.zone_exists),
  };
}

function gainChart(result, model, names) {
  const canvas = h('canvas', { role: 'img', 'aria-label': 'Each company\'s gain against the fee per car' });
  const box = h('div', { class: 'chart-box', id: 'deal-gain-chart' }, canvas);
  const series = [
    { label: `${names[result.host] || result.host} gain`, values: model.host },
    { label: `${names[result.partner] || result.partner} gain`, values: model.partner },
  ];
  box.chart = new Chart(canvas, {
    type: 'line',
    data: {
      datasets: series.map((s, i) => ({
        label: s.label,
        data: model.fees.map((f, k) => ({ x: f, y: s.values[k] / 1e6 })),
        borderColor: colour(i),
        backgroundColor: colour(i),
        tension: 0,
      })),
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: {
        x: { type: 'linear', title: { display: true, text: 'fee per car (GBP)' },
          ticks: { callback: (v) => fmt.units(v) } },
        y: { title: { display: true, text: 'gain against no deal (GBP million)' },
          ticks: { callback: (v) => fmt.units(v) } },
      },
      plugins: {
        dealZone: { from: model.from, to: model.to },
        tooltip: { callbacks: { label: (c) => `${c.dataset.label}: GBP ${fmt.units(c.parsed.y * 1e6)} at ${perCar(c.parsed.x)}` } },
      },
    },
    plugins: [zonePlugin],
  });
  return box;
}

function answer(result, model, names) {
  const host = names[result.host] || result.host;
  const partner = names[result.partner] || result.partner;
  const t = result.terms;
  if (!model) {
    return h('p', { id: 'deal-answer', 'data-zone': 'none' },
      'The plan with the contract builds no car under it: no fee changes anything.');
  }
  if (!model.exists) {
    return h('p', { id: 'deal-answer', 'data-zone': 'empty' },
      `No fee pays for both: ${host} needs at least ${perCar(model.from)}, ${partner} gains only up to ${perCar(model.to)}.`);
  }
  return h('p', { id: 'deal-answer', 'data-from': Math.round(model.from), 'data-to': Math.round(model.to) },
    h('strong', {}, `The deal pays for both companies at a fee from ${perCar(model.from)} to ${perCar(model.to)}`),
    ` (${host}'s break-even to ${partner}'s highest fee; ${model.money}). The equal split of the joint gain is `,
    t.proposed_fee_gbp !== null && t.proposed_fee_gbp !== undefined ? perCar(t.proposed_fee_gbp) : '-',
    ` on the central plan, where each gains GBP ${fmt.units(t.host_gain_at_proposed_gbp || 0)}.`);
}

function plantsTable(result, names) {
  const row = (cells) => h('tr', {}, cells.map((c, i) => h('td', { class: i ? 'num' : '' }, c)));
  return h('table', { id: 'deal-plants', 'aria-label': 'Host plants with and without the deal' },
    h('thead', {}, h('tr', {}, ['plant', 'cars hosted', 'with (GBP)', 'without (GBP)', 'change (GBP)',
      'break-even fee (GBP a car)'].map((t, i) => h('th', { class: i ? 'num' : '' }, t)))),
    h('tbody', {}, (result.host_plants || []).map((p) => row([
      names.plants[p.plant] || p.plant, fmt.units(p.cars_hosted),
      fmt.units(p.with.contribution_gbp), fmt.units(p.without.contribution_gbp), fmt.units(p.change.contribution_gbp),
      p.break_even_fee_gbp === null ? '-' : fmt.units(p.break_even_fee_gbp)]))));
}

function hostedChart(result, names) {
  const hosted = result.hosted || [];
  const years = [...new Set(hosted.map((x) => x.year))].sort();
  const plants = [...new Set(hosted.map((x) => x.plant))];
  return h('div', { id: 'deal-hosted' }, barChart({
    labels: years.map(String),
    datasets: plants.map((p) => ({
      label: names.plants[p] || p,
      data: years.map((y) => (hosted.find((x) => x.plant === p && x.year === y) || { units: 0 }).units),
    })),
    stacked: true,
    yTitle: 'cars hosted per year',
    integer: true,
  }));
}

function feeSweepTable(result, names) {
  const sweep = result.fee_sweep;
  if (!sweep) return null;
  const plants = sweep.plants || [];
  return h('table', { id: 'deal-fee-sweep', 'aria-label': 'Fee sweep' },
    h('thead', {}, h('tr', {}, ['fee (GBP a car)', `${names[result.host] || result.host} gain (GBP)`,
      `${names[result.partner] || result.partner} gain (GBP)`, 'cars hosted',
      ...plants.map((p) => names.plants[p] || p)].map((t) => h('th', { class: 'num' }, t)))),
    h('tbody', {}, sweep.points.map((p) => h('tr', { 'data-fee': p.fee_gbp },
      [fmt.units(p.fee_gbp), fmt.units(p.host_gain_pv_gbp), fmt.units(p.partner_gain_pv_gbp), fmt.units(p.cars_hosted),
        ...plants.map((pl) => fmt.units((p.cars_by_plant || {})[pl] || 0))].map((c) => h('td', { class: 'num' }, c))))));
}

function tariffSection(result, names) {
  const sweep = result.tariff_sweep;
  if (!sweep) return h('p', { class: 'muted' }, 'No tariff sweep in this job (params "tariff" or "sweep": true).');
  const l = sweep.lever;
  const what = `duty on ${l.powertrain ? `${l.powertrain} ` : ''}cars from ${l.origin} into ${names.markets[l.market] || l.market}`;
  const priced = sweep.points.filter((p) => p.cars > 0);
  const chart = barChart({
    labels: sweep.points.map((p) => fmt.percent(p.rate)),
    datasets: [
      { label: 'host break-even fee', data: sweep.points.map((p) => p.host_break_even_fee_gbp ?? null) },
      { label: 'partner highest fee', data: sweep.points.map((p) => p.partner_max_fee_gbp ?? null) },
    ],
    yTitle: 'fee per car (GBP)',
  });
  const table = h('table', { id: 'deal-tariff-table', 'aria-label': 'Bargaining zone per duty rate' },
    h('thead', {}, h('tr', {}, ['duty', 'cars hosted', 'host gain (GBP)', 'partner gain (GBP)', 'zone from (GBP a car)',
      'zone to (GBP a car)'].map((t) => h('th', { class: 'num' }, t)))),
    h('tbody', {}, sweep.points.map((p) => h('tr', {}, [fmt.percent(p.rate), fmt.units(p.cars), fmt.units(p.host_gain_gbp),
      fmt.units(p.partner_gain_gbp), p.host_break_even_fee_gbp === null ? '-' : fmt.units(p.host_break_even_fee_gbp),
      p.partner_max_fee_gbp === null ? '-' : fmt.units(p.partner_max_fee_gbp)].map((c) => h('td', { class: 'num' }, c))))));
  const crossings = (sweep.crossings || []).map((c) => h('li', {},
    `The deal ${c.starts_paying ? 'starts' : 'stops'} paying for ${names[c.company] || c.company} at a duty of about ${fmt.percent(c.rate)}.`));
  return h('div', { id: 'deal-tariff' }, h('p', {}, `Tariff sensitivity: the ${what}, at the contract's fee (${priced.length} of ${sweep.points.length} rates host cars).`),
    h('div', { class: 'chart-box' }, chart), table,
    crossings.length ? h('ul', {}, crossings) : h('p', { class: 'muted' }, 'Neither side\'s gain changes sign across these rates.'));
}

function renderDeal(result) {
  if (!result || !result.terms || !Array.isArray(result.companies)) return null;
  const n = result.names || { companies: {}, plants: {}, markets: {} };
  const names = { ...n.companies, plants: n.plants || {}, markets: n.markets || {} };
  const model = gainModel(result);
  const plans = result.plans || {};
  const status = (p) => (p ? `${p.status}, gap ${fmt.percent(p.gap)}${(p.checker_violations || []).length ? ', FAILS the plan checker' : ', checked'}` : '-');
  return h('div', {},
    h('section', { class: 'card' }, h('h2', {}, `Contract ${result.contract}`), answer(result, model, names),
      h('ul', {}, (result.findings || []).map((f) => h('li', {}, f))),
      h('p', { class: 'muted' }, `Plan with the contract: ${status(plans.with)}; without: ${status(plans.without)}.`)),
    h('div', { class: 'grid2' },
      h('section', { class: 'card' }, h('h2', {}, 'Each company\'s gain against the fee'),
        model ? gainChart(result, model, names) : h('p', {}, 'No cars under the contract.'),
        h('p', { class: 'muted' }, 'Shaded: the bargaining zone, where both gain.')),
      h('section', { class: 'card' }, h('h2', {}, 'Cars hosted by plant and year'), hostedChart(result, names))),
    h('section', { class: 'card' }, h('h2', {}, 'Host plants'), plantsTable(result, names)),
    result.fee_sweep ? h('section', { class: 'card' }, h('h2', {}, 'Fee sweep under participation constraints'),
      feeSweepTable(result, names)) : null,
    h('section', { class: 'card' }, h('h2', {}, 'Tariff sensitivity'), tariffSection(result, names)));
}

export const dealPage = enginePage({
  title: 'Deal',
  kind: 'deal',
  what: 'The deal analysis',
  intro: 'Is the contract worth it for each company, and at what fee? Plans with and without it; with "sweep": true '
    + 'also the fee under participation constraints and the partner\'s import duty (docs/deal.md).',
  defaultParams: { contract: 'jlr-builds-chery', sweep: true, time_limit_seconds: 20, sweep_time_limit_seconds: 2 },
  render: renderDeal,
});
