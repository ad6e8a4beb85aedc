// The writes waiting for signal, as a hook and as a list on screen.
import { html, useEffect, useState } from '../lib.js';
import { t } from '../i18n.js';
import { flush, queued, subscribe } from '../offline.js';
import { PendingBadge } from './badges.js';

/** This user's queued writes (of one form, if given), kept current. */
export function useQueue(formId) {
  const [items, setItems] = useState([]);
  useEffect(() => {
    let live = true;
    const load = () => queued().then((q) => live && setItems(formId ? q.filter((w) => w.formId === formId) : q), () => undefined);
    load();
    const stop = subscribe(load);
    return () => {
      live = false;
      stop();
    };
  }, [formId]);
  return items;
}

/** The waiting writes of a form, each described by `describe(write)`, with a "send now". */
export function PendingList({ items, describe }) {
  const waiting = items.filter((w) => w.status === 'waiting');
  if (!waiting.length) return null;
  return html`<div class="card pending-list" role="status">
    <p><strong>${t('pendingTitle')}</strong></p>
    <ul class="cards">${waiting.map((w) => html`<li key=${w.seq} class="pending-item"><${PendingBadge} /> ${describe(w)}</li>`)}</ul>
    <button type="button" class="secondary" onClick=${() => flush().catch(() => undefined)}>${t('sendNow')}</button>
  </div>`;
}
