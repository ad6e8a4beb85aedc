// The Tuntas console: a hash router over the screens each role needs. Every call goes to
// /api/v1 with the user's token (see api.js).
import { html, render, Component } from './lib.js';
import { api, all, getToken, setToken, setUnauthenticatedHandler, newKey } from './api.js';
import { t, lang, setLang, errorText } from './i18n.js';
import { formatDate, formatDateTime, formatRupiah, formatNumber, todayIn, zoneName } from './format.js';
import { DraftForm, input, textarea, select, nowLocal, localToIso, num } from './forms.js';
import { GrowthChart, SpendChart } from './charts.js';
import { TpkDay } from './screens/tpk-day.js';
import { FamilyPage } from './screens/family-page.js';

const NAV = {
  case_manager: ['cases', 'imports', 'interventions', 'overview'],
  auditor: ['cases'],
  admin: ['overview', 'cases', 'imports', 'interventions', 'report'],
  viewer: ['overview', 'cases', 'interventions', 'report'],
  opd_liaison: ['tasks', 'overview'],
  csr_partner: ['interventions', 'report'],
  dpo: [],
  tpk: ['tpk'],
};
const home = (user) => `#/${NAV[user.role]?.[0] ?? 'cases'}`;

const route = () => (location.hash.replace(/^#\/?/, '') || '').split('/');

/** Loads `load()` and renders `view(data)`, with loading and error states and a retry. */
class Loader extends Component {
  componentDidMount() { this.load(); }
  componentDidUpdate(prev) { if (prev.k !== this.props.k) this.load(); }
  async load() {
    this.setState({ loading: true, error: null });
    try {
      this.setState({ data: await this.props.load(), loading: false });
    } catch (error) {
      this.setState({ error, loading: false });
    }
  }
  render({ view }, { data, error }) {
    if (error) return html`<div class="error" role="alert"><p>${errorText(error)}</p><button type="button" onClick=${() => this.load()}>${t('retry')}</button></div>`;
    if (data === undefined) return html`<p class="loading" role="status">${t('loading')}</p>`;
    return view(data, () => this.load());
  }
}

const stateBadge = (prefix, s) => html`<span class="badge state-${s}">${t(`${prefix}${s}`)}</span>`;
const overdueBadge = (o) => (o ? html`<span class="badge overdue">${t('overdue')}</span>` : null);

// ---------- login ----------
function Login({ onLogin }) {
  return html`<main id="main" class="narrow">
    <h1>${t('loginTitle')}</h1>
    <p>${t('loginHelp')}</p>
    <${DraftForm} id="login" initial=${() => ({ username: '', password: '' })} submitLabel=${t('login')}
      submit=${async (v) => {
        const r = await api('POST', '/auth/login', { body: { username: v.username.trim(), password: v.password } });
        setToken(r.accessToken);
        onLogin(await api('GET', '/users/me'));
      }}
      render=${(f) => html`${input(f, 'username', t('username'), { autocomplete: 'username', required: true })}
        ${input(f, 'password', t('password'), { type: 'password', autocomplete: 'current-password', required: true })}`} />
  </main>`;
}

// ---------- case manager: queue ----------
function Cases() {
  const overdueOnly = sessionStorage.getItem('tuntas.queue.overdue') === '1';
  return html`<section>
    <h1>${t('queueTitle')}</h1><p>${t('queueHelp')}</p>
    <label class="inline"><input type="checkbox" checked=${overdueOnly} onChange=${(e) => { sessionStorage.setItem('tuntas.queue.overdue', e.currentTarget.checked ? '1' : '0'); render(html`<${App} />`, document.getElementById('app')); }} /> ${t('onlyOverdue')}</label>
    <${Loader} k=${overdueOnly} load=${() => all(`/cases?limit=200${overdueOnly ? '&overdue=true' : ''}`)} view=${(items) => items.length ? html`
      <table class="queue">
        <thead><tr><th scope="col">${t('child')}</th><th scope="col">${t('step')}</th><th scope="col">${t('deadline')}</th><th scope="col">${t('village')}</th><th scope="col">${t('assignee')}</th></tr></thead>
        <tbody>${items.map((c) => html`<tr class=${c.overdue ? 'overdue-row' : ''}>
          <td data-label=${t('child')}><a href=${`#/cases/${c.id}`}>${c.subject?.name ?? c.id.slice(0, 8)}</a></td>
          <td data-label=${t('step')}>${stateBadge('state_', c.state)}</td>
          <td data-label=${t('deadline')}>${formatDateTime(c.stepDueAt, c.regencyCode)} ${overdueBadge(c.overdue)}</td>
          <td data-label=${t('village')}>${c.subject?.villageCode ?? '–'}</td>
          <td data-label=${t('assignee')}>${c.assignee?.displayName ?? '–'}</td>
        </tr>`)}</tbody>
      </table>` : html`<p>${t('empty')}</p>`} />
  </section>`;
}

// ---------- case page ----------
async function loadCase(id, user) {
  const [c, history, tasks, interventions, escalations, causes, opds] = await Promise.all([
    api('GET', `/cases/${id}`),
    all(`/cases/${id}/history`),
    all(`/tasks?caseId=${id}`).catch(() => []),
    all(`/interventions?caseId=${id}`).catch(() => []),
    all(`/escalations?caseId=${id}`).catch(() => []),
    all('/catalogues/causes').catch(() => []),
    all('/opds').catch(() => []),
  ]);
  const growth = await api('GET', `/subjects/${c.subject.id}/growth`).catch(() => null);
  return { c, history, tasks, interventions, escalations, causes, opds, growth, user };
}

function timeline({ c, history, tasks, interventions, escalations }) {
  const rc = c.regencyCode;
  const rows = [
    ...history.map((h) => ({ at: h.at, kind: t('history'), text: `${t(`ev_${h.type}`)}${h.toState ? ` → ${t(`state_${h.toState}`)}` : ''}` })),
    ...tasks.map((k) => ({ at: k.createdAt, kind: t('tasks'), text: html`${k.opd?.code ?? ''}: ${k.action} ${stateBadge('tstate_', k.state)}` })),
    ...interventions.map((i) => ({ at: i.createdAt, kind: t('interventions'), text: html`${i.catalogueCode} ${stateBadge('istate_', i.state)} ${formatRupiah(i.budgetIdr)}` })),
    ...escalations.map((e) => ({ at: e.firedAt, kind: t('escalations'), text: `${t('level')} ${e.level}: ${e.step}` })),
  ].sort((a, b) => (a.at < b.at ? -1 : 1));
  return html`<ol class="timeline">${rows.map((r) => html`<li><time datetime=${r.at}>${formatDateTime(r.at, rc)}</time> <strong>${r.kind}</strong> ${r.text}</li>`)}</ol>`;
}

const SIMPLE_NOTE_EVENTS = ['RESOLVE', 'CONTINUE_INTERVENTION', 'REAUDIT', 'REOPEN'];
const CLOSE_REASONS = ['moved_away', 'deceased', 'aged_out', 'duplicate', 'measurement_error', 'consent_withdrawn', 'transferred'];
const EXPERTS = ['SpA', 'SpOG', 'GIZI', 'PSIKOLOG', 'OTHER'];

function cycleOf(date = new Date()) {
  return `${date.getFullYear()}-S${date.getMonth() < 6 ? 1 : 2}`;
}

function caseEventForm(type, data, reload) {
  const { c, causes, opds } = data;
  const send = (payload) => api('POST', `/cases/${c.id}/events`, { body: { type, ...payload }, headers: { 'If-Match': String(c.version) } });
  const common = { key: `${type}-${c.id}`, id: `case-${c.id}-${type}`, title: t(`ev_${type}`), submitLabel: t(`ev_${type}`), onDone: reload };
  if (type === 'RECORD_AUDIT') {
    const opdOptions = opds.map((o) => [o.code, `${o.code} – ${o.name}`]);
    return html`<${DraftForm} ...${common}
      initial=${() => ({ auditedAt: nowLocal(), cycle: cycleOf(), causes: [], recs: [{ action: '', opdCode: opdOptions[0]?.[0] ?? '', dueInDays: '' }], specialty: 'GIZI', expertName: '' })}
      submit=${(v) => send({
        auditedAt: localToIso(v.auditedAt), cycle: v.cycle, causes: v.causes,
        recommendations: v.recs.map((r) => ({ action: r.action, opdCode: r.opdCode, ...(r.dueInDays ? { dueInDays: Number(r.dueInDays) } : {}) })),
        experts: [{ specialty: v.specialty, ...(v.expertName ? { name: v.expertName } : {}) }],
      })}
      render=${(f) => {
        const v = f.state.values;
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
            <button type="button" class="secondary" onClick=${() => f.set('recs', [...v.recs, { action: '', opdCode: opdOptions[0]?.[0] ?? '', dueInDays: '' }])}>${t('addRecommendation')}</button>
          </fieldset>
          <fieldset><legend>${t('experts')}</legend>
            ${select(f, 'specialty', t('specialty'), EXPERTS.map((s) => [s, s]))}
            ${input(f, 'expertName', t('expertName'))}
          </fieldset>`;
      }} />`;
  }
  if (type === 'START_INTERVENTION') {
    return html`<${DraftForm} ...${common} initial=${() => ({ startedAt: nowLocal(), description: '' })}
      submit=${(v) => send({ startedAt: localToIso(v.startedAt), description: v.description })}
      render=${(f) => html`${input(f, 'startedAt', t('startedAt'), { type: 'datetime-local', step: 1 })}${textarea(f, 'description', t('description'))}`} />`;
  }
  if (type === 'RECORD_REMEASUREMENT') {
    return html`<${DraftForm} ...${common} initial=${() => ({ measuredAt: nowLocal(), heightCm: '', weightKg: '', method: 'recumbent' })}
      submit=${(v) => send({ measuredAt: localToIso(v.measuredAt), heightCm: num(v.heightCm), ...(v.weightKg ? { weightKg: num(v.weightKg) } : {}), method: v.method })}
      render=${(f) => html`${input(f, 'measuredAt', t('measuredAt'), { type: 'datetime-local', step: 1 })}
        ${input(f, 'heightCm', t('heightCm'), { inputmode: 'decimal' })}${input(f, 'weightKg', t('weightKg'), { inputmode: 'decimal' })}
        ${select(f, 'method', t('method'), [['recumbent', t('recumbent')], ['standing', t('standing')]])}`} />`;
  }
  if (type === 'CLOSE') {
    return html`<${DraftForm} ...${common} initial=${() => ({ reason: 'moved_away', note: '' })}
      submit=${(v) => send({ reason: v.reason, note: v.note })}
      render=${(f) => html`${select(f, 'reason', t('reason'), CLOSE_REASONS.map((r) => [r, t(`reason_${r}`)]))}${textarea(f, 'note', t('note'))}`} />`;
  }
  if (SIMPLE_NOTE_EVENTS.includes(type)) {
    return html`<${DraftForm} ...${common} initial=${() => ({ note: '' })} submit=${(v) => send({ note: v.note })}
      render=${(f) => textarea(f, 'note', t('note'))} />`;
  }
  return null;
}

function measurementForm(data, reload) {
  const { c } = data;
  return html`<${DraftForm} id=${`measure-${c.subject.id}`} title=${t('recordMeasurement')} submitLabel=${t('save')} doneText=${t('measurementSaved')} onDone=${reload}
    initial=${() => ({ measuredAt: todayIn(c.regencyCode), heightCm: '', weightKg: '', method: 'recumbent' })}
    submit=${(v) => api('POST', `/subjects/${c.subject.id}/measurements`, { body: { measuredAt: v.measuredAt, heightCm: num(v.heightCm), ...(v.weightKg ? { weightKg: num(v.weightKg) } : {}), method: v.method } })}
    render=${(f) => html`${input(f, 'measuredAt', t('measuredAt'), { type: 'date' })}
      ${input(f, 'heightCm', t('heightCm'), { inputmode: 'decimal' })}${input(f, 'weightKg', t('weightKg'), { inputmode: 'decimal' })}
      ${select(f, 'method', t('method'), [['recumbent', t('recumbent')], ['standing', t('standing')]])}`} />`;
}

/** Buttons for a task's or an intervention's allowed events; those that need words open a small form. */
const NEEDS = {
  COMPLETE: ['note', 'evidence'], DECLINE: ['reason'], CANCEL: ['reason'], REJECT: ['reason'], HOLD: ['reason'], REASSIGN: ['opdCode', 'note'],
};
class EntityEvents extends Component {
  async quick(type) {
    const { kind, item, reload } = this.props;
    this.setState({ busy: type, error: null });
    try {
      await api('POST', `/${kind}/${item.id}/events`, { body: { type }, headers: { 'If-Match': String(item.version) } });
      this.setState({ busy: null });
      reload();
    } catch (error) {
      this.setState({ busy: null, error });
    }
  }
  render({ kind, item, reload }, { open, busy, error }) {
    const events = item.allowedEvents ?? [];
    if (!events.length) return null;
    const send = (type, payload) => api('POST', `/${kind}/${item.id}/events`, { body: { type, ...payload }, headers: { 'If-Match': String(item.version) } });
    return html`<div class="events">
      <div class="buttons">${events.map((type) => html`<button type="button" class=${NEEDS[type] ? 'secondary' : ''} disabled=${busy === type}
        aria-expanded=${NEEDS[type] ? String(open === type) : undefined}
        onClick=${() => (NEEDS[type] ? this.setState({ open: open === type ? null : type }) : this.quick(type))}>${t(`ev_${type}`)}</button>`)}</div>
      ${error ? html`<p class="error" role="alert">${errorText(error)}</p>` : null}
      ${open ? html`<${DraftForm} key=${open} id=${`${kind}-${item.id}-${open}`} title=${t(`ev_${open}`)} submitLabel=${t(`ev_${open}`)} onDone=${() => { this.setState({ open: null }); reload(); }}
        initial=${() => ({ note: '', evidence: '', reason: '', opdCode: '' })}
        submit=${(v) => {
          if (open === 'COMPLETE') return send(open, { note: v.note, evidence: [{ kind: 'note', description: v.evidence || v.note }] });
          if (open === 'REASSIGN') return send(open, { opdCode: v.opdCode, ...(v.note ? { note: v.note } : {}) });
          return send(open, { reason: v.reason });
        }}
        render=${(f) => NEEDS[open].map((n) => (n === 'evidence' ? textarea(f, 'evidence', t('evidenceHelp')) : n === 'opdCode' ? input(f, 'opdCode', t('opd')) : textarea(f, n, t(n))))} />` : null}
    </div>`;
  }
}

function CasePage({ id, user }) {
  return html`<${Loader} k=${id} load=${() => loadCase(id, user)} view=${(data, reload) => {
    const { c, growth, tasks, interventions } = data;
    // Keyed by event, so a form never inherits another's typed values or error after the step moves.
    const forms = c.allowedEvents.map((type) => [type, caseEventForm(type, data, reload)]).filter(([, f]) => f).map(([type, f]) => html`<div key=${`${type}-${c.version}`}>${f}</div>`);
    return html`<section class="case">
      <p><a href="#/cases">← ${t('back')}</a></p>
      <h1>${c.subject?.name} ${stateBadge('state_', c.state)} ${overdueBadge(c.overdue)}</h1>
      <dl class="facts">
        <div><dt>${t('deadline')}</dt><dd>${formatDateTime(c.stepDueAt, c.regencyCode)}</dd></div>
        <div><dt>${t('village')}</dt><dd>${c.subject?.villageCode}</dd></div>
        <div><dt>${t('assignee')}</dt><dd>${c.assignee?.displayName ?? '–'}</dd></div>
        <div><dt>${lang() === 'en' ? 'Born' : 'Lahir'}</dt><dd>${formatDate(c.subject?.birthDate)}</dd></div>
      </dl>
      <div class="grid2">
        <section><h2>${t('growth')}</h2>${growth ? html`<${GrowthChart} items=${growth.items} />` : html`<p>${t('empty')}</p>`}</section>
        <section><h2>${t('timeline')}</h2>${timeline(data)}</section>
      </div>
      <h2>${t('actions')}</h2>
      ${forms.length ? html`<div class="forms">${forms}</div>` : html`<p>${t('noActions')}</p>`}
      ${['case_manager', 'admin'].includes(user.role) && c.state !== 'closed' ? measurementForm(data, reload) : null}
      <h2>${t('tasks')}</h2>
      ${tasks.length ? html`<ul class="cards" id="case-tasks">${tasks.map((k) => html`<li key=${k.id} class=${k.overdue ? 'card overdue-row' : 'card'}>
        <p><strong>${k.opd?.code}</strong> ${k.action} ${stateBadge('tstate_', k.state)} ${overdueBadge(k.overdue)}</p>
        <p>${t('deadline')}: ${formatDateTime(k.stepDueAt, k.regencyCode)}</p>
        <${EntityEvents} kind="tasks" item=${k} reload=${reload} />
      </li>`)}</ul>` : html`<p>${t('empty')}</p>`}
      <h2>${t('interventions')}</h2>
      ${interventions.length ? html`<ul class="cards">${interventions.map((i) => html`<li key=${i.id} class="card">
        <p><a href=${`#/interventions/${i.id}`}>${i.catalogueCode}</a> ${stateBadge('istate_', i.state)} ${formatRupiah(i.spentIdr)} / ${formatRupiah(i.budgetIdr)}</p>
        <${EntityEvents} kind="interventions" item=${i} reload=${reload} />
      </li>`)}</ul>` : html`<p>${t('empty')}</p>`}
    </section>`;
  }} />`;
}

// ---------- OPD liaison inbox ----------
function Inbox() {
  return html`<section><h1>${t('inboxTitle')}</h1><p>${t('inboxHelp')}</p>
    <${Loader} k="tasks" load=${() => all('/tasks?limit=200')} view=${(items, reload) => items.length ? html`<ul class="cards" id="inbox">
      ${items.map((k) => html`<li key=${k.id} class=${k.overdue ? 'card overdue-row' : 'card'} data-task=${k.id}>
        <p><strong>${k.action}</strong></p>
        <p>${stateBadge('tstate_', k.state)} ${overdueBadge(k.overdue)}</p>
        <p>${t('child')}: ${k.subject?.firstName ?? '–'} · ${k.subject?.villageName ?? k.subject?.villageCode ?? ''}</p>
        <p>${t('deadline')}: ${formatDateTime(k.stepDueAt, k.regencyCode)}</p>
        <${EntityEvents} kind="tasks" item=${k} reload=${reload} />
      </li>`)}</ul>` : html`<p>${t('empty')}</p>`} />
  </section>`;
}

// ---------- e-PPGBM import ----------
class Imports extends Component {
  componentWillUnmount() { clearTimeout(this.timer); }
  componentDidMount() { const id = sessionStorage.getItem('tuntas.import'); if (id) this.poll(id); }
  async poll(id) {
    clearTimeout(this.timer);
    try {
      const job = await api('GET', `/imports/${id}`);
      this.setState({ job, error: null });
      if (['queued', 'running'].includes(job.status)) this.timer = setTimeout(() => this.poll(id), 1000);
    } catch (error) {
      this.setState({ error });
    }
  }
  async download(id) {
    try {
      const res = await api('GET', `/imports/${id}/rejections.csv`, { raw: true });
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = `rejections-${id}.csv`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (error) {
      this.setState({ error });
    }
  }
  render({ user }, { job, error }) {
    return html`<section><h1>${t('importsTitle')}</h1>
      <${DraftForm} id="import" submitLabel=${t('upload')} initial=${() => ({ regencyCode: user.regencyCode ?? '' })}
        submit=${async (v) => {
          const file = document.getElementById('import-file').files[0];
          const form = new FormData();
          form.append('regencyCode', v.regencyCode);
          if (file) form.append('file', file);
          const r = await api('POST', '/imports/eppgbm', { form });
          sessionStorage.setItem('tuntas.import', r.id);
          this.poll(r.id);
          return r;
        }}
        render=${(f) => html`${input(f, 'regencyCode', t('regency'), { inputmode: 'numeric' })}
          <div class="field"><label for="import-file">${t('file')}</label><input id="import-file" type="file" accept=".csv,text/csv" /></div>`} />
      ${error ? html`<p class="error" role="alert">${errorText(error)}</p>` : null}
      ${job ? html`<div class="card" role="status" aria-live="polite"><h2>${t('importStatus')}: ${job.status}</h2>
        <dl class="facts">${['rowsRead', 'rowsTaken', 'rowsDuplicate', 'rowsRejected', 'casesOpened', 'casesRemeasured'].map((k) => html`<div><dt>${t(k)}</dt><dd>${formatNumber(job[k], 0)}</dd></div>`)}</dl>
        ${job.rowsRejected ? html`<button type="button" class="secondary" onClick=${() => this.download(job.id)}>${t('downloadRejections')}</button>` : null}
      </div>` : null}
    </section>`;
  }
}

// ---------- CSR partner ----------
function Interventions() {
  return html`<section><h1>${t('interventionsTitle')}</h1>
    <${Loader} k="iv" load=${() => all('/interventions?limit=200')} view=${(items) => items.length ? html`<table class="queue">
      <thead><tr><th scope="col">${t('programme')}</th><th scope="col">${t('beneficiary')}</th><th scope="col">${t('step')}</th><th scope="col">${t('budget')}</th><th scope="col">${t('spent')}</th></tr></thead>
      <tbody>${items.map((i) => html`<tr class=${i.overdue ? 'overdue-row' : ''}>
        <td data-label=${t('programme')}><a href=${`#/interventions/${i.id}`}>${i.catalogueCode}</a></td>
        <td data-label=${t('beneficiary')}>${i.beneficiary ? `${i.beneficiary.name ?? i.beneficiary.code} · ${i.beneficiary.villageName ?? i.beneficiary.villageCode}` : '–'}</td>
        <td data-label=${t('step')}>${stateBadge('istate_', i.state)} ${overdueBadge(i.overdue)}</td>
        <td data-label=${t('budget')}>${formatRupiah(i.budgetIdr)}</td>
        <td data-label=${t('spent')}>${formatRupiah(i.spentIdr)}</td>
      </tr>`)}</tbody></table>` : html`<p>${t('empty')}</p>`} />
  </section>`;
}

function deliveryForm(iv, reload) {
  return html`<${DraftForm} id=${`delivery-${iv.id}`} title=${t('logDelivery')} doneText=${t('deliverySaved')} hint=${t('retryHint')} onDone=${reload}
    initial=${() => ({ key: newKey(), deliveredAt: nowLocal(), quantity: '1', unit: iv.unit, amountIdr: '', note: '', evidenceRef: '' })}
    submit=${(v) => api('POST', `/interventions/${iv.id}/deliveries`, {
      headers: { 'Idempotency-Key': v.key },
      body: { deliveredAt: localToIso(v.deliveredAt), quantity: num(v.quantity), unit: v.unit, ...(v.amountIdr ? { amountIdr: Math.round(num(v.amountIdr)) } : {}), ...(v.note ? { note: v.note } : {}), ...(v.evidenceRef ? { evidenceRef: v.evidenceRef } : {}) },
    })}
    render=${(f) => html`${input(f, 'deliveredAt', t('deliveredAt'), { type: 'datetime-local', step: 1 })}
      ${input(f, 'quantity', t('quantity'), { inputmode: 'decimal' })}${input(f, 'unit', t('unit'))}
      ${input(f, 'amountIdr', t('amountIdr'), { inputmode: 'numeric' })}${input(f, 'evidenceRef', t('evidenceRef'))}${textarea(f, 'note', t('note'))}`} />`;
}

function InterventionPage({ id, user }) {
  return html`<${Loader} k=${id} load=${async () => ({ iv: await api('GET', `/interventions/${id}`), deliveries: await all(`/interventions/${id}/deliveries`) })}
    view=${({ iv, deliveries }, reload) => html`<section>
      <p><a href="#/interventions">← ${t('back')}</a></p>
      <h1>${iv.catalogueCode} ${stateBadge('istate_', iv.state)} ${overdueBadge(iv.overdue)}</h1>
      <dl class="facts">
        <div><dt>${t('beneficiary')}</dt><dd>${iv.beneficiary ? (iv.beneficiary.name ?? iv.beneficiary.code) : '–'}</dd></div>
        <div><dt>${t('village')}</dt><dd>${iv.beneficiary?.villageName ?? iv.beneficiary?.villageCode ?? '–'}</dd></div>
        <div><dt>${t('budget')}</dt><dd>${formatRupiah(iv.budgetIdr)}</dd></div>
        <div><dt>${t('spent')}</dt><dd>${formatRupiah(iv.spentIdr)}</dd></div>
        <div><dt>${t('deadline')}</dt><dd>${formatDateTime(iv.stepDueAt, iv.regencyCode)}</dd></div>
        <div><dt>${t('outcome')}</dt><dd>${t(`band_${iv.outcomeBand}`)}</dd></div>
      </dl>
      <${EntityEvents} kind="interventions" item=${iv} reload=${reload} />
      ${['approved', 'active'].includes(iv.state) && ['csr_partner', 'case_manager'].includes(user.role) ? deliveryForm(iv, reload) : null}
      <h2>${t('deliveries')} (<span id="delivery-count">${deliveries.length}</span>)</h2>
      ${deliveries.length ? html`<ul class="cards" id="deliveries">${deliveries.map((d) => html`<li class="card">
        ${formatDateTime(d.deliveredAt, iv.regencyCode)} · ${formatNumber(d.quantity)} ${d.unit} · ${formatRupiah(d.amountIdr)} ${d.onTime ? html`<span class="badge">${t('onTime')}</span>` : overdueBadge(true)}
      </li>`)}</ul>` : html`<p>${t('empty')}</p>`}
    </section>`} />`;
}

function Report({ user }) {
  return html`<section><h1>${t('reportTitle')}</h1>
    <${Loader} k="report" load=${async () => {
      const sponsorId = user.sponsorId ?? (await all('/sponsors'))[0]?.id;
      return sponsorId ? api('GET', `/sponsors/${sponsorId}/report`) : null;
    }} view=${(r) => (r ? html`<h2>${r.sponsor.name}</h2>
      <dl class="facts">
        <div><dt>${t('interventions')}</dt><dd>${r.totals.interventions}</dd></div>
        <div><dt>${t('deliveries')}</dt><dd>${r.totals.deliveries}</dd></div>
        <div><dt>${t('budget')}</dt><dd>${formatRupiah(r.totals.budgetIdr)}</dd></div>
        <div><dt>${t('spent')}</dt><dd>${formatRupiah(r.totals.spentIdr)}</dd></div>
        <div><dt>${t('onTimeRate')}</dt><dd>${r.totals.onTimeDeliveryRate === null ? '–' : `${formatNumber(r.totals.onTimeDeliveryRate * 100, 0)}%`}</dd></div>
      </dl>
      <${SpendChart} rows=${r.byType} />
      <h2>${t('outcome')}</h2>
      <table><tbody>${Object.entries(r.outcomes ?? {}).map(([band, n]) => html`<tr><th scope="row">${band}</th><td>${n}</td></tr>`)}</tbody></table>` : html`<p>${t('empty')}</p>`)} />
  </section>`;
}

// ---------- admin / viewer ----------
function overdueTable(r) {
  return r.groups.length ? html`<table class="queue"><thead><tr><th scope="col">${r.groupBy === 'opd' ? t('opd') : t('village')}</th><th scope="col">${t('count')}</th><th scope="col">${t('oldest')}</th><th scope="col">${t('daysOverdue')}</th><th scope="col">${t('level')}</th></tr></thead>
    <tbody>${r.groups.map((g) => html`<tr><td data-label=${t('opd')}>${g.label ?? g.key ?? '–'}</td><td data-label=${t('count')}>${g.count}</td><td data-label=${t('oldest')}>${formatDate(g.oldestDueAt)}</td><td data-label=${t('daysOverdue')}>${g.oldestOverdueDays}</td><td data-label=${t('level')}>${g.highestEscalationLevel}</td></tr>`)}</tbody></table>` : html`<p>${t('empty')}</p>`;
}

function Overview({ user }) {
  const from = new Date(Date.now() - 7 * 86_400_000).toISOString();
  const rc = user.regencyCode;
  return html`<section><h1>${t('overviewTitle')}</h1>
    <${Loader} k="ov" load=${() => Promise.all([api('GET', '/reports/overdue?groupBy=opd'), api('GET', '/reports/overdue?groupBy=village'), all(`/escalations?from=${encodeURIComponent(from)}`)])}
      view=${([byOpd, byVillage, esc]) => html`<div class="grid2">
        <section><h2>${t('byOpd')}</h2>${overdueTable(byOpd)}</section>
        <section><h2>${t('byVillage')}</h2>${overdueTable(byVillage)}</section>
      </div>
      <h2>${t('escalationsWeek')}</h2>
      ${esc.length ? html`<table class="queue"><thead><tr><th scope="col">${t('firedAt')}</th><th scope="col">${t('level')}</th><th scope="col">${t('step')}</th><th scope="col">${t('reached')}</th></tr></thead>
        <tbody>${esc.map((e) => html`<tr><td data-label=${t('firedAt')}>${formatDateTime(e.firedAt, e.regencyCode ?? rc)}</td><td data-label=${t('level')}>${e.level}</td>
          <td data-label=${t('step')}>${e.caseId ? html`<a href=${`#/cases/${e.caseId}`}>${e.aggregateType} · ${e.step}</a>` : `${e.aggregateType} · ${e.step}`}</td><td data-label=${t('reached')}>${e.recipients.length}</td></tr>`)}</tbody></table>` : html`<p>${t('empty')}</p>`}`} />
  </section>`;
}

// ---------- shell ----------
class App extends Component {
  constructor() {
    super();
    this.state = { user: null, ready: false, r: route() };
    this.onHash = () => this.setState({ r: route() });
  }
  async componentDidMount() {
    window.addEventListener('hashchange', this.onHash);
    setUnauthenticatedHandler(() => this.logout());
    if (getToken()) {
      try {
        this.setState({ user: await api('GET', '/users/me') });
      } catch {
        setToken(null);
      }
    }
    this.setState({ ready: true });
  }
  componentWillUnmount() { window.removeEventListener('hashchange', this.onHash); }
  logout() {
    setToken(null);
    this.setState({ user: null });
  }
  switchLang() {
    setLang(lang() === 'id' ? 'en' : 'id');
    this.forceUpdate();
  }
  page() {
    const { user, r } = this.state;
    const [screen, id] = r;
    if (!screen) {
      location.replace(home(user));
      return null;
    }
    if (screen === 'cases' && id) return html`<${CasePage} id=${id} user=${user} />`;
    if (screen === 'cases') return html`<${Cases} user=${user} />`;
    if (screen === 'tasks') return html`<${Inbox} user=${user} />`;
    if (screen === 'imports') return html`<${Imports} user=${user} />`;
    if (screen === 'interventions' && id) return html`<${InterventionPage} id=${id} user=${user} />`;
    if (screen === 'interventions') return html`<${Interventions} user=${user} />`;
    if (screen === 'report') return html`<${Report} user=${user} />`;
    if (screen === 'overview') return html`<${Overview} user=${user} />`;
    if (screen === 'tpk') return html`<${TpkDay} user=${user} />`;
    if (screen === 'families' && id) return html`<${FamilyPage} id=${id} user=${user} />`;
    return html`<p>${t('empty')}</p>`;
  }
  render(_, { user, ready, r }) {
    if (!ready) return html`<p class="loading">${t('loading')}</p>`;
    const langButton = html`<button type="button" class="link lang" onClick=${() => this.switchLang()} lang=${lang() === 'id' ? 'en' : 'id'}>${t('switchTo')}</button>`;
    if (!user) return html`<header class="top"><span class="brand">${t('appName')}</span><span class="spacer"></span>${langButton}</header><${Login} onLogin=${(u) => { this.setState({ user: u }); location.hash = home(u); }} />`;
    return html`<a class="skip" href="#main" onClick=${(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>Skip</a>
      <header class="top">
        <span class="brand">${t('appName')}</span>
        <nav aria-label="Menu">${(NAV[user.role] ?? []).map((n) => html`<a href=${`#/${n}`} aria-current=${r[0] === n ? 'page' : undefined}>${t(`nav_${n}`)}</a>`)}</nav>
        <span class="spacer"></span>
        <span class="who">${user.displayName}${user.regencyCode ? ` · ${zoneName(user.regencyCode)}` : ''}</span>
        ${langButton}
        <button type="button" class="link" onClick=${() => this.logout()}>${t('logout')}</button>
      </header>
      <main id="main" tabindex="-1">${this.page()}</main>`;
  }
}

render(html`<${App} />`, document.getElementById('app'));
