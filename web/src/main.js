// The dashboard: one page per hash route, drawn from the JSON API.
import { api } from './api.js';
import { clear, h, message } from './dom.js';
import { comparePage } from './pages/compare.js';
import { dealPage } from './pages/deal.js';
import { disruptionPage, lineDayPage, riskPage } from './pages/others.js';
import { planPage } from './pages/plan.js';
import { scenariosPage } from './pages/scenarios.js';
import { drawnHash, markDrawn } from './url.js';

const pages = {
  scenarios: scenariosPage,
  plan: planPage,
  disruption: disruptionPage,
  compare: comparePage,
  'line-day': lineDayPage,
  risk: riskPage,
  deal: dealPage,
};

let drawing = 0;

async function route() {
  // A page's own setSelection() already shows what the URL says.
  if (window.location.hash && window.location.hash === drawnHash()) return;
  markDrawn(window.location.hash);
  const [path, query] = (window.location.hash.replace(/^#\/?/, '') || 'scenarios').split('?');
  const name = pages[path] ? path : 'scenarios';
  for (const a of document.querySelectorAll('nav a')) a.classList.toggle('active', a.dataset.page === name);
  const root = clear(document.getElementById('page'));
  const mine = ++drawing;
  const container = h('div', {});
  root.append(container);
  try {
    await pages[name](container, new URLSearchParams(query || ''));
  } catch (e) {
    if (mine === drawing) container.append(message('error', `This page failed: ${e.message}`));
  }
}

async function showServer() {
  const el = document.getElementById('server-status');
  try {
    const health = await api('GET', '/api/health');
    el.textContent = `cobuild ${health.version} · ${health.jobs_running} running, ${health.jobs_queued} queued`;
  } catch (e) {
    el.textContent = e.status === 401 ? 'token needed: open /?token=…' : `server: ${e.message}`;
  }
}

// Back and forward between a page's selections (pushState) fire popstate;
// links and typed hashes fire hashchange.
window.addEventListener('hashchange', route);
window.addEventListener('popstate', route);
route();
showServer();
setInterval(showServer, 5000);
