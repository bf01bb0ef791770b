// Compare: two or more plans side by side. Plan A is the reference; every
// other plan (B, C, ...) is one compare job against A (each side a stored
// plan or replan job, the recovered plan of a replan, or a scenario the job
// plans). The page merges the jobs' rows into one table (A, then each plan
// with its change against A), coloured by better or worse for the row's
// measure, not by sign, with all-zero rows hidden and plants named; draws
// the contribution per company of every plan and a heatmap of the cars each
// plan builds per plant and month minus A's.
//
// The selection is in the URL: #/compare?job=ID[,ID...] (the compare jobs)
// and a=...&b=...&c=... (the sides picked in the form).
import { api, jobKinds } from '../api.js';
import { barChart, diffHeatmap } from '../charts.js';
import { clear, fmt, h, message, unavailable } from '../dom.js';
import { earlierJobs, jobControls } from '../job_view.js';
import { setSelection } from '../url.js';

const LETTERS = 'ABCDEFGH';
const MAX_PLANS = LETTERS.length;

// Whether a larger value of a row is better (1), worse (-1) or neither (0).
export function direction(section, key) {
  if (section === 'objective') return key === 'penalties' ? -1 : 1;
  if (section.startsWith('contribution by company')) return 1;
  if (section.startsWith('units sold by')) return 1;
  if (section === 'duty paid by market' || section === 'unmet demand by market') return -1;
  return 0;  // imports, output, utilization and retooling: a trade-off, not a score
}

function value(unit, x) {
  if (x === undefined) return '–';
  if (unit === 'share') return fmt.percent(x);
  if (unit === 'GBP') return fmt.gbpMillions(x);
  return fmt.units(x);
}

function change(unit, x) {
  const sign = x > 0 ? '+' : x < 0 ? '−' : '';
  if (unit === 'share') return `${sign}${Math.abs(x * 100).toFixed(1)} pts`;
  // Small money changes in pounds, not as "GBP 0m".
  if (unit === 'GBP' && Math.abs(x) < 5e4) return sign + fmt.gbp(Math.abs(x));
  return sign + value(unit, Math.abs(x));
}

// results: compare results that share side A. Rows keyed by section and key,
// in the first result's order, then rows only later results have.
export function mergeComparisons(results) {
  const rows = new Map();
  results.forEach((r, i) => {
    for (const row of r.rows) {
      const id = `${row.section}\u0000${row.key}`;
      if (!rows.has(id)) rows.set(id, { section: row.section, key: row.key, unit: row.unit, a: row.a, others: [] });
      rows.get(id).others[i] = row.b;
    }
  });
  for (const row of rows.values()) {
    for (let i = 0; i < results.length; i += 1) if (row.others[i] === undefined) row.others[i] = 0;
  }
  return [...rows.values()];
}

function renderComparisons(out, results, jobs) {
  clear(out);
  const plantName = {};
  for (const r of results) for (const p of (r.plant_months && r.plant_months.plants) || []) plantName[p.id] = p.name;
  const named = (section, key) => {
    if (!section.includes('by plant')) return key;
    const [id, ...rest] = key.split(' ');
    return plantName[id] ? [plantName[id], ...rest].join(' ') : key;
  };
  const letters = LETTERS.slice(0, results.length + 1).split('');
  const merged = mergeComparisons(results);
  const zero = (x) => Math.abs(x) < 1e-9;
  const shown = merged.filter((r) => !(zero(r.a) && r.others.every(zero)));
  const hidden = merged.length - shown.length;
  const sameA = results.every((r) => (r.a_source || r.a) === (results[0].a_source || results[0].a));

  const sections = [];
  for (const row of shown) {
    if (!sections.length || sections[sections.length - 1].name !== row.section) {
      sections.push({ name: row.section, unit: row.unit, rows: [] });
    }
    sections[sections.length - 1].rows.push(row);
  }
  const cols = 2 + 2 * results.length;
  const table = h('table', { id: 'compare-table', 'aria-label': `Plans ${letters.join(', ')} side by side` },
    h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', { class: 'num', 'data-plan': 'A' }, 'A'),
      results.map((r, i) => [h('th', { class: 'num', 'data-plan': letters[i + 1] }, letters[i + 1]),
        h('th', { class: 'num' }, `${letters[i + 1]} − A`)]))),
    sections.map((s) => h('tbody', { 'data-section': s.name },
      h('tr', { class: 'section' }, h('th', { colspan: cols, scope: 'rowgroup' }, `${s.name} (${s.unit})`)),
      s.rows.map((r) => h('tr', { 'data-key': r.key },
        h('td', {}, named(r.section, r.key)),
        h('td', { class: 'num' }, value(r.unit, r.a)),
        r.others.map((b) => {
          const d = b - r.a;
          const dir = direction(r.section, r.key);
          const verdict = zero(d) || dir === 0 ? '' : (d * dir > 0 ? 'better' : 'worse');
          return [h('td', { class: 'num' }, value(r.unit, b)),
            h('td', { class: `num ${verdict}`, 'data-verdict': verdict || null,
              title: verdict ? `${verdict} than A` : null }, zero(d) ? '–' : change(r.unit, d))];
        }))))));

  const contributionRows = merged.filter((r) => r.section === 'contribution by company');
  const sources = h('div', {}, h('p', {}, h('strong', {}, 'A: '), results[0].a_source || results[0].a),
    results.map((r, i) => h('p', {}, h('strong', {}, `${letters[i + 1]}: `), r.b_source || r.b,
      ' · ', h('a', { href: `/api/jobs/${jobs[i].id}/result.csv` }, `CSV (job ${jobs[i].id})`))),
    sameA ? null : message('notice', 'These comparisons do not share plan A; each column compares with its own A.'));
  const heatmaps = results.map((r, i) => (r.plant_months
    ? h('div', { id: `compare-heatmap-${letters[i + 1]}` }, h('h3', {}, `${letters[i + 1]} − A: cars built per plant and month`),
      diffHeatmap(r.plant_months, { label: letters[i + 1] }))
    : null)).filter(Boolean);

  out.append(
    h('section', { class: 'card' }, h('h2', {}, 'Plans'), sources),
    h('section', { class: 'card', id: 'compare-contribution' }, h('h2', {}, 'Contribution per company'),
      contributionRows.length
        ? barChart({
          labels: contributionRows.map((r) => r.key),
          datasets: [{ label: 'A', data: contributionRows.map((r) => r.a / 1e6) },
            ...results.map((x, i) => ({ label: letters[i + 1], data: contributionRows.map((r) => r.others[i] / 1e6) }))],
          valueTitle: 'contribution, GBP million',
          categoryTitle: 'company',
        })
        : h('p', { class: 'muted' }, 'No plan has a company contribution.')),
    heatmaps.length ? h('section', { class: 'card', id: 'compare-heatmaps' },
      h('h2', {}, 'Difference heatmap'), h('p', { class: 'muted' }, 'Cars built per plant and month in each plan minus A\'s: ',
        'red where the plan builds fewer, blue where more.'), heatmaps) : null,
    h('section', { class: 'card' }, h('h2', {}, 'Side by side'),
      h('p', { class: 'muted', id: 'compare-hidden' },
        `Green: better than A; red: worse (lower unmet demand, duty and penalties are better). `,
        hidden ? `${hidden} row(s) that are zero in every plan are hidden.` : ''),
      h('div', { class: 'scroll' }, table)));
}

// Shows compare jobs `ids` (they should share side A).
async function showJobs(out, ids) {
  clear(out);
  try {
    const jobs = await Promise.all(ids.map((id) => api('GET', `/api/jobs/${id}`)));
    const wrong = jobs.find((j) => j.kind !== 'compare');
    if (wrong) throw new Error(`job ${wrong.id} is a ${wrong.kind} job, not compare`);
    const results = await Promise.all(ids.map((id) => api('GET', `/api/jobs/${id}/result`)));
    renderComparisons(out, results, jobs);
  } catch (e) {
    out.append(message('error', e.message));
  }
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
  function sideSelect(letter, preferred) {
    const select = h('select', { id: `compare-${letter.toLowerCase()}`, 'aria-label': `Plan ${letter}` },
      h('optgroup', { label: 'Plan and replan jobs' },
        planJobs.map((j) => h('option', { value: `job:${j.id}`, selected: preferred === `job:${j.id}` }, jobLabel(j)))),
      h('optgroup', { label: 'Scenarios, planned by the job' },
        scenarios.map((s) => h('option', { value: `scenario:${s.id}`, selected: preferred === `scenario:${s.id}` },
          `scenario ${s.id}: ${s.name}`))));
    select.addEventListener('change', () => setSelection({ [letter.toLowerCase()]: select.value }));
    return select;
  }
  // Default: the two newest plan or replan jobs, older as A.
  const sides = [
    sideSelect('A', params.get('a') || (planJobs[1] ? `job:${planJobs[1].id}` : '')),
    sideSelect('B', params.get('b') || (planJobs[0] ? `job:${planJobs[0].id}` : '')),
  ];
  const sidesBox = h('div', { class: 'row' }, h('label', {}, 'A ', sides[0]), h('label', {}, 'B ', sides[1]));
  const addPlan = h('button', { id: 'compare-add', class: 'secondary' }, 'Add a plan');
  function addSide(preferred) {
    if (sides.length >= MAX_PLANS) return;
    const letter = LETTERS[sides.length];
    const select = sideSelect(letter, preferred);
    sides.push(select);
    sidesBox.append(h('label', {}, `${letter} `, select));
    addPlan.disabled = sides.length >= MAX_PLANS;
  }
  addPlan.addEventListener('click', () => {
    addSide('');
    setSelection({ [LETTERS[sides.length - 1].toLowerCase()]: sides[sides.length - 1].value });
  });
  for (let i = 2; i < MAX_PLANS && params.get(LETTERS[i].toLowerCase()); i += 1) addSide(params.get(LETTERS[i].toLowerCase()));

  const timeLimit = h('input', { id: 'compare-time-limit', type: 'number', min: '1', max: '600', value: '20',
    'aria-label': 'Time limit per scenario solve in seconds', style: { width: '5em' } });
  const out = h('div', { id: 'compare-result' });
  const empty = !planJobs.length && !scenarios.length;
  const run = h('button', { id: 'compare-run', disabled: empty }, 'Compare');
  const controls = jobControls('compare');

  function sideParams(select, letter) {
    const [what, id] = select.value.split(':');
    return what === 'job' ? { [`${letter}_job`]: Number(id) } : { [`scenario_${letter}`]: Number(id) };
  }

  run.addEventListener('click', async () => {
    const done = [];
    const scratch = h('div', {});
    clear(out).append(scratch);
    for (let i = 1; i < sides.length; i += 1) {
      const jobParams = { ...sideParams(sides[0], 'a'), ...sideParams(sides[i], 'b') };
      if (sides[0].value.startsWith('scenario') || sides[i].value.startsWith('scenario')) {
        jobParams.time_limit_seconds = Number(timeLimit.value);
      }
      const result = await controls.run(run, scratch, 'compare', null, jobParams);
      if (!result) {
        out.append(...scratch.childNodes);
        return;
      }
      done.push(result);
    }
    const selection = { job: done.map((d) => d.job.id).join(',') };
    sides.forEach((s, i) => { selection[LETTERS[i].toLowerCase()] = s.value; });
    setSelection(selection);
    renderComparisons(out, done.map((d) => d.result), done.map((d) => d.job));
  });

  const previous = earlierJobs('compare-previous', 'compare', jobs, (id) => {
    setSelection({ job: id });
    showJobs(out, [id]);
  });
  root.append(h('section', { class: 'card' },
    h('p', { class: 'muted' }, 'Plans side by side: a plan job, the recovered plan of a replan job, ',
      'or a scenario the compare job plans (with the time limit given). A is the reference; every other plan is ',
      'compared with it.'),
    empty ? message('notice', 'Nothing to compare yet: upload a scenario on the ',
      h('a', { href: '#/scenarios' }, 'Scenarios'), ' page or run a plan first.') : null,
    sidesBox,
    h('div', { class: 'row', style: { marginTop: '.6em' } },
      addPlan, h('label', {}, 'Time limit (s) ', timeLimit), run, ...controls.elements),
    h('div', { class: 'row', style: { marginTop: '.6em' } }, previous)), out);

  const ids = (params.get('job') || '').split(',').filter((x) => /^\d+$/.test(x));
  if (ids.length) await showJobs(out, ids);
}
