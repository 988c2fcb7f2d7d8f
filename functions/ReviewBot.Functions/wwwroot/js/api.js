// The API with the user's key. The key lives in sessionStorage: asked once per browser session, gone when it closes.
const KEY = 'reviewbot.apiKey';

export const auth = {
  get key() { return sessionStorage.getItem(KEY); },
  set key(v) { if (v) sessionStorage.setItem(KEY, v); else sessionStorage.removeItem(KEY); },
  role: null,
  get isAdmin() { return this.role === 'admin'; },
};

/** An error from the API: status, and the problem's title, detail and field when it sent one. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem ?? {};
    this.field = problem?.field ?? null;
  }
}

let onUnauthorized = () => {};
export function whenUnauthorized(f) { onUnauthorized = f; }

export async function request(method, path, body, { raw = false } = {}) {
  const headers = { Accept: 'application/json' };
  if (auth.key) headers.Authorization = `Bearer ${auth.key}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) {
    let problem = null;
    try { problem = await response.json(); } catch { /* not JSON */ }
    const error = new ApiError(response.status, problem);
    if (response.status === 401) onUnauthorized(error);
    throw error;
  }
  if (raw) return response;
  const type = response.headers.get('Content-Type') ?? '';
  return type.includes('json') ? response.json() : response.text();
}

export const get = path => request('GET', path);
export const post = (path, body) => request('POST', path, body);
export const put = (path, body) => request('PUT', path, body);
export const del = path => request('DELETE', path);

/** Downloads a protected file: fetch with the key, then save the blob (a plain link could not send the key). */
export async function download(path, fileName) {
  const response = await request('GET', path, undefined, { raw: true });
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** A readable sentence for an error, naming a missing endpoint (another part of the server not deployed yet). */
export function describe(error, what) {
  if (error instanceof ApiError && (error.status === 404 || error.status === 405) && !error.problem?.detail)
    return `${what} is not available on this server (HTTP ${error.status}).`;
  if (error instanceof ApiError && error.status === 403) return error.message;
  return `${what}: ${error.message}`;
}
