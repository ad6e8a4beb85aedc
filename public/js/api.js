// The one way the console talks to the service: /api/v1 with the user's bearer token, which is
// kept in sessionStorage (gone when the tab closes; never put in a URL), and the chosen language,
// so the server's reasons come back in it.
import { lang } from './i18n.js';

const TOKEN = 'tuntas.token';
const ME = 'tuntas.me';

export const getToken = () => sessionStorage.getItem(TOKEN);
export function setToken(t) {
  if (t) sessionStorage.setItem(TOKEN, t);
  else {
    sessionStorage.removeItem(TOKEN);
    sessionStorage.removeItem(ME);
  }
}

/** Who is logged in: asked of the server, or, with no signal, the answer it last gave in this tab. */
export async function whoAmI() {
  try {
    const me = await api('GET', '/users/me');
    sessionStorage.setItem(ME, JSON.stringify(me));
    return me;
  } catch (e) {
    const kept = sessionStorage.getItem(ME);
    if (e instanceof NetworkError && kept) return JSON.parse(kept);
    throw e;
  }
}

/** An answer of the API other than 2xx: `{error, message, details}`. */
export class ApiError extends Error {
  constructor(status, body) {
    super(typeof body?.message === 'string' ? body.message : `HTTP ${status}`);
    this.status = status;
    this.code = typeof body?.error === 'string' ? body.error : `HTTP_${status}`;
    this.details = body?.details && typeof body.details === 'object' ? body.details : {};
  }
}

/** The request never got an answer (offline, dropped connection). */
export class NetworkError extends Error {
  constructor() {
    super('network');
    this.code = 'NETWORK';
  }
}

let onUnauthenticated = () => undefined;
export const setUnauthenticatedHandler = (fn) => (onUnauthenticated = fn);

export async function api(method, path, { body, headers = {}, form, raw } = {}) {
  const h = { Accept: 'application/json', 'Accept-Language': lang(), ...headers };
  const token = getToken();
  if (token) h.Authorization = `Bearer ${token}`;
  let payload;
  if (form) payload = form;
  else if (body !== undefined) {
    h['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(`/api/v1${path}`, { method, headers: h, body: payload, cache: 'no-store' });
  } catch {
    throw new NetworkError();
  }
  if (raw && res.ok) return res;
  let data = null;
  try {
    const text = await res.text();
    data = text ? JSON.parse(text) : null;
  } catch {
    if (res.ok) throw new NetworkError();
  }
  if (!res.ok) {
    const err = new ApiError(res.status, data);
    if (res.status === 401 && path !== '/auth/login') onUnauthenticated();
    throw err;
  }
  if (data && typeof data === 'object') Object.defineProperty(data, 'etag', { value: res.headers.get('ETag'), enumerable: false });
  return data;
}

/** Every page of a list. */
export async function all(path) {
  const items = [];
  let cursor = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page = await api('GET', `${path}${cursor ? `${sep}cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...(page.items ?? []));
    cursor = page.nextCursor;
  } while (cursor && items.length < 2000);
  return items;
}

/** A fresh key for one fill of a form; kept with the form's draft so a retry reuses it. */
export const newKey = () => crypto.randomUUID();
