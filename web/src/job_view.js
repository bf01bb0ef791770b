// Running a job from a page, and showing a stored job's result again.
import { api, runJob } from './api.js';
import { clear, fmt, h, message } from './dom.js';

// A progress bar, a status line and a Cancel button for one running job;
// ids are prefix-progress, prefix-status and prefix-cancel.
export function jobControls(prefix) {
  const progress = h('progress', { id: `${prefix}-progress`, max: '1', value: '0', hidden: true });
  const status = h('span', { id: `${prefix}-status`, class: 'muted' });
  const cancel = h('button', { id: `${prefix}-cancel`, class: 'secondary', hidden: true }, 'Cancel');
  let running = null;
  cancel.addEventListener('click', async () => {
    if (running === null) return;
    try {
      await api('POST', `/api/jobs/${running}/cancel`);
    } catch (e) {
      status.textContent = e.message;
    }
  });
  return {
    elements: [cancel, progress, status],
    // Runs the job, disabling `button` meanwhile; clears `out` first and
    // says there why the job did not succeed. {job, result} or null.
    async run(button, out, kind, scenarioId, params) {
      button.disabled = true;
      clear(out);
      progress.hidden = false;
      try {
        const job = await runJob(kind, scenarioId, params, (j) => {
          running = j.id;
          cancel.hidden = !(j.status === 'queued' || j.status === 'running');
          progress.value = j.progress;
          status.textContent = `job ${j.id} ${j.status} ${Math.round(j.progress * 100)}%` +
            `${j.message ? `: ${fmt.digits(j.message)}` : ''}`;
        });
        if (job.status !== 'succeeded') {
          out.append(message(job.status === 'cancelled' ? 'notice' : 'error',
            `The ${kind} job ${job.status}${job.error ? `: ${job.error}` : ''}`));
          return null;
        }
        return { job, result: await api('GET', `/api/jobs/${job.id}/result`) };
      } catch (e) {
        out.append(message('error', e.message));
        return null;
      } finally {
        // Every page's list of earlier results shows the job just finished.
        document.dispatchEvent(new CustomEvent('cobuild:job-finished'));
        running = null;
        button.disabled = false;
        cancel.hidden = true;
        progress.hidden = true;
      }
    },
  };
}

// Draws stored job `id` with draw(result, job) into `out`; a job of another
// kind than `kind`, or one without a result, is said in `out`.
export async function showStoredJob(out, id, kind, draw) {
  clear(out);
  try {
    const job = await api('GET', `/api/jobs/${id}`);
    if (job.kind !== kind) throw new Error(`job ${id} is a ${job.kind} job, not ${kind}`);
    draw(await api('GET', `/api/jobs/${id}/result`), job);
  } catch (e) {
    out.append(message('error', e.message));
  }
}

// A select of the succeeded jobs of `kind` in `jobs`; picking one calls show(id).
// It lists the server's jobs again whenever a job run from a page ends.
export function earlierJobs(id, kind, jobs, show) {
  const select = h('select', { id, 'aria-label': `Earlier ${kind} results` });
  function fill(list) {
    const done = list.filter((j) => j.kind === kind && j.status === 'succeeded');
    const keep = select.value;
    clear(select).append(
      h('option', { value: '' }, done.length ? 'Show an earlier result…' : 'No earlier results'),
      ...done.map((j) => h('option', { value: j.id },
        `job ${j.id} · ${j.scenario_id ? `scenario ${j.scenario_id}` : 'no scenario'} · ${j.finished_at}`)));
    select.value = keep;
  }
  fill(jobs);
  const refresh = async () => {
    if (!select.isConnected) {
      document.removeEventListener('cobuild:job-finished', refresh);
      return;
    }
    try {
      fill(await api('GET', '/api/jobs?limit=200'));
    } catch {
      // The list stays as it was; the page says why a run failed.
    }
  };
  document.addEventListener('cobuild:job-finished', refresh);
  select.addEventListener('change', () => { if (select.value) show(select.value); });
  return select;
}

// The Excel workbook of a plan, replan, deal or risk job's result
// (GET /api/jobs/ID/result.xlsx, docs/api.md "Excel workbooks"): a download
// link with id <kind>-xlsx, or null for other kinds.
const WORKBOOK_KINDS = new Set(['plan', 'replan', 'deal', 'risk']);
export function xlsxLink(job, kind = job && job.kind) {
  if (!job || !WORKBOOK_KINDS.has(kind)) return null;
  return h('a', {
    href: `/api/jobs/${job.id}/result.xlsx`, download: `${kind}-job-${job.id}.xlsx`, id: `${kind}-xlsx`,
    class: 'xlsx-link', title: 'one sheet per table: cars as whole numbers, money in GBP',
  }, 'Excel workbook (.xlsx)');
}
