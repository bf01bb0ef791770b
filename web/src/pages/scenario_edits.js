// Quick edits of a scenario's YAML text for the scenarios page: the shifts of
// each line, each contract's fee and volumes, demand scaled per market and
// events appended, without leaving the text (comments and everything else
// stay as written). Works on the block style docs/scenario-format.md shows
// (a top-level key, its list items as "  - key: value" with the item's other
// keys indented four spaces); the server validates the result as ever.
import { clear, h } from '../dom.js';

// [start, end) line indices of top-level section `name` (its key line included).
function section(lines, name) {
  const start = lines.findIndex((l) => l.startsWith(`${name}:`));
  if (start < 0) return null;
  let end = start + 1;
  while (end < lines.length && !/^[A-Za-z_]/.test(lines[end])) end += 1;
  return [start, end];
}

// The section's list items: {id, start, end} by line.
function items(lines, name) {
  const range = section(lines, name);
  if (!range) return [];
  const out = [];
  for (let i = range[0] + 1; i < range[1]; i += 1) {
    if (!/^ {2}- /.test(lines[i])) continue;
    if (out.length) out[out.length - 1].end = i;
    out.push({ start: i, end: range[1] });
  }
  for (const item of out) {
    // The last item ends before trailing blank or comment lines.
    while (item.end - 1 > item.start && /^\s*(#.*)?$/.test(lines[item.end - 1])) item.end -= 1;
    // A flow-style item ("  - {id: UK, ...}") is read for its id only.
    item.flow = /^ {2}- \{/.test(lines[item.start]);
    item.id = item.flow ? ((lines[item.start].match(/[{,]\s*id:\s*"?([^,}"\s]+)/) || [])[1] || '') : keyValue(lines, item, 'id');
  }
  return out;
}

function keyLine(lines, item, key) {
  const re = new RegExp(`^( {4}| {2}- )${key}:\\s*(.*?)\\s*(#.*)?$`);
  for (let i = item.start; i < item.end; i += 1) {
    const m = lines[i].match(re);
    if (m) return { index: i, value: m[2] };
  }
  return null;
}
function keyValue(lines, item, key) {
  const found = keyLine(lines, item, key);
  return found ? found.value.replace(/^["']|["']$/g, '') : '';
}
function setKey(lines, item, key, value) {
  const found = keyLine(lines, item, key);
  if (found) {
    lines[found.index] = lines[found.index].replace(new RegExp(`(${key}:\\s*)[^#]*?(\\s*#.*)?$`), `$1${value}$2`);
  } else {
    lines.splice(item.start + 1, 0, `    ${key}: ${value}`);
  }
}

// Multiplies the numbers of `units_per_year: {2026: 3800, ...}` (or a
// single number) in demand entries of `market` ('' = every market).
export function scaleDemand(yaml, market, factor) {
  const lines = yaml.split('\n');
  let changed = 0;
  for (const item of items(lines, 'demand')) {
    if (market && keyValue(lines, item, 'market') !== market) continue;
    const found = keyLine(lines, item, 'units_per_year');
    if (!found) continue;
    lines[found.index] = lines[found.index].replace(/(units_per_year:\s*)(.*)$/, (_, head, rest) =>
      head + rest.replace(/(\d{4}\s*:\s*)?(\d+(?:\.\d+)?)/g, (m, year, n) => (year ? year + Math.round(Number(n) * factor) : String(Math.round(Number(n) * factor)))));
    changed += 1;
  }
  return { yaml: lines.join('\n'), changed };
}

// Appends one event (flow mapping) to the `events:` list, creating it.
export function appendEvent(yaml, fields) {
  const lines = yaml.split('\n');
  const text = `  - {${Object.entries(fields).map(([k, v]) => `${k}: ${Array.isArray(v) ? `[${v.join(', ')}]` : v}`).join(', ')}}`;
  const range = section(lines, 'events');
  if (!range) {
    while (lines.length && lines[lines.length - 1] === '') lines.pop();
    lines.push('', 'events:', text, '');
    return lines.join('\n');
  }
  let at = range[1];
  while (at - 1 > range[0] && /^\s*(#.*)?$/.test(lines[at - 1])) at -= 1;
  lines.splice(at, 0, text);
  return lines.join('\n');
}

// The quick-edit panel; getText/setText read and replace the editor's text.
export function quickEdits(getText, setText) {
  const box = h('details', { class: 'quick-edits', id: 'quick-edits' }, h('summary', {}, 'Quick edits: shifts, contracts, demand, events'));
  const body = h('div', {});
  box.append(body);

  function edit(section, id, key, value) {
    const lines = getText().split('\n');
    const item = items(lines, section).find((x) => x.id === id && !x.flow);
    if (!item) return;
    setKey(lines, item, key, value);
    setText(lines.join('\n'));
  }
  function numberInput(section, item, key, lines, attrs) {
    return h('input', {
      type: 'number', value: keyValue(lines, item, key), 'aria-label': `${item.id} ${key}`, 'data-key': key, ...attrs,
      onchange: (e) => { if (e.target.value !== '') edit(section, item.id, key, e.target.value); },
    });
  }

  function draw() {
    clear(body);
    const lines = getText().split('\n');
    const named = (name) => items(lines, name).filter((x) => x.id);
    const lineItems = named('lines').filter((x) => !x.flow);
    body.append(h('h3', {}, 'Shifts per day (max_shifts_per_day, 0 to 3)'),
      h('div', { class: 'row', id: 'quick-shifts' }, lineItems.map((item) => h('label', { 'data-line': item.id }, `${item.id} `,
        numberInput('lines', item, 'max_shifts_per_day', lines, { min: 0, max: 3, step: 1, style: { width: '4em' } })))));
    const contracts = named('contracts').filter((x) => !x.flow);
    if (contracts.length) {
      body.append(h('h3', {}, 'Contracts'), h('div', { class: 'table-scroll' }, h('table', { id: 'quick-contracts' },
        h('thead', {}, h('tr', {}, ['Contract', 'Fee per car (GBP)', 'Min cars a year', 'Max cars a year'].map((t) => h('th', {}, t)))),
        h('tbody', {}, contracts.map((item) => h('tr', { 'data-contract': item.id }, h('td', {}, item.id),
          ['fee_per_car_gbp', 'min_units_per_year', 'max_units_per_year'].map((key) => h('td', {},
            numberInput('contracts', item, key, lines, { min: 0, step: 1, style: { width: '8em' } })))))))));
    }
    const markets = named('markets').map((m) => m.id);
    const market = h('select', { id: 'quick-demand-market', 'aria-label': 'Market' }, h('option', { value: '' }, 'every market'),
      markets.map((m) => h('option', { value: m }, m)));
    const factor = h('input', { id: 'quick-demand-factor', type: 'number', step: 0.05, min: 0, value: 1.1, style: { width: '5em' }, 'aria-label': 'Factor' });
    const said = h('span', { class: 'muted' });
    body.append(h('h3', {}, 'Demand'), h('div', { class: 'row' }, 'Scale units_per_year in ', market, ' by ', factor,
      h('button', {
        type: 'button', class: 'secondary', id: 'quick-demand-scale',
        onclick: () => {
          const f = Number(factor.value);
          if (!(f >= 0)) { said.textContent = 'give a factor of 0 or more'; return; }
          const r = scaleDemand(getText(), market.value, f);
          said.textContent = `${r.changed} demand entries scaled by ${f}.`;
          setText(r.yaml);
        },
      }, 'Scale'), said));
    const plants = named('plants').map((p) => p.id);
    const kind = h('select', { id: 'quick-event-kind' }, ['outage', 'rate-reduction'].map((k) => h('option', { value: k }, k)));
    const plant = h('select', { id: 'quick-event-plant' }, plants.map((p) => h('option', { value: p }, p)));
    const from = h('input', { type: 'date', id: 'quick-event-from' });
    const to = h('input', { type: 'date', id: 'quick-event-to' });
    const share = h('input', { type: 'number', step: 0.05, min: 0.05, max: 1, value: 0.3, style: { width: '5em' }, 'aria-label': 'Share of output lost' });
    const eventSaid = h('span', { class: 'muted' });
    body.append(h('h3', {}, 'Events'), h('div', { class: 'row' }, kind, plant, 'from ', from, 'to ', to, 'share lost (rate reduction) ', share,
      h('button', {
        type: 'button', class: 'secondary', id: 'quick-event-add',
        onclick: () => {
          if (!from.value || !to.value) { eventSaid.textContent = 'give both days'; return; }
          const fields = { kind: kind.value, plants: [plant.value], from: from.value, to: to.value };
          if (kind.value === 'rate-reduction') fields.output_lost_share = share.value;
          setText(appendEvent(getText(), fields));
          eventSaid.textContent = 'added at the end of events:';
        },
      }, 'Add to events'), eventSaid));
  }
  return { box, draw };
}
