// Every call to the API: same-origin cookie, Vietnamese answers, the anti-forgery token on writes.
let csrfToken = null;
let signedOut = () => {};

export function useCsrf(token) { csrfToken = token; }
export function whenSignedOut(callback) { signedOut = callback; }

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
    this.offline = status === 0;
  }
}

export async function api(method, path, { json, body, contentType, headers = {} } = {}) {
  const sent = { 'Accept-Language': 'vi', Accept: 'application/json', ...headers };
  if (json !== undefined) {
    sent['Content-Type'] = contentType || 'application/json';
    body = JSON.stringify(json);
  } else if (body !== undefined && contentType) {
    sent['Content-Type'] = contentType;
  }
  if (method !== 'GET' && csrfToken) sent['X-CSRF-Token'] = csrfToken;
  let response;
  try {
    response = await fetch(path, { method, headers: sent, body, credentials: 'same-origin', cache: 'no-store' });
  } catch {
    throw new ApiError(0, { detail: 'Không kết nối được với máy chủ; các thay đổi được giữ trên máy này.' });
  }
  const type = response.headers.get('Content-Type') || '';
  const data = response.status === 204 ? null : type.includes('json') ? await response.json().catch(() => null) : null;
  if (response.status === 401 && !path.startsWith('/api/session')) signedOut();
  if (!response.ok) throw new ApiError(response.status, data);
  return { data, etag: response.headers.get('ETag'), status: response.status };
}

export const get = (path) => api('GET', path);

/** A GET that answers null for 404 instead of failing. */
export async function find(path) {
  try {
    return await api('GET', path);
  } catch (error) {
    if (error.status === 404) return null;
    throw error;
  }
}
