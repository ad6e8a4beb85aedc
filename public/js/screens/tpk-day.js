// A TPK member's phone screen: today's due (and overdue) visits in their villages, and the
// visit form. A visit carries the id the phone made for it, so it goes through the offline
// queue like a delivery: with no signal it waits on the phone ("menunggu sinyal") and is sent,
// in order, when the connection returns; sent twice it is stored once (same id, same body).
// A visit the server refuses comes back to its form with the reasons.
import { html, useEffect, useRef, useState } from '../lib.js';
import { api, newKey } from '../api.js';
import { t, errorText, VISIT_KINDS, VISIT_ACTIONS } from '../i18n.js';
import { formatDate, todayIn } from '../format.js';
import { DraftForm, input, textarea, select, num } from '../components/forms.js';
import { Resource, useResource } from '../components/resource.js';
import { PendingBadge } from '../components/badges.js';
import { PendingList, useQueue } from '../components/queue.js';
import { forget, sendOrQueue } from '../offline.js';

const addDays = (iso, days) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** The form id of a visit: one per due item, or one per family page. */
export const visitFormId = ({ due, family }) => (due ? `visit-${due.accompanimentId}` : `visit-family-${family}`);

/** A waiting visit in words: whom, what, which day. */
export const describeVisit = (w) =>
  [w.who, t(`tgroup_${w.body.targetGroup}`), t(`vkind_${w.body.kind}`), formatDate(w.body.visitedOn)].filter(Boolean).join(' · ');

/**
 * This user's queued visits, kept current; `onSent` runs when one that waited has gone out
 * (the screen then shows what the server now holds).
 */
export function useVisitQueue(onSent, match = (w) => w.formId.startsWith('visit-')) {
  const items = useQueue().filter(match);
  const waiting = items.filter((w) => w.status === 'waiting').length;
  const before = useRef(0);
  useEffect(() => {
    if (waiting < before.current) onSent();
    before.current = waiting;
  }, [waiting]);
  return items;
}

/** Refused visits whose form is not on screen: the reason, and a way to let them go. */
export function RefusedVisits({ items }) {
  if (!items.length) return null;
  return html`<div class="error" role="alert"><ul>${items.map((w) => html`<li key=${w.seq}>${describeVisit(w)}: ${errorText(w.error)}
    <button type="button" class="secondary" onClick=${() => forget(w.seq)}>${t('remove')}</button></li>`)}</ul></div>`;
}

export function TpkDay({ user }) {
  const today = todayIn(user.regencyCode ?? '3171');
  const [open, setOpen] = useState(null);
  const [said, setSaid] = useState(null);
  const res = useResource(() => api('GET', `/visits/due?until=${addDays(today, 7)}`), [today]);
  const queue = useVisitQueue(res.reload);
  const refused = queue.filter((w) => w.status === 'refused');
  const shown = new Set((res.data?.items ?? []).map((d) => visitFormId({ due: d })));
  return html`<section id="tpk-day"><h1>${t('tpkTitle')}</h1><p>${t('tpkHelp')}</p>
    ${said ? html`<p class="ok" role="status" id="visit-said">${t(said)}</p>` : null}
    <${PendingList} items=${queue} describe=${describeVisit} />
    <${Resource} res=${res}>${(due, reload) => html`
      <${RefusedVisits} items=${refused.filter((w) => !shown.has(w.formId))} />
      ${due.items.length
        ? html`<ul class="cards" id="due-visits">${due.items.map((d) => {
            const formId = visitFormId({ due: d });
            const back = refused.find((w) => w.formId === formId);
            const waiting = queue.some((w) => w.formId === formId && w.status === 'waiting');
            return html`<li key=${d.accompanimentId} class=${d.overdue ? 'card overdue-row' : 'card'} data-due=${d.accompanimentId}>
            <p><strong>${d.subject.firstName}</strong> · ${t(`tgroup_${d.targetGroup}`)} · ${t('visitLabel')} ${t(`vlabel_${d.visit}`)}${d.villageName ? ` · ${d.villageName}` : ''}</p>
            <p>${t('dueOn')}: ${formatDate(d.dueOn)} ${d.overdue ? html`<span class="badge overdue">${t('overdue')}</span>` : null}
              ${d.escalationLevel ? html`<span class="badge">${t('escalationLevel')} ${d.escalationLevel}</span>` : null}
              ${waiting ? html`<${PendingBadge} />` : null}</p>
            ${d.familyId ? html`<p><a href=${`#/families/${d.familyId}`}>${t('family')} ${d.subject.firstName}</a></p>` : null}
            ${open === d.accompanimentId || back
              ? html`<${VisitForm} due=${d} today=${today} refused=${back} onRestored=${() => setOpen(d.accompanimentId)}
                  onDone=${(r) => { setOpen(null); setSaid(r?.queued ? 'queuedOffline' : 'visitSaved'); if (!r?.queued) reload(); }} />`
              : html`<button type="button" onClick=${() => { setSaid(null); setOpen(d.accompanimentId); }}>${t('recordVisit')}</button>`}
          </li>`;
          })}</ul>`
        : html`<p>${t('empty')}</p>`}`}<//>
  </section>`;
}

/**
 * The visit form; `due` names whom it is for (a due item), or `family` a family without one.
 * `refused`: a queued visit the server refused, coming back with its values and reasons.
 */
export function VisitForm({ due, family, today, onDone, refused, onRestored }) {
  const subjectId = due?.subject.id;
  const familyId = due?.familyId ?? family;
  const group = due?.targetGroup ?? 'PUS';
  const formId = visitFormId({ due, family });
  return html`<${DraftForm} id=${formId} submitLabel=${t('send')} doneText=${t('visitSaved')} hint=${t('visitRetryHint')} onDone=${onDone}
    restore=${refused ? { seq: refused.seq, values: refused.values, error: refused.error } : undefined}
    onRestored=${() => {
      if (refused) forget(refused.seq);
      onRestored?.();
    }}
    once=${() => ({ id: newKey() })}
    defaults=${() => ({ kind: 'RUMAH', visitedOn: today, notes: '', actions: ['KIE'], weightKg: '', heightCm: '', method: 'recumbent' })}
    submit=${(v) => sendOrQueue({
      formId,
      method: 'POST',
      path: '/visits',
      headers: {},
      body: {
        id: v.id,
        targetGroup: group,
        kind: v.kind,
        actions: v.actions.length ? v.actions : ['NONE'],
        visitedOn: v.visitedOn,
        ...(subjectId ? { subjectId } : {}),
        ...(familyId ? { familyId } : {}),
        ...(v.notes.trim() ? { notes: v.notes.trim() } : {}),
        ...(group === 'BADUTA' && (v.weightKg || v.heightCm)
          ? { measurement: { method: v.method, ...(v.weightKg ? { weightKg: num(v.weightKg) } : {}), ...(v.heightCm ? { heightCm: num(v.heightCm) } : {}) } }
          : {}),
      },
      who: due?.subject.firstName ?? null,
      // What the form held, without its id: a refused visit comes back as a new fill.
      values: Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'id')),
    })}
    render=${(f) => {
      f.labels.actions = t('actions');
      return html`
      ${select(f, 'kind', t('visitKind'), VISIT_KINDS.map((k) => [k, t(`vkind_${k}`)]))}
      ${input(f, 'visitedOn', t('visitedOn'), { type: 'date', max: today, required: true })}
      <fieldset class=${f.fieldError('actions') ? 'field invalid' : 'field'}><legend>${t('actions')}</legend>
        ${VISIT_ACTIONS.map((a) => html`<label class="check"><input type="checkbox" name="actions" value=${a} checked=${f.values.actions.includes(a)}
          onChange=${(e) => f.set('actions', e.currentTarget.checked ? [...f.values.actions.filter((x) => x !== 'NONE' && a !== 'NONE'), a] : f.values.actions.filter((x) => x !== a))} /> ${t(`vact_${a}`)}</label>`)}
        ${f.fieldError('actions') ? html`<p class="field-error">${f.fieldError('actions')}</p>` : null}
      </fieldset>
      ${group === 'BADUTA'
        ? html`<fieldset class="field"><legend>${t('childMeasurement')}</legend>
            ${input(f, 'weightKg', t('weightKg'), { inputmode: 'decimal' })}
            ${input(f, 'heightCm', t('heightCm'), { inputmode: 'decimal' })}
            ${select(f, 'method', t('method'), [['recumbent', t('recumbent')], ['standing', t('standing')]])}
          </fieldset>`
        : null}
      ${textarea(f, 'notes', t('note'))}`;
    }} />`;
}
