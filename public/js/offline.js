// Work that survives no signal. Writes that carry an idempotency key (a delivery's
// Idempotency-Key header, a TPK visit's client-made id) are kept
// in IndexedDB while there is no connection, shown as "menunggu sinyal", and sent in the order
// they were made once it returns. A resend after a dropped answer carries the same key, so the
// server stores each write once. A write the server refuses is kept as "refused" with its
// reasons, and goes back to its form.
//
// Plain IndexedDB (one store, four operations) rather than a wrapper library: too little to need one.
import { api, ApiError, NetworkError } from './api.js';

const DB = 'tuntas-offline';
const STORE = 'writes';
let dbPromise = null;
let userId = null;
let flushing = null;
const listeners = new Set();

function db() {
  dbPromise ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'seq', autoIncrement: true });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  return dbPromise;
}

async function tx(mode, fn) {
  const d = await db();
  return new Promise((resolve, reject) => {
    const t = d.transaction(STORE, mode);
    const out = fn(t.objectStore(STORE));
    t.oncomplete = () => resolve(out?.result);
    t.onerror = () => reject(t.error);
  });
}

const notify = () => listeners.forEach((fn) => fn());

/** This user's queued writes, oldest first (another user's stay for them). */
export async function queued() {
  const all = (await tx('readonly', (s) => s.getAll())) ?? [];
  return all.filter((w) => w.userId === userId).sort((a, b) => a.seq - b.seq);
}

export async function forget(seq) {
  await tx('readwrite', (s) => s.delete(seq));
  notify();
}

export function subscribe(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/**
 * Sends a keyed write now, or queues it when there is no signal or older writes still wait (so
 * they keep their order). Resolves to the server's answer, or to {queued: true}.
 * write: {formId, method, path, headers (with Idempotency-Key), body, values (what the form held)}.
 */
export async function sendOrQueue(write) {
  const waiting = (await queued()).some((w) => w.status === 'waiting');
  if (!waiting && navigator.onLine !== false) {
    try {
      return await api(write.method, write.path, { body: write.body, headers: write.headers });
    } catch (e) {
      if (!(e instanceof NetworkError)) throw e;
    }
  }
  await tx('readwrite', (s) => s.add({ ...write, userId, status: 'waiting', queuedAt: new Date().toISOString() }));
  notify();
  if (navigator.onLine !== false) setTimeout(flush, 3000);
  return { queued: true };
}

/** Sends the waiting writes in order, each once; stops at the first that gets no answer. */
export function flush() {
  flushing ??= (async () => {
    try {
      for (const w of await queued()) {
        if (w.status !== 'waiting') continue;
        try {
          await api(w.method, w.path, { body: w.body, headers: w.headers });
          await tx('readwrite', (s) => s.delete(w.seq));
          notify();
        } catch (e) {
          if (e instanceof NetworkError || (e instanceof ApiError && (e.status === 401 || e.status === 429 || e.status >= 500))) break;
          const error = { status: e.status, code: e.code, message: e.message, details: e.details };
          await tx('readwrite', (s) => s.put({ ...w, status: 'refused', error }));
          notify();
        }
      }
    } finally {
      flushing = null;
    }
  })();
  return flushing;
}

/** Starts the queue for the logged-in user: sends what waits now, when the signal returns, and every half minute. */
export function startQueue(user) {
  userId = user?.id ?? null;
  notify();
  if (userId) flush().catch(() => undefined);
}

window.addEventListener('online', () => flush().catch(() => undefined));
setInterval(() => {
  if (userId && navigator.onLine !== false) flush().catch(() => undefined);
}, 30_000);

/** The service worker that keeps the app shell for use with no signal. */
export function registerServiceWorker() {
  if ('serviceWorker' in navigator) navigator.serviceWorker.register('/sw.js').catch(() => undefined);
}
