import { html } from '../lib.js';
import { api } from '../api.js';
import { t, RECIPIENTS, CHANNELS } from '../i18n.js';
import { formatDate, formatDateTime } from '../format.js';
import { Resource, useResource } from '../components/resource.js';
import { DraftForm, field } from '../components/forms.js';
import { RegencyPicker, useRegency } from '../components/regency.js';

const CASE_STEPS = ['identified', 'audited', 'intervened', 'remeasured'];
const TASK_DAYS = ['acknowledgeWorkingDays', 'completeDays', 'verifyDays', 'reassignWorkingDays'];
const INTERVENTION_DAYS = ['firstDeliveryDays', 'graceDays'];

/** A whole number typed as text; sent as a number when it reads as one, as typed otherwise (the server names the field). */
const int = (v) => (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v);
const dec = (v) => (typeof v === 'string' && /^\s*-?\d+([.,]\d+)?\s*$/.test(v) ? Number(v.replace(',', '.')) : v);

function number(f, path, label, get, setter) {
  const id = `${f.id}-${path}`.replace(/[^a-zA-Z0-9_-]/g, '-');
  const err = f.fieldError(path);
  return field(f, path, label, html`<input id=${id} inputmode="numeric" value=${get() ?? ''} onInput=${(e) => setter(e.currentTarget.value)} aria-invalid=${err ? 'true' : 'false'} aria-describedby=${err ? `${id}-err` : undefined} />`);
}

function PolicyForm({ rc, policy, reload }) {
  const toForm = (p) => ({
    days: { ...p.days },
    tasks: { ...p.tasks },
    interventions: { ...p.interventions },
    outcome: { ...p.outcome },
    ladder: p.ladder.map((r) => ({ ...r })),
    holidays: [...p.holidays],
  });
  return html`<${DraftForm} id=${`sla-${rc}`} title=${t('slaTitle')} submitLabel=${t('save')} onDone=${reload}
    defaults=${() => toForm(policy)}
    submit=${(v) => api('PUT', `/sla-policies/${rc}`, { body: {
      days: Object.fromEntries(CASE_STEPS.map((s) => [s, int(v.days[s])])),
      tasks: Object.fromEntries(TASK_DAYS.map((s) => [s, int(v.tasks[s])])),
      interventions: Object.fromEntries(INTERVENTION_DAYS.map((s) => [s, int(v.interventions[s])])),
      outcome: { minHaz: dec(v.outcome.minHaz), minImprovement: dec(v.outcome.minImprovement) },
      ladder: v.ladder.map((r, i) => ({ level: i + 1, afterDays: int(r.afterDays), notify: r.notify, channels: r.channels })),
      holidays: v.holidays.filter((d) => d !== ''),
    } })}
    render=${(f) => {
      const v = f.values;
      const setIn = (group, key) => (val) => f.set(group, { ...v[group], [key]: val });
      const setRung = (i, key, val) => f.set('ladder', v.ladder.map((r, j) => (j === i ? { ...r, [key]: val } : r)));
      const toggle = (list, x, on) => (on ? [...new Set([...list, x])] : list.filter((y) => y !== x));
      f.labels.ladder = t('rung');
      f.labels.holidays = t('holiday');
      return html`
        <fieldset class="numbers"><legend>${t('caseStepDays')}</legend>
          ${CASE_STEPS.map((s) => number(f, `days.${s}`, t(`state_${s}`), () => v.days[s], setIn('days', s)))}
        </fieldset>
        <fieldset class="numbers"><legend>${t('taskStepDays')}</legend>
          ${TASK_DAYS.map((s) => number(f, `tasks.${s}`, t(`sla_${s}`), () => v.tasks[s], setIn('tasks', s)))}
        </fieldset>
        <fieldset class="numbers"><legend>${t('interventionStepDays')}</legend>
          ${INTERVENTION_DAYS.map((s) => number(f, `interventions.${s}`, t(`sla_${s}`), () => v.interventions[s], setIn('interventions', s)))}
        </fieldset>
        <fieldset class="numbers"><legend>${t('outcomeRule')}</legend>
          ${number(f, 'outcome.minHaz', t('sla_minHaz'), () => v.outcome.minHaz, setIn('outcome', 'minHaz'))}
          ${number(f, 'outcome.minImprovement', t('sla_minImprovement'), () => v.outcome.minImprovement, setIn('outcome', 'minImprovement'))}
        </fieldset>
        <fieldset id="ladder" class="rungs"><legend>${t('ladder')}</legend>
          ${v.ladder.map((r, i) => html`<div class="rung card">
            <p><strong>${t('level')} ${i + 1}</strong></p>
            ${number(f, `ladder.${i}.afterDays`, t('afterDays'), () => r.afterDays, (val) => setRung(i, 'afterDays', val))}
            <fieldset class=${f.fieldError(`ladder.${i}.notify`) ? 'invalid' : ''}><legend>${t('notify')}</legend>
              ${RECIPIENTS.map((x) => html`<label class="check"><input type="checkbox" checked=${r.notify.includes(x)} onChange=${(e) => setRung(i, 'notify', toggle(r.notify, x, e.currentTarget.checked))} /> ${t(`recipient_${x}`)}</label>`)}
              ${f.fieldError(`ladder.${i}.notify`) ? html`<p class="field-error">${f.fieldError(`ladder.${i}.notify`)}</p>` : null}
            </fieldset>
            <fieldset class=${f.fieldError(`ladder.${i}.channels`) ? 'invalid' : ''}><legend>${t('channels')}</legend>
              ${CHANNELS.map((x) => html`<label class="check"><input type="checkbox" checked=${r.channels.includes(x)} onChange=${(e) => setRung(i, 'channels', toggle(r.channels, x, e.currentTarget.checked))} /> ${t(`channel_${x}`)}</label>`)}
              ${f.fieldError(`ladder.${i}.channels`) ? html`<p class="field-error">${f.fieldError(`ladder.${i}.channels`)}</p>` : null}
            </fieldset>
            ${v.ladder.length > 1 ? html`<button type="button" class="link" onClick=${() => f.set('ladder', v.ladder.filter((_, j) => j !== i))}>${t('remove')}</button>` : null}
          </div>`)}
          ${v.ladder.length < 10 ? html`<button type="button" class="secondary" onClick=${() => f.set('ladder', [...v.ladder, { level: v.ladder.length + 1, afterDays: '', notify: [], channels: ['inbox'] }])}>${t('addRung')}</button>` : null}
        </fieldset>
        <fieldset id="holidays"><legend>${t('holidays')}</legend>
          ${v.holidays.map((d, i) => html`<div class=${f.fieldError(`holidays.${i}`) ? 'field invalid holiday' : 'field holiday'}>
            <label for=${`holiday-${i}`}>${t('holiday')} ${i + 1}${d ? ` (${formatDate(d)})` : ''}</label>
            <input id=${`holiday-${i}`} type="date" value=${d} onInput=${(e) => f.set('holidays', v.holidays.map((x, j) => (j === i ? e.currentTarget.value : x)))} />
            <button type="button" class="link" onClick=${() => f.set('holidays', v.holidays.filter((_, j) => j !== i))}>${t('remove')}</button>
          </div>`)}
          ${f.fieldError('holidays') ? html`<p class="field-error">${f.fieldError('holidays')}</p>` : null}
          <button type="button" class="secondary" onClick=${() => f.set('holidays', [...v.holidays, ''])}>${t('addHoliday')}</button>
        </fieldset>`;
    }} />`;
}

export function SlaPolicy({ user }) {
  const [rc, setRc] = useRegency(user);
  const res = useResource(() => (rc.length === 4 ? api('GET', `/sla-policies/${rc}`) : Promise.resolve(null)), [rc]);
  return html`<section><h1>${t('slaTitle')}</h1><p>${t('slaHelp')}</p>
    <${RegencyPicker} user=${user} value=${rc} onChange=${setRc} />
    <${Resource} res=${res}>${(p, reload) => (p ? html`<p class="muted">${p.updatedAt ? `${t('lastChanged')}: ${formatDateTime(p.updatedAt, rc)}` : t('defaultsInForce')}</p>
      <${PolicyForm} key=${`${rc}-${p.updatedAt}`} rc=${rc} policy=${p} reload=${reload} />` : html`<p>${t('pickRegency')}</p>`)}<//>
  </section>`;
}
