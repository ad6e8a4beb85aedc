// A TPK member's phone screen: today's due (and overdue) visits in their villages, and the
// visit form. The form's draft, with its visit id, is kept on the phone until the server has
// it: sending again after a dropped connection stores the visit once (the id makes it so).
import { html, useState } from '../lib.js';
import { api, newKey } from '../api.js';
import { t } from '../i18n.js';
import { formatDate, todayIn } from '../format.js';
import { DraftForm, input, textarea, select, num } from '../components/forms.js';
import { Resource, useResource } from '../components/resource.js';
import { tt } from './tpk-i18n.js';

const KINDS = ['RUMAH', 'POSYANDU', 'VERVAL', 'TELEPON'];
const ACTIONS = ['KIE', 'RUJUKAN', 'BANSOS', 'PMT', 'ELSIMIL', 'EPPGBM', 'BAAS', 'GENTING', 'NONE'];

const addDays = (iso, days) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

export function TpkDay({ user }) {
  const today = todayIn(user.regencyCode ?? '3171');
  const [open, setOpen] = useState(null);
  const res = useResource(() => api('GET', `/visits/due?until=${addDays(today, 7)}`), [today]);
  return html`<section id="tpk-day"><h1>${tt('dayTitle')}</h1><p>${tt('dayHelp')}</p>
    <${Resource} res=${res}>${(due, reload) =>
      due.items.length
        ? html`<ul class="cards">${due.items.map((d) => html`<li key=${d.accompanimentId} class=${d.overdue ? 'card overdue-row' : 'card'} data-due=${d.accompanimentId}>
            <p><strong>${d.subject.firstName}</strong> · ${tt(`g_${d.targetGroup}`)} · ${tt('visit')} ${d.visit}</p>
            <p>${tt('dueOn')}: ${formatDate(d.dueOn)} ${d.overdue ? html`<span class="badge overdue">${t('overdue')}</span>` : null}
              ${d.escalationLevel ? html`<span class="badge">${tt('level')} ${d.escalationLevel}</span>` : null}</p>
            ${d.familyId ? html`<p><a href=${`#/families/${d.familyId}`}>${tt('family')}</a></p>` : null}
            ${open === d.accompanimentId
              ? html`<${VisitForm} due=${d} today=${today} user=${user} onDone=${() => { setOpen(null); reload(); }} />`
              : html`<button type="button" onClick=${() => setOpen(d.accompanimentId)}>${tt('record')}</button>`}
          </li>`)}</ul>`
        : html`<p>${tt('none')}</p>`}<//>
  </section>`;
}

/** The visit form; `due` names whom it is for (a due item), or `family` a family without one. */
export function VisitForm({ due, family, today, onDone }) {
  const subjectId = due?.subject.id;
  const group = due?.targetGroup ?? 'PUS';
  const key = `visit-${due?.accompanimentId ?? family}`;
  return html`<${DraftForm} id=${key} submitLabel=${t('send')} doneText=${tt('saved')} hint=${tt('offlineHint')} onDone=${onDone}
    once=${() => ({ id: newKey() })}
    defaults=${() => ({ kind: 'RUMAH', visitedOn: today, notes: '', actions: ['KIE'], weightKg: '', heightCm: '', method: 'recumbent' })}
    submit=${(v) => {
      const body = {
        id: v.id,
        targetGroup: group,
        kind: v.kind,
        actions: v.actions.length ? v.actions : ['NONE'],
        visitedOn: v.visitedOn,
        ...(subjectId ? { subjectId } : {}),
        ...(due?.familyId ?? family ? { familyId: due?.familyId ?? family } : {}),
        ...(v.notes.trim() ? { notes: v.notes.trim() } : {}),
        ...(group === 'BADUTA' && (v.weightKg || v.heightCm)
          ? { measurement: { method: v.method, ...(v.weightKg ? { weightKg: num(v.weightKg) } : {}), ...(v.heightCm ? { heightCm: num(v.heightCm) } : {}) } }
          : {}),
      };
      return api('POST', '/visits', { body });
    }}
    render=${(f) => html`
      ${select(f, 'kind', tt('kind'), KINDS.map((k) => [k, tt(`k_${k}`)]))}
      ${input(f, 'visitedOn', tt('visitedOn'), { type: 'date', max: today, required: true })}
      <fieldset class="field"><legend>${tt('actions')}</legend>
        ${ACTIONS.map((a) => html`<label class="check"><input type="checkbox" name="actions" value=${a} checked=${f.values.actions.includes(a)}
          onChange=${(e) => f.set('actions', e.currentTarget.checked ? [...f.values.actions.filter((x) => x !== 'NONE' && a !== 'NONE'), a] : f.values.actions.filter((x) => x !== a))} /> ${tt(`a_${a}`)}</label>`)}
      </fieldset>
      ${group === 'BADUTA'
        ? html`<fieldset class="field"><legend>${tt('measurement')}</legend>
            ${input(f, 'weightKg', tt('weight'), { inputmode: 'decimal' })}
            ${input(f, 'heightCm', tt('height'), { inputmode: 'decimal' })}
            ${select(f, 'method', tt('method'), [['recumbent', tt('recumbent')], ['standing', tt('standing')]])}
          </fieldset>`
        : null}
      ${textarea(f, 'notes', tt('notes'))}`} />`;
}
