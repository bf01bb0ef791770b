// Compare: two plans side by side (a compare job): each side a stored plan
// or replan job (its recovered plan) or a scenario the job plans. Draws the
// contribution per company of A and B and the full comparison table.
import { api, jobKinds } from '../api.js';
import { barChart } from '../charts.js';
import { clear, fmt, h, message, unavailable } from '../dom.js';
import { earlierJobs, jobControls, showStoredJob } from '../job_view.js';

function value(unit, x) {
  if (unit === 'share') return fmt.percent(x);
  if (unit === 'GBP') return fmt.gbpMillions(x);
  return fmt.units(x);
}

function change(unit, x) {
  const sign = x > 0 ? '+' : '';
  if (unit === 'share') return `${sign}${(x * 100).toFixed(1)} pts`;
  return sign + value(unit, x);
}

// {a, b, rows: [{section, key, unit, a, b, change}], a_source, b_source}
function renderComparison(out, result, job) {
  clear(out);
  const contribution = result.rows.filter((r) => r.section === 'contribution by company');
  const sections = [];
  for (const row of result.rows) {
    if (!sections.length || sections[sections.length - 1].name !== row.section) {
      sections.push({ name: row.section, unit: row.unit, rows: [] });
    }
    sections[sections.length - 1].rows.push(row);
  }
  const table = h('table', { id: 'compare-table', 'aria-label': 'Plans A and B side by side' },
    h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', { class: 'num' }, 'A'), h('th', { class: 'num' }, 'B'),
      h('th', { class: 'num' }, 'B − A'))),
    sections.map((s) => h('tbody', { 'data-section': s.name },
      h('tr', { class: 'section' }, h('th', { colspan: 4, scope: 'rowgroup' }, `${s.name} (${s.unit})`)),
      s.rows.map((r) => h('tr', {},
        h('td', {}, r.key),
        h('td', { class: 'num' }, value(r.unit, r.a)),
        h('td', { class: 'num' }, value(r.unit, r.b)),
        h('td', { class: r.change < 0 ? 'num worse' : 'num' }, Math.abs(r.change) < 1e-9 ? '–' : change(r.unit, r.change)))))));
  out.append(
    h('section', { class: 'card' }, h('h2', {}, 'Result'),
      h('p', {}, h('strong', {}, 'A: '), result.a_source || result.a),
      h('p', {}, h('strong', {}, 'B: '), result.b_source || result.b),
      h('p', {}, h('a', { href: `/api/jobs/${job.id}/result.csv` }, 'Comparison CSV'), ' · ',
        h('a', { href: `/api/jobs/${job.id}/result` }, 'JSON'))),
    h('section', { class: 'card', id: 'compare-contribution' }, h('h2', {}, 'Contribution per company, A and B'),
      contribution.length
        ? barChart({
          labels: contribution.map((r) => r.key),
          datasets: [
            { label: 'A', data: contribution.map((r) => r.a / 1e6) },
            { label: 'B', data: contribution.map((r) => r.b / 1e6) },
          ],
          yTitle: 'GBP million',
        })
        : h('p', { class: 'muted' }, 'Neither plan has a company contribution.')),
    h('section', { class: 'card' }, h('h2', {}, 'Side by side'), table));
}

export async function comparePage(root, params) {
  root.append(h('h1', {}, 'Compare'));
  const kinds = await jobKinds();
  if (!kinds.compare || !kinds.compare.available) {
    root.append(unavailable('Plan comparison', 'compare'));
    return;
  }
  const [scenarios, jobs] = await Promise.all([api('GET', '/api/scenarios'), api('GET', '/api/jobs?limit=200')]);
  const planJobs = jobs.filter((j) => (j.kind === 'plan' || j.kind === 'replan') && j.status === 'succeeded');
  const scenarioName = Object.fromEntries(scenarios.map((s) => [s.id, s.name]));
  const jobLabel = (j) => `job ${j.id}: ${j.kind === 'replan' ? 'recovered plan' : 'plan'} of ` +
    `${scenarioName[j.scenario_id] ?? `scenario ${j.scenario_id ?? '(deleted)'}`}`;
  function sideSelect(id, label, preferred) {
    return h('select', { id, 'aria-label': label },
      h('optgroup', { label: 'Plan and replan jobs' },
        planJobs.map((j) => h('option', { value: `job:${j.id}`, selected: preferred === `job:${j.id}` }, jobLabel(j)))),
      h('optgroup', { label: 'Scenarios, planned by the job' },
        scenarios.map((s) => h('option', { value: `scenario:${s.id}`, selected: preferred === `scenario:${s.id}` },
          `scenario ${s.id}: ${s.name}`))));
  }
  // Default: the two newest plan or replan jobs, older as A.
  const a = sideSelect('compare-a', 'Plan A', params.get('a') || (planJobs[1] ? `job:${planJobs[1].id}` : ''));
  const b = sideSelect('compare-b', 'Plan B', params.get('b') || (planJobs[0] ? `job:${planJobs[0].id}` : ''));
  const timeLimit = h('input', { id: 'compare-time-limit', type: 'number', min: '1', max: '600', value: '20',
    'aria-label': 'Time limit per scenario solve in seconds', style: { width: '5em' } });
  const out = h('div', { id: 'compare-result' });
  const empty = !planJobs.length && !scenarios.length;
  const run = h('button', { id: 'compare-run', disabled: empty }, 'Compare');
  const controls = jobControls('compare');
  const draw = (result, job) => renderComparison(out, result, job);

  function sideParams(select, letter) {
    const [what, id] = select.value.split(':');
    return what === 'job' ? { [`${letter}_job`]: Number(id) } : { [`scenario_${letter}`]: Number(id) };
  }

  run.addEventListener('click', async () => {
    const jobParams = { ...sideParams(a, 'a'), ...sideParams(b, 'b') };
    if (a.value.startsWith('scenario') || b.value.startsWith('scenario')) {
      jobParams.time_limit_seconds = Number(timeLimit.value);
    }
    const done = await controls.run(run, out, 'compare', null, jobParams);
    if (!done) return;
    draw(done.result, done.job);
    window.history.replaceState(null, '', `#/compare?job=${done.job.id}`);
  });

  root.append(h('section', { class: 'card' },
    h('p', { class: 'muted' }, 'Two plans side by side: a plan job, the recovered plan of a replan job, ',
      'or a scenario the compare job plans (with the time limit given).'),
    empty ? message('notice', 'Nothing to compare yet: upload a scenario on the ',
      h('a', { href: '#/scenarios' }, 'Scenarios'), ' page or run a plan first.') : null,
    h('div', { class: 'row' }, h('label', {}, 'A ', a), h('label', {}, 'B ', b)),
    h('div', { class: 'row', style: { marginTop: '.6em' } },
      h('label', {}, 'Time limit (s) ', timeLimit), run, ...controls.elements),
    h('div', { class: 'row', style: { marginTop: '.6em' } },
      earlierJobs('compare-previous', 'compare', jobs, (id) => showStoredJob(out, id, 'compare', draw)))), out);

  if (params.get('job')) await showStoredJob(out, params.get('job'), 'compare', draw);
}
