// Pages whose engine may not be in this server yet (disruption, line day,
// risk). When GET /api/kinds says the job kind is unavailable, the page says
// so and draws nothing. When it is available, the page runs the job with the
// parameters given (a running job can be cancelled) and draws the result
// with the page's renderer, which checks the result's shape (docs/api.md,
// "Job kinds and results") and otherwise shows the JSON as it came. Earlier
// results of the kind can be shown again without running anything
// (#/<page>?job=ID selects one).
//
// Element ids are prefixed with the kind: <kind>-run, <kind>-cancel,
// <kind>-status, <kind>-result, <kind>-params, <kind>-baseline, <kind>-previous.
import { api, jobKinds } from '../api.js';
import { clear, h, message, unavailable } from '../dom.js';
import { earlierJobs, jobControls, showStoredJob, xlsxLink } from '../job_view.js';
import { setSelection } from '../url.js';

// baseline: offer the scenario's succeeded plan jobs as params.baseline_job.
// form(ctx): an optional element above the raw params JSON that edits them
// (ctx.getParams(), ctx.setParams(obj), ctx.scenarioId(), ctx.baselineJob(),
// ctx.onScenario(fn) called when the scenario changes, ctx.jobs); the JSON
// stays editable. render(result, job, ctx) may call ctx.setParams and
// ctx.run() (a previous/next button re-runs the job).
export function enginePage({ title, kind, what, intro, defaultParams, render, baseline = false, form = null }) {
  return async (root, query) => {
    root.append(h('h1', {}, title));
    const kinds = await jobKinds();
    if (!kinds[kind] || !kinds[kind].available) {
      root.append(unavailable(what, kind));
      return;
    }
    const [scenarios, jobs] = await Promise.all([api('GET', '/api/scenarios'), api('GET', '/api/jobs?limit=200')]);
    const select = h('select', { id: `${kind}-scenario`, 'aria-label': 'Scenario' },
      scenarios.map((s) => h('option', { value: s.id, selected: query && String(s.id) === query.get('scenario') },
        `${s.id}: ${s.name}`)));
    const baselineSelect = h('select', { id: `${kind}-baseline`, 'aria-label': 'Baseline plan' });
    function fillBaselines() {
      clear(baselineSelect);
      const plans = jobs.filter((j) => j.kind === 'plan' && j.status === 'succeeded' &&
        j.scenario_id === Number(select.value));
      baselineSelect.append(h('option', { value: '' }, 'solve a baseline first'),
        ...plans.map((j, i) => h('option', { value: j.id, selected: i === 0 }, `plan job ${j.id} (${j.finished_at})`)));
    }
    if (baseline) select.addEventListener('change', fillBaselines);
    select.addEventListener('change', () => setSelection({ scenario: select.value }));
    const paramsBox = h('textarea', { id: `${kind}-params`, rows: 4, cols: 60, 'aria-label': 'Job parameters (JSON)' },
      JSON.stringify(defaultParams, null, 2));
    const out = h('div', { id: `${kind}-result` });
    const run = h('button', { id: `${kind}-run`, disabled: !scenarios.length }, 'Run');
    const controls = jobControls(kind);

    const scenarioListeners = [];
    const ctx = {
      jobs,
      scenarios,
      getParams() {
        try { return JSON.parse(paramsBox.value || '{}'); } catch { return null; }
      },
      setParams(params) { paramsBox.value = JSON.stringify(params, null, 2); },
      scenarioId() { return Number(select.value); },
      baselineJob() { return baselineSelect.value ? Number(baselineSelect.value) : null; },
      onScenario(fn) { scenarioListeners.push(fn); },
      run() { run.click(); },
    };
    select.addEventListener('change', () => { for (const fn of scenarioListeners) fn(ctx.scenarioId()); });
    if (baseline) baselineSelect.addEventListener('change', () => { for (const fn of scenarioListeners) fn(ctx.scenarioId()); });

    function show(result, job) {
      clear(out);
      const drawn = render(result, job, ctx);
      // Plan, replan, deal and risk results also download as a workbook.
      const workbook = xlsxLink(job, kind);
      if (drawn && workbook) out.append(h('p', { class: 'downloads' }, 'Download: ', workbook));
      out.append(drawn || message('notice', 'This result does not have the shape this page draws; here it is as JSON.'));
      out.append(h('details', {}, h('summary', {}, 'Result JSON'),
        h('pre', { class: 'raw' }, JSON.stringify(result, null, 2))));
    }

    run.addEventListener('click', async () => {
      let params;
      try {
        params = JSON.parse(paramsBox.value || '{}');
      } catch (e) {
        clear(out);
        out.append(message('error', `The parameters are not valid JSON: ${e.message}`));
        return;
      }
      if (baseline && baselineSelect.value && params.baseline_job === undefined) {
        params.baseline_job = Number(baselineSelect.value);
      }
      const done = await controls.run(run, out, kind, Number(select.value), params);
      if (!done) return;
      show(done.result, done.job);
      setSelection({ job: done.job.id, scenario: select.value });
    });

    const previous = earlierJobs(`${kind}-previous`, kind, jobs, (id) => {
      setSelection({ job: id });
      showStoredJob(out, id, kind, show);
    });
    const formBox = form ? form(ctx) : null;
    root.append(h('section', { class: 'card' }, h('p', { class: 'muted' }, intro),
      h('div', { class: 'row' }, h('label', {}, 'Scenario ', select),
        baseline ? h('label', {}, 'Baseline ', baselineSelect) : null, run, ...controls.elements),
      formBox,
      formBox ? h('details', { style: { marginTop: '.6em' } }, h('summary', {}, 'Job parameters as JSON'), paramsBox)
        : h('div', { style: { marginTop: '.6em' } }, paramsBox),
      h('div', { class: 'row', style: { marginTop: '.6em' } }, previous)), out);
    if (baseline) fillBaselines();
    for (const fn of scenarioListeners) fn(ctx.scenarioId());
    if (query && query.get('job')) await showStoredJob(out, query.get('job'), kind, show);
  };
}
