// Pages whose engine may not be in this server yet (disruption, line day,
// risk). When GET /api/kinds says the job kind is unavailable, the page says
// so and draws nothing. When it is available, the page runs the job with the
// parameters given and draws the result with the page's renderer, which
// checks the result's shape (docs/api.md, "Job results") and otherwise shows
// the JSON as it came.
import { api, jobKinds, runJob } from '../api.js';
import { clear, h, message, unavailable } from '../dom.js';

export function enginePage({ title, kind, what, intro, defaultParams, render }) {
  return async (root) => {
    root.append(h('h1', {}, title));
    const kinds = await jobKinds();
    if (!kinds[kind] || !kinds[kind].available) {
      root.append(unavailable(what, kind));
      return;
    }
    const scenarios = await api('GET', '/api/scenarios');
    const select = h('select', { 'aria-label': 'Scenario' },
      scenarios.map((s) => h('option', { value: s.id }, `${s.id}: ${s.name}`)));
    const paramsBox = h('textarea', { rows: 4, cols: 60, 'aria-label': 'Job parameters (JSON)' },
      JSON.stringify(defaultParams, null, 2));
    const status = h('span', { class: 'muted' });
    const out = h('div', {});
    const run = h('button', { disabled: !scenarios.length }, 'Run');
    run.addEventListener('click', async () => {
      clear(out);
      let params;
      try {
        params = JSON.parse(paramsBox.value || '{}');
      } catch (e) {
        out.append(message('error', `The parameters are not valid JSON: ${e.message}`));
        return;
      }
      run.disabled = true;
      try {
        const job = await runJob(kind, Number(select.value), params, (j) => {
          status.textContent = `job ${j.id} ${j.status} ${Math.round(j.progress * 100)}% ${j.message}`;
        });
        if (job.status !== 'succeeded') {
          out.append(message('error', `The ${kind} job ${job.status}: ${job.error || 'no reason given'}`));
          return;
        }
        const result = await api('GET', `/api/jobs/${job.id}/result`);
        const drawn = render(result);
        out.append(drawn || message('notice', 'This result does not have the shape this page draws; here it is as JSON.'));
        out.append(h('details', {}, h('summary', {}, 'Result JSON'),
          h('pre', { class: 'raw' }, JSON.stringify(result, null, 2))));
      } catch (e) {
        out.append(message('error', e.message));
      } finally {
        run.disabled = false;
      }
    });
    root.append(h('section', { class: 'card' }, h('p', { class: 'muted' }, intro),
      h('div', { class: 'row' }, h('label', {}, 'Scenario ', select), run, status),
      h('div', { style: { marginTop: '.6em' } }, paramsBox)), out);
  };
}
