// Calls to the server's JSON API. Every error comes back as ApiError with
// the server's message and, for a rejected scenario, its list of problems.

export class ApiError extends Error {
  constructor(status, message, errors = []) {
    super(message);
    this.status = status;
    this.errors = errors;
  }
}

export async function api(method, path, { body, contentType } = {}) {
  const init = { method, headers: {}, credentials: 'same-origin' };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    init.headers['Content-Type'] = contentType || 'application/json';
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, `the server cannot be reached (${e.message})`);
  }
  if (response.status === 204) return null;
  const text = await response.text();
  const isJson = (response.headers.get('Content-Type') || '').startsWith('application/json');
  let data = text;
  if (isJson) {
    try {
      data = JSON.parse(text);
    } catch {
      throw new ApiError(response.status, `the server sent malformed JSON (HTTP ${response.status})`);
    }
  }
  if (!response.ok) {
    const message = data && data.error ? data.error : `HTTP ${response.status}`;
    throw new ApiError(response.status, message, (data && data.errors) || []);
  }
  return data;
}

// Job kinds this server can run: {name: {available, description}}.
let kindsPromise = null;
export function jobKinds() {
  if (!kindsPromise) {
    kindsPromise = api('GET', '/api/kinds').then((list) => {
      const byName = {};
      for (const k of list) byName[k.name] = k;
      return byName;
    });
    kindsPromise.catch(() => { kindsPromise = null; });
  }
  return kindsPromise;
}

// Starts a job and polls it until it finishes; onProgress(job) on every poll.
export async function runJob(kind, scenarioId, params, onProgress, { intervalMs = 400 } = {}) {
  let job = await api('POST', '/api/jobs', { body: { kind, scenario_id: scenarioId, params } });
  onProgress(job);
  while (job.status === 'queued' || job.status === 'running') {
    await new Promise((r) => setTimeout(r, intervalMs));
    job = await api('GET', `/api/jobs/${job.id}`);
    onProgress(job);
  }
  return job;
}
