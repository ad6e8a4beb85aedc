import { html, useEffect, useRef } from '../lib.js';
import { api, all, newKey } from '../api.js';
import { t } from '../i18n.js';
import { formatDateTime, formatNumber, formatRupiah } from '../format.js';
import { Resource, useResource } from '../components/resource.js';
import { OverdueBadge, StateBadge } from '../components/badges.js';
import { EntityEvents } from '../components/events.js';
import { DraftForm, input, textarea, nowLocal, localToIso, num } from '../components/forms.js';
import { PendingList, useQueue } from '../components/queue.js';
import { forget, sendOrQueue } from '../offline.js';
import { programmeName } from './case.js';
import { beneficiaryName } from './interventions.js';
import { place } from './cases.js';

/**
 * A delivery carries its Idempotency-Key from the first send: with no signal it waits in the
 * queue and is sent later under the same key, so it is stored once however often it is sent.
 */
function DeliveryForm({ iv, reload, refused }) {
  const formId = `delivery-${iv.id}`;
  return html`<${DraftForm} id=${formId} title=${t('logDelivery')} doneText=${t('deliverySaved')} hint=${t('retryHint')}
    onDone=${(r) => { if (!r?.queued) reload(); }}
    restore=${refused ? { seq: refused.seq, values: refused.values, error: refused.error } : undefined}
    onRestored=${() => refused && forget(refused.seq)}
    once=${() => ({ key: newKey() })}
    defaults=${() => ({ deliveredAt: nowLocal(), quantity: '1', unit: iv.unit, amountIdr: '', note: '', evidenceRef: '' })}
    submit=${(v) => sendOrQueue({
      formId,
      method: 'POST',
      path: `/interventions/${iv.id}/deliveries`,
      headers: { 'Idempotency-Key': v.key },
      body: { deliveredAt: localToIso(v.deliveredAt), quantity: num(v.quantity), unit: v.unit, ...(v.amountIdr ? { amountIdr: Math.round(num(v.amountIdr)) } : {}), ...(v.note ? { note: v.note } : {}), ...(v.evidenceRef ? { evidenceRef: v.evidenceRef } : {}) },
      // What the form held, without the key: a refused write comes back for a new fill.
      values: Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'key')),
    })}
    render=${(f) => html`${input(f, 'deliveredAt', t('deliveredAt'), { type: 'datetime-local', step: 1 })}
      ${input(f, 'quantity', t('quantity'), { inputmode: 'decimal' })}${input(f, 'unit', t('unit'))}
      ${input(f, 'amountIdr', t('amountIdr'), { inputmode: 'numeric' })}${input(f, 'evidenceRef', t('evidenceRef'))}${textarea(f, 'note', t('note'))}`} />`;
}

const describe = (regencyCode) => (w) => `${formatDateTime(w.body.deliveredAt, regencyCode)} · ${formatNumber(w.body.quantity)} ${w.body.unit} · ${formatRupiah(w.body.amountIdr ?? null)}`;

export function InterventionPage({ id, user }) {
  const res = useResource(async () => ({ iv: await api('GET', `/interventions/${id}`), deliveries: await all(`/interventions/${id}/deliveries`) }), [id]);
  const pending = useQueue(`delivery-${id}`);
  // When a waiting delivery has gone out, show the stored list.
  const waitingBefore = useRef(0);
  const waiting = pending.filter((w) => w.status === 'waiting').length;
  useEffect(() => {
    if (waiting < waitingBefore.current) res.reload();
    waitingBefore.current = waiting;
  }, [waiting]);
  const refused = pending.find((w) => w.status === 'refused');
  return html`<${Resource} res=${res}>${({ iv, deliveries }, reload) => html`<section>
      <p><a href="#/interventions">← ${t('back')}</a></p>
      <h1>${programmeName(iv)} <${StateBadge} kind="intervention" value=${iv.state} /> <${OverdueBadge} overdue=${iv.overdue} /></h1>
      <dl class="facts">
        <div><dt>${t('beneficiary')}</dt><dd>${beneficiaryName(iv.beneficiary)}</dd></div>
        <div><dt>${t('village')}</dt><dd>${place(iv.beneficiary)}</dd></div>
        <div><dt>${t('budget')}</dt><dd>${formatRupiah(iv.budgetIdr)}</dd></div>
        <div><dt>${t('spent')}</dt><dd>${formatRupiah(iv.spentIdr)}</dd></div>
        ${iv.step ? html`<div><dt>${t(`due_${iv.step}`)}</dt><dd>${formatDateTime(iv.stepDueAt, iv.regencyCode)}</dd></div>` : null}
        <div><dt>${t('outcome')}</dt><dd>${t(`band_${iv.outcomeBand}`)}</dd></div>
      </dl>
      <${EntityEvents} kind="interventions" item=${iv} reload=${reload} />
      ${['approved', 'active'].includes(iv.state) && ['csr_partner', 'case_manager'].includes(user.role) ? html`<${DeliveryForm} iv=${iv} reload=${reload} refused=${refused} />` : null}
      <${PendingList} items=${pending} describe=${describe(iv.regencyCode)} />
      <h2>${t('deliveries')} (<span id="delivery-count">${deliveries.length}</span>)</h2>
      ${deliveries.length ? html`<ul class="cards" id="deliveries">${deliveries.map((d) => html`<li key=${d.id} class="card">
        ${formatDateTime(d.deliveredAt, iv.regencyCode)} · ${formatNumber(d.quantity)} ${d.unit} · ${formatRupiah(d.amountIdr)} ${d.onTime ? html`<span class="badge">${t('onTime')}</span>` : html`<${OverdueBadge} overdue=${true} />`}
      </li>`)}</ul>` : html`<p>${t('empty')}</p>`}
    </section>`}<//>
    ${res.data === undefined ? html`<${PendingList} items=${pending} describe=${describe()} />` : null}`;
}
