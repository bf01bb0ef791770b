// Every page's selection lives in the URL's hash (#/plan?job=4&plant=halewood),
// so that a reload, a shared link, and the browser's back and forward
// buttons show the same thing. A page changes its selection in place with
// setSelection(); main.js redraws the page from the URL when the user goes
// back or forward (popstate) or edits the hash.

let lastDrawn = '';

// The hash a page is drawn for, as main.js last drew it or a page last set it.
export function markDrawn(hash) { lastDrawn = hash; }
export function drawnHash() { return lastDrawn; }

// The current page's name and query, from the hash.
export function currentRoute() {
  const [path, query] = (window.location.hash.replace(/^#\/?/, '') || 'scenarios').split('?');
  return { path, params: new URLSearchParams(query || '') };
}

// Sets (or, with null/''/undefined, removes) query keys of the current page.
// push: a new history entry (a selection the user made); otherwise the
// entry is replaced (a default filled in, a job id after a run).
export function setSelection(changes, { push = true } = {}) {
  const { path, params } = currentRoute();
  for (const [key, value] of Object.entries(changes)) {
    if (value === null || value === undefined || value === '') params.delete(key);
    else params.set(key, String(value));
  }
  const query = params.toString();
  const hash = `#/${path}${query ? `?${query}` : ''}`;
  if (hash === window.location.hash) return;
  markDrawn(hash);
  if (push) window.history.pushState(null, '', hash);
  else window.history.replaceState(null, '', hash);
}
