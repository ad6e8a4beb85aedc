// The event forms: the case's steps, a measurement, and the buttons of a task's or an
// intervention's allowed events (those that need words open a small form).
import { html, useState } from '../lib.js';
import { api } from '../api.js';
import { t, errorText } from '../i18n.js';
import { todayIn } from '../format.js';
import { DraftForm, input, textarea, select, nowLocal, localToIso, num } from './forms.js';

const SIMPLE_NOTE_EVENTS = ['RESOLVE', 'CONTINUE_INTERVENTION', 'REAUDIT', 'REOPEN'];
export const CLOSE_REASONS = ['moved_away', 'deceased', 'aged_out', 'duplicate', 'measurement_error', 'consent_withdrawn', 'transferred'];
const EXPERTS = ['SpA', 'SpOG', 'GIZI', 'PSIKOLOG', 'OTHER'];

const cycleOf = (date = new Date()) => `${date.getFullYear()}-S${date.getMonth() < 6 ? 1 : 2}`;

/** Whole months of age on a day (YYYY-MM-DD or a local date-time). */
export function ageMonthsOn(birthDate, day) {
  if (!birthDate) return null;
  const [by, bm, bd] = birthDate.slice(0, 10).split('-').map(Number);
  const [y, m, d] = String(day).slice(0, 10).split('-').map(Number);
  if (!y) return null;
  return (y - by) * 12 + (m - bm) - (d < bd ? 1 : 0);
}

/** WHO: length lying down under 24 months, height standing from 24 months. */
export const methodForAge = (months) => (months !== null && months >= 24 ? 'standing' : 'recumbent');

const methodOptions = () => [['recumbent', t('recumbent')], ['standing', t('standing')]];

function measurementFields(f, dateType) {
  return html`${input(f, 'measuredAt', t('measuredAt'), dateType === 'date' ? { type: 'date' } : { type: 'datetime-local', step: 1 })}
    ${input(f, 'heightCm', t('heightCm'), { inputmode: 'decimal' })}${input(f, 'weightKg', t('weightKg'), { inputmode: 'decimal' })}
    ${select(f, 'method', t('method'), methodOptions(), { help: t('methodHelp') })}`;
}

export function CaseEventForm({ type, c, causes, opds, reload }) {
  const send = (payload) => api('POST', `/cases/${c.id}/events`, { body: { type, ...payload }, headers: { 'If-Match': String(c.version) } });
  const common = { id: `case-${c.id}-${type}`, title: t(`ev_${type}`), submitLabel: t(`ev_${type}`), onDone: reload };
  if (type === 'RECORD_AUDIT') {
    const opdOptions = opds.map((o) => [o.code, o.name]);
    const firstOpd = opdOptions[0]?.[0] ?? '';
    return html`<${DraftForm} ...${common}
      defaults=${() => ({ auditedAt: nowLocal(), cycle: cycleOf(), causes: [], recs: [{ action: '', opdCode: firstOpd, dueInDays: '' }], specialty: 'GIZI', expertName: '' })}
      submit=${(v) => send({
        auditedAt: localToIso(v.auditedAt), cycle: v.cycle, causes: v.causes,
        recommendations: v.recs.map((r) => ({ action: r.action, opdCode: r.opdCode, ...(r.dueInDays ? { dueInDays: Number(r.dueInDays) } : {}) })),
        experts: [{ specialty: v.specialty, ...(v.expertName ? { name: v.expertName } : {}) }],
      })}
      render=${(f) => {
        const v = f.values;
        f.labels.causes = t('causes');
        f.labels.recommendations = t('recommendation');
        f.labels.experts = t('experts');
        const setRec = (i, k, val) => f.set('recs', v.recs.map((r, j) => (j === i ? { ...r, [k]: val } : r)));
        return html`${input(f, 'auditedAt', t('auditedAt'), { type: 'datetime-local', step: 1 })}
          ${input(f, 'cycle', t('cycle'), { placeholder: '2026-S2' })}
          <fieldset class=${f.fieldError('causes') ? 'invalid' : ''}><legend>${t('causes')}</legend>
            ${causes.map((k) => html`<label class="check"><input type="checkbox" name="causes" value=${k.code} checked=${v.causes.includes(k.code)}
              onChange=${(e) => f.set('causes', e.currentTarget.checked ? [...v.causes, k.code] : v.causes.filter((x) => x !== k.code))} /> ${k.name}</label>`)}
            ${f.fieldError('causes') ? html`<p class="field-error">${f.fieldError('causes')}</p>` : null}
          </fieldset>
          <fieldset><legend>${t('recommendations')}</legend>
            ${v.recs.map((r, i) => html`<div class="rec">
              <label for=${`rec-action-${i}`}>${t('action')}</label><input id=${`rec-action-${i}`} value=${r.action} onInput=${(e) => setRec(i, 'action', e.currentTarget.value)} />
              <label for=${`rec-opd-${i}`}>${t('opd')}</label><select id=${`rec-opd-${i}`} onChange=${(e) => setRec(i, 'opdCode', e.currentTarget.value)}>${opdOptions.map(([val, l]) => html`<option value=${val} selected=${val === r.opdCode}>${l}</option>`)}</select>
              <label for=${`rec-due-${i}`}>${t('dueInDays')}</label><input id=${`rec-due-${i}`} type="number" min="1" max="365" inputmode="numeric" value=${r.dueInDays} onInput=${(e) => setRec(i, 'dueInDays', e.currentTarget.value)} />
              ${v.recs.length > 1 ? html`<button type="button" class="link" onClick=${() => f.set('recs', v.recs.filter((_, j) => j !== i))}>${t('remove')}</button>` : null}
              ${f.fieldError(`recommendations.${i}`) ? html`<p class="field-error">${f.fieldError(`recommendations.${i}`)}</p>` : null}
            </div>`)}
            <button type="button" class="secondary" onClick=${() => f.set('recs', [...v.recs, { action: '', opdCode: firstOpd, dueInDays: '' }])}>${t('addRecommendation')}</button>
          </fieldset>
          <fieldset><legend>${t('experts')}</legend>
            ${select(f, 'specialty', t('specialty'), EXPERTS.map((s) => [s, t(`expert_${s}`)]))}
            ${input(f, 'expertName', t('expertName'))}
          </fieldset>`;
      }} />`;
  }
  if (type === 'START_INTERVENTION') {
    return html`<${DraftForm} ...${common} defaults=${() => ({ startedAt: nowLocal(), description: '' })}
      submit=${(v) => send({ startedAt: localToIso(v.startedAt), description: v.description })}
      render=${(f) => html`${input(f, 'startedAt', t('startedAt'), { type: 'datetime-local', step: 1 })}${textarea(f, 'description', t('description'))}`} />`;
  }
  if (type === 'RECORD_REMEASUREMENT') {
    return html`<${DraftForm} ...${common}
      defaults=${(typed) => {
        const measuredAt = typed.measuredAt ?? nowLocal();
        return { measuredAt, heightCm: '', weightKg: '', method: methodForAge(ageMonthsOn(c.subject?.birthDate, measuredAt)) };
      }}
      submit=${(v) => send({ measuredAt: localToIso(v.measuredAt), heightCm: num(v.heightCm), ...(v.weightKg ? { weightKg: num(v.weightKg) } : {}), method: v.method })}
      render=${(f) => measurementFields(f, 'datetime')} />`;
  }
  if (type === 'CLOSE') {
    return html`<${DraftForm} ...${common} defaults=${() => ({ reason: '', note: '' })}
      submit=${(v) => send({ ...(v.reason ? { reason: v.reason } : {}), note: v.note })}
      render=${(f) => html`${select(f, 'reason', t('reason'), CLOSE_REASONS.map((r) => [r, t(`reason_${r}`)]), { placeholder: t('choose'), required: true })}${textarea(f, 'note', t('note'))}`} />`;
  }
  if (SIMPLE_NOTE_EVENTS.includes(type)) {
    return html`<${DraftForm} ...${common} defaults=${() => ({ note: '' })} submit=${(v) => send({ note: v.note })}
      render=${(f) => textarea(f, 'note', t('note'))} />`;
  }
  return null;
}

export function MeasurementForm({ c, reload }) {
  return html`<${DraftForm} id=${`measure-${c.subject.id}`} title=${t('recordMeasurement')} submitLabel=${t('save')} doneText=${t('measurementSaved')} onDone=${reload}
    defaults=${(typed) => {
      const measuredAt = typed.measuredAt ?? todayIn(c.regencyCode);
      return { measuredAt, heightCm: '', weightKg: '', method: methodForAge(ageMonthsOn(c.subject.birthDate, measuredAt)) };
    }}
    submit=${(v) => api('POST', `/subjects/${c.subject.id}/measurements`, { body: { measuredAt: v.measuredAt, heightCm: num(v.heightCm), ...(v.weightKg ? { weightKg: num(v.weightKg) } : {}), method: v.method } })}
    render=${(f) => measurementFields(f, 'date')} />`;
}

const NEEDS = {
  COMPLETE: ['note', 'evidence'], DECLINE: ['reason'], CANCEL: ['reason'], REJECT: ['reason'], HOLD: ['reason'], REASSIGN: ['opdCode', 'note'],
};

/** Buttons for a task's or an intervention's allowed events. */
export function EntityEvents({ kind, item, reload, opds }) {
  const [open, setOpen] = useState(null);
  const [busy, setBusy] = useState(null);
  const [error, setError] = useState(null);
  const events = item.allowedEvents ?? [];
  if (!events.length) return null;
  const send = (type, payload = {}) => api('POST', `/${kind}/${item.id}/events`, { body: { type, ...payload }, headers: { 'If-Match': String(item.version) } });
  async function quick(type) {
    setBusy(type);
    setError(null);
    try {
      await send(type);
      reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }
  const opdOptions = (opds ?? []).filter((o) => o.id !== item.opd?.id).map((o) => [o.code, o.name]);
  return html`<div class="events">
    <div class="buttons">${events.map((type) => html`<button type="button" class=${NEEDS[type] ? 'secondary' : ''} disabled=${busy === type}
      aria-expanded=${NEEDS[type] ? String(open === type) : undefined}
      onClick=${() => (NEEDS[type] ? setOpen(open === type ? null : type) : quick(type))}>${t(`ev_${type}`)}</button>`)}</div>
    ${error ? html`<p class="error" role="alert">${errorText(error)}</p>` : null}
    ${open ? html`<${DraftForm} key=${open} id=${`${kind}-${item.id}-${open}`} title=${t(`ev_${open}`)} submitLabel=${t(`ev_${open}`)} onDone=${() => { setOpen(null); reload(); }}
      defaults=${() => ({ note: '', evidence: '', reason: '', opdCode: '' })}
      submit=${(v) => {
        if (open === 'COMPLETE') return send(open, { note: v.note, evidence: [{ kind: 'note', description: v.evidence || v.note }] });
        if (open === 'REASSIGN') return send(open, { opdCode: v.opdCode, ...(v.note ? { note: v.note } : {}) });
        return send(open, { reason: v.reason });
      }}
      render=${(f) => NEEDS[open].map((n) =>
        n === 'evidence' ? textarea(f, 'evidence', t('evidenceHelp'))
        : n === 'opdCode' ? (opdOptions.length ? select(f, 'opdCode', t('opd'), opdOptions, { placeholder: t('choose') }) : input(f, 'opdCode', t('opd')))
        : textarea(f, n, t(n)))} />` : null}
  </div>`;
}
