// Plan: run the network planner on a stored scenario and draw its result:
// utilization heatmap (plant x month), units by brand per plant, spare
// capacity, contribution per company and the binding constraints.
import { api, jobKinds } from '../api.js';
import { barChart, heatmap } from '../charts.js';
import { clear, fmt, h, message, unavailable } from '../dom.js';
import { earlierJobs, jobControls, showStoredJob } from '../job_view.js';

function renderPlan(out, result, job) {
  clear(out);
  const summary = h('p', {},
    `Scenario ${result.scenario}: ${result.status}, objective ${fmt.gbpMillions(result.objective_gbp)} ` +
    `(gap ${fmt.percent(result.gap)}), unmet demand ${fmt.units(result.unmet_units)} cars. `,
    h('a', { href: `/api/jobs/${job.id}/result.csv` }, 'Production CSV'), ' · ',
    h('a', { href: `/api/jobs/${job.id}/result` }, 'JSON'));

  const plantName = Object.fromEntries(result.plants.map((p) => [p.id, p.name]));
  const brandName = Object.fromEntries(result.brands.map((b) => [b.id, b.name]));
  const companyName = Object.fromEntries(result.companies.map((c) => [c.id, c.name]));

  // Units by brand per plant: one stacked bar per plant, one colour per brand.
  const usedBrands = result.brands.filter((b) => result.units_by_brand.some((u) => u.brand === b.id));
  const unitsChart = barChart({
    labels: result.plants.map((p) => p.name),
    datasets: usedBrands.map((b) => ({
      label: brandName[b.id],
      data: result.plants.map((p) => result.units_by_brand
        .filter((u) => u.plant === p.id && u.brand === b.id)
        .reduce((sum, u) => sum + u.units, 0)),
    })),
    stacked: true,
    yTitle: 'cars over the horizon',
  });

  const spareChart = barChart({
    labels: result.spare_capacity.map((s) => `${plantName[s.plant]} ${s.line}`),
    datasets: [
      { label: 'built', data: result.spare_capacity.map((s) => s.built) },
      { label: 'spare', data: result.spare_capacity.map((s) => s.spare) },
    ],
    stacked: true,
    horizontal: true,
    yTitle: 'cars over the horizon',
  });

  const contributionChart = barChart({
    labels: result.contributions.map((c) => companyName[c.company]),
    datasets: [{ label: 'contribution (GBP m)', data: result.contributions.map((c) => c.contribution_gbp / 1e6) }],
    yTitle: 'GBP million',
  });

  const binding = result.binding.length
    ? h('table', { 'aria-label': 'Binding constraints' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Constraint'), h('th', { class: 'num' }, 'GBP per car of room'),
        h('th', {}, 'What it means'))),
      h('tbody', {}, result.binding.slice(0, 20).map((b) => h('tr', {},
        h('td', {}, [b.kind, b.line, b.month || (b.year ? String(b.year) : '')].filter(Boolean).join(' · ')),
        h('td', { class: 'num' }, fmt.units(b.dual_gbp_per_car)),
        h('td', {}, b.text)))))
    : h('p', { class: 'muted' }, 'No constraint binds.');

  out.append(
    h('section', { class: 'card' }, h('h2', {}, 'Result'), summary),
    h('section', { class: 'card', id: 'heatmap' }, h('h2', {}, 'Utilization by plant and month'),
      heatmap(result.utilization)),
    h('div', { class: 'grid2' },
      h('section', { class: 'card', id: 'units-by-brand' }, h('h2', {}, 'Units by brand per plant'), unitsChart),
      h('section', { class: 'card', id: 'spare-capacity' }, h('h2', {}, 'Spare capacity per line'), spareChart)),
    h('div', { class: 'grid2' },
      h('section', { class: 'card', id: 'contribution' }, h('h2', {}, 'Contribution per company'),
        contributionChart,
        h('table', {}, h('tbody', {}, result.contributions.map((c) => h('tr', {},
          h('td', {}, companyName[c.company]), h('td', { class: 'num' }, fmt.units(c.units_sold), ' cars'),
          h('td', { class: 'num' }, fmt.gbpMillions(c.contribution_gbp))))))),
      h('section', { class: 'card', id: 'binding' }, h('h2', {}, 'Binding constraints'), binding)));
}

export async function planPage(root, params) {
  root.append(h('h1', {}, 'Plan'));
  const kinds = await jobKinds();
  if (!kinds.plan || !kinds.plan.available) {
    root.append(unavailable('Network planning', 'plan'));
    return;
  }
  const scenarios = await api('GET', '/api/scenarios');
  const out = h('div', { id: 'plan-result' });
  if (!scenarios.length) {
    root.append(message('notice', 'No scenario is stored yet: upload one on the ',
      h('a', { href: '#/scenarios' }, 'Scenarios'), ' page first.'));
  }
  const select = h('select', { id: 'plan-scenario', 'aria-label': 'Scenario' },
    scenarios.map((s) => h('option', { value: s.id, selected: String(s.id) === params.get('scenario') },
      `${s.id}: ${s.name}`)));
  const timeLimit = h('input', { id: 'plan-time-limit', type: 'number', min: '1', max: '600', value: '20',
    'aria-label': 'Time limit in seconds', style: { width: '5em' } });
  const run = h('button', { id: 'plan-run', disabled: !scenarios.length }, 'Run plan');
  const controls = jobControls('plan');
  const draw = (result, job) => renderPlan(out, result, job);

  run.addEventListener('click', async () => {
    const done = await controls.run(run, out, 'plan', Number(select.value),
      { time_limit_seconds: Number(timeLimit.value) });
    if (!done) return;
    draw(done.result, done.job);
    window.history.replaceState(null, '', `#/plan?job=${done.job.id}`);
  });

  // Earlier plans, to look at again without solving.
  const jobs = await api('GET', '/api/jobs?limit=200');
  const show = (id) => showStoredJob(out, id, 'plan', draw);
  const previous = earlierJobs('plan-previous', 'plan', jobs, show);

  root.append(h('section', { class: 'card' },
    h('div', { class: 'row' }, h('label', {}, 'Scenario ', select),
      h('label', {}, 'Time limit (s) ', timeLimit), run, ...controls.elements),
    h('div', { class: 'row', style: { marginTop: '.6em' } }, previous)), out);
  if (params.get('job')) await show(params.get('job'));
}
