// Plan: run the network planner on a stored scenario and draw its result
// (a plan job's plan views, docs/api.md): capacity, built, cars on levers,
// spare and utilization per plant and year split by company (the host's own cars and
// its partners'), as a table and a chart; a drill-down plant -> line ->
// month down to the variants built; a Gantt per line; the utilization
// heatmap, units by brand, spare capacity per line, contribution per company
// and the binding constraints.
//
// The selection is in the URL: #/plan?job=ID&plant=P&line=L&month=YYYY-MM
// (and scenario=ID for the run form).
import { api, jobKinds } from '../api.js';
import { barChart, gantt, heatmap } from '../charts.js';
import { clear, fmt, h, message, unavailable } from '../dom.js';
import { earlierJobs, jobControls, xlsxLink } from '../job_view.js';
import { currentRoute, setSelection } from '../url.js';

// One row per plant and year: capacity, built, the host's own cars, every
// other company's cars, cars built on levers (a line's cars beyond its
// regular capacity in a month; null in a result from before the split),
// spare (regular capacity the lines leave unused, never negative),
// utilization, and the share of the capacity the host leaves that partners
// fill: regular capacity less retooling stops plus the levers' capacity,
// less the host's own cars (so at most 100%: partners may be built on
// levers, which regular capacity alone would count beyond 100%).
export function plantYearRows(result) {
  const plants = Object.fromEntries(result.plants.map((p) => [p.id, p]));
  return result.plant_years.map((py) => {
    const host = plants[py.plant].company;
    const byCompany = py.built_by_company || [];
    const own = byCompany.filter((c) => c.company === host).reduce((s, c) => s + c.built, 0);
    const partners = byCompany.filter((c) => c.company !== host && c.built > 0.5);
    const partner = partners.reduce((s, c) => s + c.built, 0);
    const usable = py.capacity - (py.retooling_stop ?? 0) + (py.lever_capacity ?? 0);
    const leftByHost = usable - own;
    return {
      plant: py.plant, year: py.year, host, capacity: py.capacity, built: py.built, own, partner, partners,
      onLevers: py.built_on_levers ?? null, spare: py.spare, utilization: py.utilization,
      partnerFills: leftByHost > 0 ? partner / leftByHost : null,
    };
  });
}

function resultSummary(result, job) {
  return h('p', {},
    `Scenario ${result.scenario}: ${result.status}, objective ${fmt.gbp(result.objective_gbp)} ` +
    `(gap ${fmt.percent(result.gap)}), unmet demand ${fmt.units(result.unmet_units)} cars. `,
    h('a', { href: `/api/jobs/${job.id}/result.csv` }, 'Production CSV'), ' · ',
    xlsxLink(job, 'plan'), ' · ',
    h('a', { href: `/api/jobs/${job.id}/result` }, 'JSON'));
}

function plantYearsCard(result, rows, selectPlant, selected) {
  const plantName = Object.fromEntries(result.plants.map((p) => [p.id, p.name]));
  const companyName = Object.fromEntries(result.companies.map((c) => [c.id, c.name]));
  const shown = selected ? rows.filter((r) => r.plant === selected) : rows;
  const num = (col, value, title) => h('td', { class: 'num', 'data-col': col, title }, value);
  const table = h('table', { id: 'plant-years', 'aria-label': 'Capacity, built, spare and utilization per plant and year' },
    h('thead', {}, h('tr', {},
      h('th', {}, 'Plant'), h('th', {}, 'Year'), h('th', { class: 'num' }, 'Capacity (cars)'),
      h('th', { class: 'num' }, 'Built'), h('th', { class: 'num' }, "Host's own cars"),
      h('th', { class: 'num' }, "Partners' cars"),
      h('th', { class: 'num', title: "cars beyond a line's regular capacity in a month: extra shifts, weekend days" }, 'On levers'),
      h('th', { class: 'num', title: 'regular capacity the lines leave unused, summed over lines and months' }, 'Spare'),
      h('th', { class: 'num' }, 'Utilization'),
      h('th', { class: 'num', title: "partners' cars / (capacity with levers, less retooling stops, − host's own cars)" }, 'Partners fill'))),
    h('tbody', {}, shown.map((r) => h('tr', {
      'data-plant': r.plant, 'data-year': r.year, class: r.plant === selected ? 'selected' : null,
      title: `show ${plantName[r.plant]}'s lines`, onclick: () => selectPlant(r.plant),
    },
    h('td', {}, plantName[r.plant]), h('td', {}, String(r.year)),
    num('capacity', fmt.units(r.capacity)), num('built', fmt.units(r.built)),
    num('own', fmt.units(r.own), `${companyName[r.host] || r.host}'s cars`),
    num('partner', fmt.units(r.partner),
      r.partners.map((c) => `${companyName[c.company] || c.company}: ${fmt.units(c.built)}`).join('; ') || 'none'),
    num('on-levers', r.onLevers === null ? '–' : fmt.units(r.onLevers)),
    num('spare', fmt.units(r.spare)), num('utilization', fmt.percent(r.utilization)),
    num('partner-fills', r.partnerFills === null ? '–' : fmt.percent(r.partnerFills))))));
  const chart = barChart({
    id: 'plant-years-chart',
    labels: shown.map((r) => `${plantName[r.plant]} ${r.year}`),
    datasets: [
      { label: "host's own cars", data: shown.map((r) => r.own) },
      { label: "partners' cars", data: shown.map((r) => r.partner) },
      { label: 'spare', data: shown.map((r) => Math.max(0, r.spare)), backgroundColor: '#c9d1db' },
    ],
    stacked: true,
    valueTitle: 'cars per year',
    categoryTitle: 'plant and year',
    integer: true,
  });
  // The answer in words for the selected plant, or for every plant that
  // builds partners' cars: spare capacity per year and what partners fill.
  const focus = selected ? [selected]
    : [...new Set(rows.filter((r) => r.partner > 0.5).map((r) => r.plant))];
  const answers = focus.map((plant) => {
    const years = rows.filter((r) => r.plant === plant);
    const partnerNames = [...new Set(years.flatMap((r) => r.partners.map((c) => companyName[c.company] || c.company)))];
    return h('p', { class: 'answer', 'data-answer': plant }, h('strong', {}, plantName[plant]), ': spare capacity ',
      years.map((r) => `${r.year} ${fmt.units(r.spare)}`).join(' · '), ' cars; ',
      years.some((r) => r.onLevers > 0.5)
        ? `built on levers ${years.filter((r) => r.onLevers > 0.5).map((r) => `${r.year} ${fmt.units(r.onLevers)}`).join(' · ')} cars; `
        : '',
      'partners\' cars',
      partnerNames.length ? ` (${partnerNames.join(', ')})` : '', ' ',
      years.map((r) => `${r.year} ${fmt.units(r.partner)}` +
        (r.partnerFills !== null && r.partner > 0.5 ? ` (${fmt.percent(r.partnerFills)} of what ${companyName[r.host] || r.host} leaves)` : ''))
        .join(' · '), '.');
  });
  return h('section', { class: 'card', id: 'plant-years-card' },
    h('h2', {}, 'Capacity, built and spare per plant and year, by company'),
    answers,
    h('p', { class: 'muted' }, 'Capacity at maximum regular shifts. "On levers": a line\'s cars beyond its regular ',
      'capacity in a month, built on extra shifts and weekend days, so utilization can exceed 100%. "Spare": the ',
      'regular capacity the lines leave unused, summed over lines and months, so one line on levers does not hide ',
      'another\'s idle shifts. "Partners fill": the partners\' cars as a share of the capacity the host\'s own ',
      'cars leave, levers included. Click a row for the plant\'s lines.'),
    h('div', { class: 'scroll' }, table), chart);
}

// The drill-down: plant -> line -> month -> variants.
function drillCard(result, sel, go) {
  const plantName = Object.fromEntries(result.plants.map((p) => [p.id, p.name]));
  const variantOf = Object.fromEntries((result.variants || []).map((v) => [v.id, v]));
  const brandOf = Object.fromEntries(result.brands.map((b) => [b.id, b]));
  const companyName = Object.fromEntries(result.companies.map((c) => [c.id, c.name]));
  const months = result.months;
  const years = [...new Set(months.map((m) => m.slice(0, 4)))];
  const crumbs = h('nav', { class: 'crumbs', 'aria-label': 'Drill-down' },
    h('button', { class: 'secondary', onclick: () => go({ plant: null, line: null, month: null }) }, 'All plants'),
    sel.plant ? ['›', h('button', { class: 'secondary', onclick: () => go({ line: null, month: null }) }, plantName[sel.plant] || sel.plant)] : null,
    sel.line ? ['›', h('button', { class: 'secondary', onclick: () => go({ month: null }) }, sel.line)] : null,
    sel.month ? ['›', h('span', {}, sel.month)] : null);
  const card = h('section', { class: 'card', id: 'drill' }, h('h2', {}, 'Drill-down: plant, line, month'), crumbs);
  const line = sel.line && result.lines.find((l) => l.id === sel.line);
  if (!sel.plant) {
    card.append(h('p', { class: 'muted' }, 'Pick a plant: ',
      result.plants.map((p) => h('button', { class: 'secondary', 'data-plant': p.id, style: { margin: '.2em' },
        onclick: () => go({ plant: p.id, line: null, month: null }) }, p.name))));
    return card;
  }
  if (!line) {
    const lines = result.lines.filter((l) => l.plant === sel.plant);
    const sumYear = (arr, y) => arr.reduce((s, x, t) => s + (months[t].startsWith(y) ? x : 0), 0);
    card.append(h('div', { class: 'scroll' }, h('table', { id: 'drill-lines', 'aria-label': `Lines of ${plantName[sel.plant]}` },
      h('thead', {}, h('tr', {}, h('th', {}, 'Line'), years.map((y) => h('th', { class: 'num' }, `${y}: built of capacity`)))),
      h('tbody', {}, lines.map((l) => h('tr', { 'data-line': l.id },
        h('td', {}, h('a', { href: '#', class: 'drill', onclick: (e) => { e.preventDefault(); go({ line: l.id, month: null }); } }, l.id),
          l.name && l.name !== l.id ? h('span', { class: 'muted' }, ` ${l.name}`) : null),
        years.map((y) => {
          const b = sumYear(l.built, y);
          const c = sumYear(l.capacity, y);
          return h('td', { class: 'num' }, `${fmt.units(b)} of ${fmt.units(c)}`, c > 0 ? ` (${fmt.percent(b / c)})` : '');
        })))))));
    return card;
  }
  const calendar = (result.calendars || []).find((c) => c.plant === line.plant);
  const variantsIn = (m) => line.variants.filter((v) => v.month === m);
  if (!sel.month) {
    card.append(h('div', { class: 'scroll' }, h('table', { id: 'drill-months', 'aria-label': `Months of ${line.id}` },
      h('thead', {}, h('tr', {}, h('th', {}, 'Month'), h('th', { class: 'num' }, 'Working days'),
        h('th', { class: 'num' }, 'Shifts a day'), h('th', { class: 'num' }, 'Capacity'), h('th', { class: 'num' }, 'Built'),
        h('th', { class: 'num' }, 'Utilization'), h('th', {}, 'Variants built'))),
      h('tbody', {}, months.map((m, t) => h('tr', { 'data-month': m },
        h('td', {}, h('a', { href: '#', class: 'drill', onclick: (e) => { e.preventDefault(); go({ month: m }); } }, m)),
        h('td', { class: 'num' }, calendar ? fmt.units(calendar.working_days[t]) : '',
          calendar && calendar.shutdown_days[t] > 0 ? ` (${calendar.shutdown_days[t]} shut)` : ''),
        h('td', { class: 'num' }, String(line.shifts_per_day[t]),
          line.extra_shifts_per_day[t] ? ` + ${line.extra_shifts_per_day[t]} extra` : '',
          line.weekend_days[t] ? `, ${line.weekend_days[t]} weekend days` : ''),
        h('td', { class: 'num' }, fmt.units(line.capacity[t]), line.availability[t] < 0.999 ? ` (events: ${fmt.percent(line.availability[t])})` : ''),
        h('td', { class: 'num' }, fmt.units(line.built[t])),
        h('td', { class: 'num' }, line.capacity[t] > 0 ? fmt.percent(line.built[t] / line.capacity[t]) : '–'),
        h('td', {}, variantsIn(m).map((v) => `${v.variant} ${fmt.units(v.units)}`).join(', ') || '–')))))));
    return card;
  }
  const t = months.indexOf(sel.month);
  const rows = variantsIn(sel.month);
  const total = rows.reduce((s, v) => s + v.units, 0);
  card.append(
    h('p', {}, `${line.id}, ${sel.month}: ${fmt.units(t >= 0 ? line.built[t] : 0)} of ${fmt.units(t >= 0 ? line.capacity[t] : 0)} cars`,
      t >= 0 ? `, ${line.shifts_per_day[t]} shift(s) a day` : ''),
    h('div', { class: 'scroll' }, h('table', { id: 'drill-variants', 'aria-label': `Variants built on ${line.id} in ${sel.month}` },
      h('thead', {}, h('tr', {}, h('th', {}, 'Variant'), h('th', {}, 'Brand'), h('th', {}, 'Company'),
        h('th', {}, 'Powertrain'), h('th', { class: 'num' }, 'Cars'), h('th', { class: 'num' }, 'Share'))),
      h('tbody', {}, rows.length ? rows.map((v) => {
        const variant = variantOf[v.variant] || {};
        const brand = brandOf[variant.brand] || {};
        return h('tr', { 'data-variant': v.variant },
          h('td', {}, variant.name || v.variant), h('td', {}, brand.name || variant.brand || ''),
          h('td', {}, companyName[brand.company] || brand.company || ''), h('td', {}, variant.powertrain || ''),
          h('td', { class: 'num' }, fmt.units(v.units)), h('td', { class: 'num' }, fmt.percent(v.units / total)));
      }) : h('tr', {}, h('td', { colspan: 6, class: 'muted' }, 'The line builds nothing this month.'))))));
  return card;
}

function renderPlan(out, result, job) {
  clear(out);
  const plantName = Object.fromEntries(result.plants.map((p) => [p.id, p.name]));
  const brandName = Object.fromEntries(result.brands.map((b) => [b.id, b.name]));
  const companyName = Object.fromEntries(result.companies.map((c) => [c.id, c.name]));
  const rows = result.plant_years && result.plant_years[0] && result.plant_years[0].built_by_company
    ? plantYearRows(result) : null;

  const { params } = currentRoute();
  const sel = { plant: params.get('plant'), line: params.get('line'), month: params.get('month'),
    gantt: params.get('gantt') === 'variant' ? 'variant' : 'brand' };
  if (sel.plant && !plantName[sel.plant]) sel.plant = null;
  if (!sel.plant) sel.line = null;
  if (!sel.line) sel.month = null;

  const yearsBox = h('div', {});
  const drillBox = h('div', {});
  const ganttBox = h('section', { class: 'card', id: 'gantt-card' });
  const hasLines = Array.isArray(result.lines);
  function drawSelection() {
    if (rows) clear(yearsBox).append(plantYearsCard(result, rows, (p) => go({ plant: p, line: null, month: null }), sel.plant));
    if (!hasLines) return;
    clear(drillBox).append(drillCard(result, sel, go));
    const plants = sel.plant ? [sel.plant] : result.plants.map((p) => p.id);
    const by = h('select', { id: 'gantt-by', 'aria-label': 'Gantt blocks by' },
      h('option', { value: 'brand', selected: sel.gantt === 'brand' }, 'by brand'),
      h('option', { value: 'variant', selected: sel.gantt === 'variant' }, 'by variant'));
    by.addEventListener('change', () => go({ gantt: by.value }));
    clear(ganttBox).append(h('h2', {}, `Gantt per line${sel.plant ? `: ${plantName[sel.plant]}` : ''}`),
      h('p', { class: 'muted' }, `Months across; each block is a month's cars by ${sel.gantt} against the line's capacity. `,
        'Hover a block for its cars, shifts and variants. Blocks ', by, '.'),
      gantt(result, plants, { by: sel.gantt }));
  }
  function go(changes) {
    Object.assign(sel, changes);
    if (!sel.plant) sel.line = null;
    if (!sel.line) sel.month = null;
    setSelection({ plant: sel.plant, line: sel.line, month: sel.month, gantt: sel.gantt === 'variant' ? 'variant' : null });
    drawSelection();
  }

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
    valueTitle: 'cars over the horizon',
    categoryTitle: 'plant',
    integer: true,
  });

  // Horizontal bars: the value axis (cars) runs across, lines down.
  const spareChart = barChart({
    labels: result.spare_capacity.map((s) => `${plantName[s.plant]} ${s.line}`),
    datasets: [
      { label: 'built on regular shifts', data: result.spare_capacity.map((s) => s.built_regular ?? s.built) },
      { label: 'built on levers', data: result.spare_capacity.map((s) => s.built_on_levers ?? 0) },
      { label: 'spare', data: result.spare_capacity.map((s) => s.spare) },
    ],
    stacked: true,
    horizontal: true,
    valueTitle: 'cars over the horizon',
    categoryTitle: 'line',
    integer: true,
  });

  const contributionChart = barChart({
    labels: result.contributions.map((c) => companyName[c.company]),
    datasets: [{ label: 'contribution (GBP m)', data: result.contributions.map((c) => c.contribution_gbp / 1e6) }],
    valueTitle: 'contribution, GBP million',
    categoryTitle: 'company',
  });

  const binding = result.binding.length
    ? h('div', { class: 'scroll' }, h('table', { 'aria-label': 'Binding constraints' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Constraint'), h('th', { class: 'num' }, 'GBP per car of room'),
        h('th', {}, 'What it means'))),
      h('tbody', {}, result.binding.slice(0, 20).map((b) => h('tr', {},
        h('td', {}, [b.kind, b.line, b.month || (b.year ? String(b.year) : '')].filter(Boolean).join(' · ')),
        h('td', { class: 'num' }, fmt.units(b.dual_gbp_per_car)),
        h('td', {}, b.text))))))
    : h('p', { class: 'muted' }, 'No constraint binds.');

  out.append(
    h('section', { class: 'card' }, h('h2', {}, 'Result'), resultSummary(result, job)),
    rows ? yearsBox : message('notice', 'This plan result has no per-company split (an older result); run the plan again.'),
    hasLines ? drillBox : null,
    hasLines ? ganttBox : null,
    h('section', { class: 'card', id: 'heatmap' }, h('h2', {}, 'Utilization by plant and month'),
      heatmap(result.utilization)),
    h('div', { class: 'grid2' },
      h('section', { class: 'card', id: 'units-by-brand' }, h('h2', {}, 'Units by brand per plant'), unitsChart),
      h('section', { class: 'card', id: 'spare-capacity' }, h('h2', {}, 'Spare capacity per line'), spareChart)),
    h('div', { class: 'grid2' },
      h('section', { class: 'card', id: 'contribution' }, h('h2', {}, 'Contribution per company'),
        contributionChart,
        h('div', { class: 'scroll' }, h('table', {}, h('tbody', {}, result.contributions.map((c) => h('tr', {},
          h('td', {}, companyName[c.company]), h('td', { class: 'num' }, fmt.units(c.units_sold), ' cars'),
          h('td', { class: 'num' }, fmt.gbp(c.contribution_gbp)))))))),
      h('section', { class: 'card', id: 'binding' }, h('h2', {}, 'Binding constraints'), binding)));
  drawSelection();
}

export async function planPage(root, params) {
  root.append(h('h1', {}, 'Plan'));
  const kinds = await jobKinds();
  if (!kinds.plan || !kinds.plan.available) {
    root.append(unavailable('Network planning', 'plan'));
    return;
  }
  const [scenarios, jobs] = await Promise.all([api('GET', '/api/scenarios'), api('GET', '/api/jobs?limit=200')]);
  const out = h('div', { id: 'plan-result' });
  if (!scenarios.length) {
    root.append(message('notice', 'No scenario is stored yet: upload one on the ',
      h('a', { href: '#/scenarios' }, 'Scenarios'), ' page first.'));
  }
  const select = h('select', { id: 'plan-scenario', 'aria-label': 'Scenario' },
    scenarios.map((s) => h('option', { value: s.id, selected: String(s.id) === params.get('scenario') },
      `${s.id}: ${s.name}`)));
  select.addEventListener('change', () => setSelection({ scenario: select.value }));
  const timeLimit = h('input', { id: 'plan-time-limit', type: 'number', min: '1', max: '600', value: '20',
    'aria-label': 'Time limit in seconds', style: { width: '5em' } });
  const run = h('button', { id: 'plan-run', disabled: !scenarios.length }, 'Run plan');
  const controls = jobControls('plan');
  const draw = (result, job) => renderPlan(out, result, job);

  async function show(id, { push = true } = {}) {
    clear(out);
    try {
      const job = await api('GET', `/api/jobs/${id}`);
      if (job.kind !== 'plan') throw new Error(`job ${id} is a ${job.kind} job, not plan`);
      const result = await api('GET', `/api/jobs/${id}/result`);
      if (currentRoute().params.get('job') !== String(id)) {
        // Another plan: its own drill-down starts at the top.
        setSelection({ job: id, plant: null, line: null, month: null }, { push });
      }
      draw(result, job);
    } catch (e) {
      out.append(message('error', e.message));
    }
  }

  run.addEventListener('click', async () => {
    const done = await controls.run(run, out, 'plan', Number(select.value),
      { time_limit_seconds: Number(timeLimit.value) });
    if (!done) return;
    setSelection({ job: done.job.id, scenario: select.value, plant: null, line: null, month: null });
    draw(done.result, done.job);
  });

  // Earlier plans, to look at again without solving.
  const previous = earlierJobs('plan-previous', 'plan', jobs, (id) => show(id));

  root.append(h('section', { class: 'card' },
    h('div', { class: 'row' }, h('label', {}, 'Scenario ', select),
      h('label', {}, 'Time limit (s) ', timeLimit), run, ...controls.elements),
    h('div', { class: 'row', style: { marginTop: '.6em' } }, previous)), out);
  if (params.get('job')) await show(params.get('job'));
}
