// Scenarios: upload a YAML file (validate only, or validate and store), see
// every problem the server found; list stored scenarios, view and download
// one, clone it into the editor, edit it (jump to demand, lines and their
// shifts, contracts, events) with the server's validation as you type
// (POST /api/scenarios/validate: the same reader and messages as
// `cobuild validate`), and store the edit as a new scenario; deleting asks
// first. The format is linked (docs/scenario-format.md, served as text).
//
// The selection is in the URL (#/scenarios?view=ID&clone=ID): the scenario
// shown in the viewer and the one whose copy is open in the editor, so a
// reload, a shared link or back/forward shows them again. The copy's
// unsaved edits are text, not a selection: a reload opens a fresh copy.
import { api, ApiError } from '../api.js';
import { clear, h, message } from '../dom.js';
import { setSelection } from '../url.js';
import { quickEdits } from './scenario_edits.js';

const FORMAT_DOC = 'docs/scenario-format.txt';

function problemsTable(errors, onPick) {
  return h('table', { class: 'diagnostics', 'aria-label': 'Problems in the scenario' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Where'), h('th', {}, 'Field'), h('th', {}, 'Problem'))),
    h('tbody', {}, errors.map((e) => h('tr', { 'data-line': e.line },
      h('td', {}, onPick && e.line
        ? h('a', { href: '#', onclick: (ev) => { ev.preventDefault(); onPick(e.line, e.column); } }, `${e.file}:${e.line}:${e.column}`)
        : `${e.file}:${e.line}:${e.column}`),
      h('td', {}, e.path), h('td', {}, e.message)))));
}

function describe(summary) {
  const plants = (summary.plants || []).map((p) => p.name).join(', ');
  return `${summary.months} months from ${summary.first_month}; ${summary.companies} companies, ` +
    `${summary.brands} brands, ${summary.lines} lines at ${plants}; ${summary.variants} variants in ` +
    `${summary.markets} markets, ${summary.contracts} contracts`;
}

// Where each top-level section starts (0-based line), for the jump buttons.
function sectionLines(yaml) {
  const out = {};
  yaml.split('\n').forEach((line, i) => {
    const m = line.match(/^([a-z_]+):/);
    if (m && out[m[1]] === undefined) out[m[1]] = i;
  });
  return out;
}

function download(name, text) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/yaml' }));
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// The editor: a YAML text area validated by the server as you type.
function editor(onStored) {
  const name = h('input', { id: 'editor-file-name', size: 30, 'aria-label': 'File name' });
  const text = h('textarea', { id: 'scenario-editor', rows: 24, spellcheck: false, 'aria-label': 'Scenario YAML' });
  const status = h('div', { id: 'editor-status', 'aria-live': 'polite' });
  const jumps = h('div', { class: 'row', id: 'editor-sections' });
  const save = h('button', { id: 'editor-save', disabled: true }, 'Store as a new scenario');
  const quick = quickEdits(() => text.value, (yaml) => {
    text.value = yaml;
    save.disabled = true;
    drawJumps();
    validate();
  });
  const box = h('section', { class: 'card', id: 'scenario-editor-box', hidden: true },
    h('h2', {}, 'Edit a copy'),
    h('p', { class: 'muted' }, 'Edit demand, lines (their shifts: max_shifts_per_day), contracts and events with the quick edits or in the text; the server checks the copy as you type, with the same messages as "cobuild validate". ',
      h('a', { href: FORMAT_DOC, target: '_blank', rel: 'noopener' }, 'The scenario format'), '.'),
    h('div', { class: 'row' }, h('label', {}, 'File name ', name), save), quick.box, jumps, text, status);

  let timer = null;
  let seq = 0;
  let lastValid = false;

  function goTo(line, column = 1) {
    const lines = text.value.split('\n');
    let pos = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i += 1) pos += lines[i].length + 1;
    pos += Math.max(0, column - 1);
    text.focus();
    text.setSelectionRange(pos, pos);
    const lineHeight = text.scrollHeight / Math.max(1, lines.length);
    text.scrollTop = Math.max(0, (line - 3) * lineHeight);
  }

  function drawJumps() {
    clear(jumps);
    const at = sectionLines(text.value);
    for (const [section, label] of [['demand', 'Demand'], ['lines', 'Lines and shifts'], ['contracts', 'Contracts'], ['events', 'Events'], ['replan', 'Replan levers'], ['risk', 'Risk']]) {
      if (at[section] === undefined) continue;
      jumps.append(h('button', { class: 'secondary small', type: 'button', 'data-section': section, onclick: () => goTo(at[section] + 1) }, label));
    }
  }

  async function validate() {
    const mine = ++seq;
    const file = name.value || 'edited.yaml';
    try {
      const r = await api('POST', `/api/scenarios/validate?file_name=${encodeURIComponent(file)}`,
        { body: text.value, contentType: 'application/yaml' });
      if (mine !== seq) return;
      lastValid = true;
      clear(status).append(message('success', h('strong', {}, `Valid: "${r.name}". `), describe(r.summary)));
    } catch (e) {
      if (mine !== seq) return;
      lastValid = false;
      clear(status);
      if (!(e instanceof ApiError)) throw e;
      status.append(message('error', h('strong', {}, e.message)));
      if (e.errors.length) status.append(problemsTable(e.errors, goTo));
    }
    save.disabled = !lastValid;
  }

  text.addEventListener('input', () => {
    save.disabled = true;
    clearTimeout(timer);
    timer = setTimeout(() => { drawJumps(); quick.draw(); validate(); }, 400);
  });
  save.addEventListener('click', async () => {
    save.disabled = true;
    try {
      const r = await api('POST', `/api/scenarios?file_name=${encodeURIComponent(name.value || 'edited.yaml')}`,
        { body: text.value, contentType: 'application/yaml' });
      clear(status).append(message('success', h('strong', {}, `Stored "${r.name}" as scenario ${r.id}.`)));
      setSelection({ clone: null }, { push: false });
      await onStored();
    } catch (e) {
      clear(status).append(message('error', e.message));
      if (e.errors && e.errors.length) status.append(problemsTable(e.errors, goTo));
    }
    save.disabled = false;
  });

  return {
    box,
    open(yaml, fileName) {
      box.hidden = false;
      name.value = fileName;
      text.value = yaml;
      drawJumps();
      quick.draw();
      validate();
      box.scrollIntoView({ block: 'start' });
    },
  };
}

export async function scenariosPage(root, query) {
  const fileInput = h('input', { type: 'file', id: 'scenario-file', accept: '.yaml,.yml,text/yaml' });
  const result = h('div', { id: 'upload-result' });
  const list = h('div', { id: 'scenario-list' });
  const viewer = h('section', { class: 'card', id: 'scenario-viewer', hidden: true });
  const edit = editor(() => refresh());

  async function send(store) {
    clear(result);
    const file = fileInput.files[0];
    if (!file) {
      result.append(message('error', 'Choose a scenario YAML file first.'));
      return;
    }
    const text = await file.text();
    const path = store ? '/api/scenarios' : '/api/scenarios/validate';
    try {
      const r = await api('POST', `${path}?file_name=${encodeURIComponent(file.name)}`,
        { body: text, contentType: 'application/yaml' });
      result.append(message('success',
        h('strong', {}, store ? `Stored "${r.name}" as scenario ${r.id}. ` : `"${r.name}" is valid. `),
        describe(r.summary)));
      if (store) await refresh();
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      result.append(message('error', h('strong', {}, e.message)));
      if (e.errors.length) result.append(problemsTable(e.errors));
    }
  }

  // Shows scenario `id` in the viewer (and, with clone, its copy in the
  // editor); fromUrl: drawn for the URL, so the URL is left as it is.
  async function view(id, { clone = false, fromUrl = false } = {}) {
    let s;
    try {
      s = await api('GET', `/api/scenarios/${id}`);
    } catch (e) {
      clear(viewer).append(message('error', `Scenario ${id}: ${e.message}`));
      viewer.hidden = false;
      return;
    }
    if (!fromUrl) setSelection({ view: s.id });
    for (const row of list.querySelectorAll('tr[data-scenario]')) {
      row.classList.toggle('selected', row.dataset.scenario === String(s.id));
    }
    const cloneIt = () => {
      setSelection({ clone: s.id });
      edit.open(s.yaml, `${s.name}-copy.yaml`);
    };
    clear(viewer);
    viewer.hidden = false;
    viewer.append(h('h2', {}, `Scenario ${s.id}: ${s.name}`),
      s.summary ? h('p', { class: 'muted' }, describe(s.summary)) : null,
      h('div', { class: 'row' },
        h('button', { class: 'secondary', id: 'viewer-download', onclick: () => download(s.file_name || `${s.name}.yaml`, s.yaml) }, 'Download YAML'),
        h('button', { class: 'secondary', id: 'viewer-clone', onclick: cloneIt }, 'Clone and edit'),
        h('button', {
          class: 'secondary', id: 'viewer-close',
          onclick: () => {
            viewer.hidden = true;
            setSelection({ view: null });
            for (const row of list.querySelectorAll('tr.selected')) row.classList.remove('selected');
          },
        }, 'Close')),
      h('pre', { class: 'raw tall', id: 'scenario-yaml' }, s.yaml));
    if (clone) edit.open(s.yaml, `${s.name}-copy.yaml`);
    else viewer.scrollIntoView({ block: 'start' });
  }

  function deleteCell(s) {
    const cell = h('span', { class: 'delete-cell' });
    const ask = h('button', { class: 'secondary', 'data-action': 'delete' }, 'Delete');
    ask.addEventListener('click', () => {
      clear(cell).append(h('span', { class: 'confirm' }, `Delete scenario ${s.id} "${s.name}"? Finished jobs keep their results. `,
        h('button', {
          class: 'danger', 'data-action': 'confirm-delete',
          onclick: async () => {
            try {
              await api('DELETE', `/api/scenarios/${s.id}`);
            } catch (e) {
              list.prepend(message('error', e.message));
              clear(cell).append(ask);
              return;
            }
            await refresh();
          },
        }, 'Yes, delete'), ' ',
        h('button', { class: 'secondary', 'data-action': 'keep', onclick: () => clear(cell).append(ask) }, 'Keep')));
    });
    cell.append(ask);
    return cell;
  }

  async function refresh() {
    clear(list);
    let scenarios;
    try {
      scenarios = await api('GET', '/api/scenarios');
    } catch (e) {
      list.append(message('error', e.message));
      return;
    }
    if (!scenarios.length) {
      list.append(h('p', { class: 'muted' }, 'No scenarios stored yet.'));
      return;
    }
    list.append(h('div', { class: 'table-scroll' }, h('table', { 'aria-label': 'Stored scenarios' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Id'), h('th', {}, 'Name'), h('th', {}, 'File'),
        h('th', {}, 'Uploaded (UTC)'), h('th', {}, ''))),
      h('tbody', {}, scenarios.map((s) => h('tr', { 'data-scenario': s.id },
        h('td', {}, s.id), h('td', {}, s.name), h('td', {}, s.file_name), h('td', {}, s.created_at),
        h('td', { class: 'actions' },
          h('button', { class: 'secondary', 'data-action': 'view', onclick: () => view(s.id) }, 'View'), ' ',
          h('a', { href: `#/plan?scenario=${s.id}` }, 'Plan'), ' ',
          h('a', { href: `#/disruption?scenario=${s.id}` }, 'Disruption'), ' ',
          h('a', { href: `#/risk?scenario=${s.id}` }, 'Risk'), ' ',
          deleteCell(s))))))));
  }

  root.append(
    h('h1', {}, 'Scenarios'),
    h('section', { class: 'card' },
      h('h2', {}, 'Upload'),
      h('p', { class: 'muted' }, 'A scenario file as described in ',
        h('a', { href: FORMAT_DOC, target: '_blank', rel: 'noopener', id: 'format-doc-link' }, 'the scenario format (docs/scenario-format.md)'),
        '. The server checks it with the same rules and messages as "cobuild validate".'),
      h('div', { class: 'row' }, fileInput,
        h('button', { id: 'validate-button', class: 'secondary', onclick: () => send(false) }, 'Validate'),
        h('button', { id: 'upload-button', onclick: () => send(true) }, 'Upload')),
      result),
    h('section', { class: 'card' }, h('h2', {}, 'Stored scenarios'), list),
    viewer,
    edit.box);
  await refresh();
  // The selection the URL names: the viewed scenario and the cloned one.
  const viewed = query && query.get('view');
  const cloned = query && query.get('clone');
  if (cloned && cloned !== viewed) await view(cloned, { clone: true, fromUrl: true });
  if (viewed) await view(viewed, { clone: cloned === viewed, fromUrl: true });
}
