// Scenarios: upload a YAML file (validate only, or validate and store), see
// every problem the server found, list and delete stored scenarios.
import { api, ApiError } from '../api.js';
import { clear, h, message } from '../dom.js';

function problemsTable(errors) {
  return h('table', { class: 'diagnostics', 'aria-label': 'Problems in the scenario' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Where'), h('th', {}, 'Field'), h('th', {}, 'Problem'))),
    h('tbody', {}, errors.map((e) => h('tr', {},
      h('td', {}, `${e.file}:${e.line}:${e.column}`), h('td', {}, e.path), h('td', {}, e.message)))));
}

function describe(summary) {
  const plants = (summary.plants || []).map((p) => p.name).join(', ');
  return `${summary.months} months from ${summary.first_month}; ${summary.companies} companies, ` +
    `${summary.brands} brands, ${summary.lines} lines at ${plants}; ${summary.variants} variants in ` +
    `${summary.markets} markets`;
}

export async function scenariosPage(root) {
  const fileInput = h('input', { type: 'file', id: 'scenario-file', accept: '.yaml,.yml,text/yaml' });
  const result = h('div', { id: 'upload-result' });
  const list = h('div', { id: 'scenario-list' });

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
    list.append(h('table', { 'aria-label': 'Stored scenarios' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Id'), h('th', {}, 'Name'), h('th', {}, 'File'),
        h('th', {}, 'Uploaded (UTC)'), h('th', {}, ''))),
      h('tbody', {}, scenarios.map((s) => h('tr', { 'data-scenario': s.id },
        h('td', {}, s.id), h('td', {}, s.name), h('td', {}, s.file_name), h('td', {}, s.created_at),
        h('td', {},
          h('a', { href: `#/plan?scenario=${s.id}` }, 'Plan'), ' ',
          h('a', { href: `#/disruption?scenario=${s.id}` }, 'Disruption'), ' ',
          h('a', { href: `#/risk?scenario=${s.id}` }, 'Risk'), ' ',
          h('button', {
            class: 'secondary',
            onclick: async () => {
              try {
                await api('DELETE', `/api/scenarios/${s.id}`);
              } catch (e) {
                list.prepend(message('error', e.message));
                return;
              }
              await refresh();
            },
          }, 'Delete')))))));
  }

  root.append(
    h('h1', {}, 'Scenarios'),
    h('section', { class: 'card' },
      h('h2', {}, 'Upload'),
      h('p', { class: 'muted' }, 'A scenario file as described in docs/scenario-format.md. ' +
        'The server checks it with the same rules and messages as "cobuild validate".'),
      h('div', { class: 'row' }, fileInput,
        h('button', { id: 'validate-button', class: 'secondary', onclick: () => send(false) }, 'Validate'),
        h('button', { id: 'upload-button', onclick: () => send(true) }, 'Upload')),
      result),
    h('section', { class: 'card' }, h('h2', {}, 'Stored scenarios'), list));
  await refresh();
}
