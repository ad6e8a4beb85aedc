// The 8 Aksi Konvergensi readiness board (issue 19, part 5): the year's countdown to the upload
// deadline, one card per action (its documents by state, ready or not, what is overdue and whose),
// the Master Ansit completeness and the score. The TPPS secretariat (case manager, admin) opens
// documents from an action's card and enters the panel's scores. Province users pick a regency and
// see the counts only: documents are regency data.
import { html, useState } from '../lib.js';
import { api } from '../api.js';
import { t, errorText } from '../i18n.js';
import { formatDate, formatDateTime, formatNumber, todayIn } from '../format.js';
import { Resource, useResource } from '../components/resource.js';
import { DraftForm, input, select, textarea, num } from '../components/forms.js';
import { aggregatesOnly, RegencyPicker, useRegency } from '../components/regency.js';
import { downloadFile } from '../components/download.js';
import { OverdueBadge } from '../components/badges.js';

export const AKSI_ACTIONS = [1, 2, 3, 4, 5, 6, 7, 8];
export const DOCUMENT_TYPES = ['situation_analysis', 'activity_plan', 'rembuk_minutes', 'perbup', 'kpm_decree', 'publication', 'review_report', 'other'];
export const DOCUMENT_STATES = ['draft', 'ready', 'uploaded', 'revision_requested', 'accepted'];
const COMPONENTS = ['documents', 'presentation', 'field'];
/** The type a new document of each action usually is (action 6, data management, has none of its own). */
const TYPE_OF_ACTION = { 1: 'situation_analysis', 2: 'activity_plan', 3: 'rembuk_minutes', 4: 'perbup', 5: 'kpm_decree', 6: 'other', 7: 'publication', 8: 'review_report' };
const LEAD_OPD = 'BAPPEDA';
const YEAR_KEY = 'tuntas.aksi.year';

export const actionName = (n) => `${t('aksiN').replace('{n}', n)} · ${t(`aksi_${n}`)}`;
export const DocState = ({ value }) => html`<span class=${`badge astate-${value}`}>${t(`astate_${value}`)}</span>`;
export const canRunAksi = (user) => ['admin', 'case_manager'].includes(user.role);
const pct = (ratio) => (ratio === null || ratio === undefined ? '–' : `${formatNumber(ratio * 100, 1)}%`);
const say = (key, n) => t(key).replace('{n}', formatNumber(n, 0));

/** The year shown: the one picked in this tab, else the current year in the regency's zone. */
export function useAksiYear(regencyCode) {
  const [year, setYear] = useState(() => Number(sessionStorage.getItem(YEAR_KEY)) || Number(todayIn(regencyCode || '3171').slice(0, 4)));
  const set = (y) => {
    sessionStorage.setItem(YEAR_KEY, String(y));
    setYear(y);
  };
  return [year, set];
}

export function YearPicker({ year, onChange, regencyCode }) {
  const now = Number(todayIn(regencyCode || '3171').slice(0, 4));
  const years = [];
  for (let y = now + 1; y >= Math.max(2018, now - 5); y--) years.push(y);
  if (!years.includes(year)) years.push(year);
  return html`<div class="field year"><label for="pick-year">${t('year')}</label>
    <select id="pick-year" onChange=${(e) => onChange(Number(e.currentTarget.value))}>${years.map((y) => html`<option value=${y} selected=${y === year}>${y}</option>`)}</select></div>`;
}

/** Days to the upload deadline in words: left, today, or overdue. */
function countdownText(days) {
  if (days > 1) return say('daysLeft', days);
  if (days === 1) return t('daysLeft1');
  if (days === 0) return t('deadlineToday');
  return days === -1 ? t('daysPast1') : say('daysPast', -days);
}

function Countdown({ r }) {
  const c = r.cycle;
  if (!c?.source) return html`<section class="card countdown" id="aksi-countdown"><p class="warn">${t('aksiNoCycle')}</p></section>`;
  const days = r.daysToDeadline;
  return html`<section class="card countdown" id="aksi-countdown" aria-labelledby="aksi-countdown-h">
    <h2 id="aksi-countdown-h" class=${days !== null && days < 0 ? 'late' : days !== null && days <= 7 ? 'soon' : ''}>${days === null ? t('uploadDeadline') : countdownText(days)}</h2>
    <dl class="facts">
      <div><dt>${t('uploadDeadline')}</dt><dd>${formatDate(c.uploadDeadline)}</dd></div>
      <div><dt>${t('verificationDate')}</dt><dd>${formatDate(c.verificationDate)}</dd></div>
      <div><dt>${t('assessmentDate')}</dt><dd>${formatDate(c.assessmentDate)}</dd></div>
    </dl>
    <p class="help">${c.source === 'province' ? t('cycleOfProvince') : t('cycleOfRegency')}</p>
  </section>`;
}

function NewDocumentForm({ action, year, rc, user, opds }) {
  const lead = opds.find((o) => o.code === LEAD_OPD);
  return html`<${DraftForm} id=${`aksi-new-${rc}-${year}-${action}`} title=${t('newDocument')} submitLabel=${t('create')}
    defaults=${() => ({ title: '', type: TYPE_OF_ACTION[action], ownerOpdId: lead?.id ?? '' })}
    submit=${(v) => api('POST', `/aksi/${year}/documents`, {
      body: { action, type: v.type, title: v.title.trim(), ...(v.ownerOpdId ? { ownerOpdId: v.ownerOpdId } : {}), ...(user.regencyCode ? {} : { regencyCode: rc }) },
    })}
    onDone=${(d) => { location.hash = `#/aksi/documents/${d.id}`; }}
    render=${(f) => html`${input(f, 'title', t('docTitle'), { autocomplete: 'off' })}
      ${select(f, 'type', t('docType'), DOCUMENT_TYPES.map((x) => [x, t(`doctype_${x}`)]))}
      ${select(f, 'ownerOpdId', t('ownerOpd'), opds.map((o) => [o.id, o.name]), { placeholder: lead ? undefined : t('choose'), help: t('ownerOpdHelp') })}`} />`;
}

function ActionCard({ a, docs, year, rc, user, opds }) {
  const [adding, setAdding] = useState(false);
  const counts = a.documents;
  const mine = (docs ?? []).filter((d) => d.action === a.action);
  return html`<li class=${`card aksi-action ${a.ready ? 'is-ready' : 'not-ready'}`} data-action=${a.action}>
    <h3>${actionName(a.action)}</h3>
    <p class="badges">
      <span class=${`badge ${a.scored ? 'scored' : 'unscored'}`}>${a.scored ? t('scored') : t('notScored')}</span>
      <span class=${`badge ${a.ready ? 'ready' : 'unready'}`}>${a.ready ? t('aksiReady') : t('aksiNotReady')}</span>
    </p>
    ${counts.total
      ? html`<dl class="facts states"><div><dt>${t('documents')}</dt><dd>${counts.total}</dd></div>
          ${DOCUMENT_STATES.filter((s) => counts[s]).map((s) => html`<div><dt>${t(`astate_${s}`)}</dt><dd>${counts[s]}</dd></div>`)}</dl>`
      : html`<p class="muted">${t('aksiNoDocuments')}</p>`}
    ${mine.length ? html`<ul class="doc-links">${mine.map((d) => html`<li key=${d.id}><a href=${`#/aksi/documents/${d.id}`}>${d.title}</a> <${DocState} value=${d.state} /></li>`)}</ul>` : null}
    ${a.overdue?.length ? html`<div class="overdue-docs"><p><strong>${t('overdueDocuments')}</strong></p><ul>${a.overdue.map((o) => html`<li key=${o.id}>
      ${docs ? html`<a href=${`#/aksi/documents/${o.id}`}>${o.title}</a>` : o.title} <${OverdueBadge} overdue=${true} />
      <span class="muted">${o.ownerOpd?.name ?? ''} · ${t('deadline')} ${formatDateTime(o.dueAt, rc)}</span></li>`)}</ul></div>` : null}
    ${a.indicators ? html`<p>${t('ansitCompleteness')}: <strong>${pct(a.indicators.ratio)}</strong> (${formatNumber(a.indicators.indicatorsDone, 0)}/${formatNumber(a.indicators.indicators, 0)} ${t('indicatorsDone').toLowerCase()})</p>` : null}
    ${canRunAksi(user) && docs ? html`<button type="button" class="secondary" aria-expanded=${String(adding)} onClick=${() => setAdding(!adding)}>${t('newDocument')}</button>
      ${adding ? html`<${NewDocumentForm} action=${a.action} year=${year} rc=${rc} user=${user} opds=${opds} />` : null}` : null}
  </li>`;
}

/** Master Ansit completeness in four figures: on the board and on the village grid. */
export function CompletenessFacts({ c }) {
  return html`<dl class="facts">
      <div><dt>${t('ratio')}</dt><dd>${pct(c.ratio)}</dd></div>
      <div><dt>${t('cellsFilled')}</dt><dd>${formatNumber(c.filled, 0)} / ${formatNumber(c.cells, 0)}</dd></div>
      <div><dt>${t('indicatorsDone')}</dt><dd>${formatNumber(c.indicatorsDone, 0)} / ${formatNumber(c.indicators, 0)}</dd></div>
      <div><dt>${t('villages')}</dt><dd>${formatNumber(c.villages, 0)}</dd></div>
    </dl>`;
}

function Completeness({ c }) {
  return html`<section class="card" id="aksi-ansit" aria-labelledby="aksi-ansit-h"><h2 id="aksi-ansit-h">${t('ansitCompleteness')}</h2>
    <${CompletenessFacts} c=${c} />
  </section>`;
}

function ScoreForm({ year, rc, user, onSaved }) {
  return html`<${DraftForm} id=${`aksi-scores-${rc}-${year}`} title=${t('enterScores')} submitLabel=${t('save')} doneText=${t('scoresSaved')}
    defaults=${() => ({ 'scores.documents': '', 'scores.presentation': '', 'scores.field': '', panelist: '', note: '' })}
    submit=${(v) => {
      const scores = {};
      for (const k of COMPONENTS) if (String(v[`scores.${k}`]).trim() !== '') scores[k] = num(v[`scores.${k}`]);
      return api('PUT', `/aksi/${year}/scores`, {
        body: { ...(user.regencyCode ? {} : { regionCode: rc }), ...(v.panelist.trim() ? { panelist: v.panelist.trim() } : {}), scores, ...(v.note.trim() ? { note: v.note.trim() } : {}) },
      });
    }}
    onDone=${onSaved}
    render=${(f) => html`<p class="help">${t('scoreHelp')}</p>
      <div class="row3">${COMPONENTS.map((k) => input(f, `scores.${k}`, t(`comp_${k}`), { inputmode: 'decimal', autocomplete: 'off' }))}</div>
      ${input(f, 'panelist', t('panelist'), { help: t('panelistHelp'), autocomplete: 'off' })}
      ${textarea(f, 'note', t('optionalNote'))}`} />`;
}

function Score({ s, year, rc, user, onSaved }) {
  return html`<section class="card" id="aksi-score" aria-labelledby="aksi-score-h"><h2 id="aksi-score-h">${t('scoreTitle')}</h2>
    <table class="queue"><thead><tr><th scope="col">${t('component')}</th><th scope="col">${t('weight')}</th><th scope="col">${t('points')}</th><th scope="col">${t('panelists')}</th></tr></thead>
      <tbody>${s.components.map((c) => html`<tr data-component=${c.component}><td data-label=${t('component')}>${t(`comp_${c.component}`)}</td><td data-label=${t('weight')}>${c.weight}%</td>
        <td data-label=${t('points')}>${c.points === null ? '–' : formatNumber(c.points, 2)}</td>
        <td data-label=${t('panelists')}>${c.panelists?.length ? c.panelists.map((p) => `${p.panelist}: ${formatNumber(p.points, 2)}`).join(' · ') : '–'}</td></tr>`)}</tbody></table>
    <p class="total" id="aksi-total">${t('weightedTotal')}: <strong>${s.total === null || !s.complete ? t('scoreIncomplete') : formatNumber(s.total, 2)}</strong></p>
    ${canRunAksi(user) ? html`<${ScoreForm} year=${year} rc=${rc} user=${user} onSaved=${onSaved} />` : null}
  </section>`;
}

async function loadBoard(user, year, rc) {
  const bound = Boolean(user.regencyCode);
  const wide = aggregatesOnly(user);
  const [r, docs, opds] = await Promise.all([
    api('GET', `/aksi/${year}${bound ? '' : `?regionCode=${rc}`}`),
    // Documents are regency data: province users see the counts only.
    wide ? Promise.resolve(null) : api('GET', `/aksi/${year}/documents${bound ? '' : `?regencyCode=${rc}`}`).then((p) => p.items, () => null),
    canRunAksi(user) ? api('GET', `/opds?limit=200${bound ? '' : `&regencyCode=${rc}`}`).then((p) => p.items, () => []) : Promise.resolve([]),
  ]);
  return { r, docs, opds };
}

/** The year's Master Ansit sheet (GET /ansit/:year/export.xlsx, regency users): behind the token, so fetched and saved. */
export function AnsitExport({ user, rc, year }) {
  const [said, setSaid] = useState(null);
  const save = async () => {
    setSaid(null);
    try {
      await downloadFile(`/ansit/${year}/export.xlsx${user.regencyCode ? '' : `?regencyCode=${rc}`}`, `master-ansit-${year}.xlsx`);
      setSaid({ ok: t('downloaded') });
    } catch (e) {
      setSaid({ error: e });
    }
  };
  return html`<div class="buttons export">
    <button type="button" class="secondary" onClick=${save}>${t('downloadAnsit')}</button>
    ${said?.ok ? html`<p class="ok" role="status">${said.ok}</p>` : null}
    ${said?.error ? html`<p class="error" role="alert">${errorText(said.error)}</p>` : null}
  </div>`;
}

export function AksiBoard({ user }) {
  const [picked, setPicked] = useRegency(user);
  const rc = user.regencyCode ?? (picked || user.provinceCode || '');
  const [year, setYear] = useAksiYear(rc);
  const res = useResource(() => (rc.length === 4 ? loadBoard(user, year, rc) : Promise.resolve(null)), [rc, year]);
  return html`<section id="aksi"><h1>${t('aksiTitle')}</h1><p class="help">${t('aksiHelp')}</p>
    <${RegencyPicker} user=${user} value=${rc} onChange=${setPicked} />
    <div class="picker"><${YearPicker} year=${year} onChange=${setYear} regencyCode=${rc} /></div>
    ${rc.length !== 4 ? html`<p>${t('pickRegency')}</p>` : html`${aggregatesOnly(user) ? null : html`<${AnsitExport} user=${user} rc=${rc} year=${year} />`}
      <${Resource} res=${res}>${(data, reload) => {
        if (!data) return null;
        const { r, docs, opds } = data;
        return html`<${Countdown} r=${r} />
          <h2>${t('aksiActions')}</h2>
          <ul class="cards aksi-actions" id="aksi-actions">${r.actions.map((a) => html`<${ActionCard} key=${a.action} a=${a} docs=${docs} year=${year} rc=${rc} user=${user} opds=${opds} />`)}</ul>
          <section class="card" id="aksi-overdue-owners" aria-labelledby="aksi-owners-h"><h2 id="aksi-owners-h">${t('overdueOwners')}</h2>
            ${r.overdueOwners?.length
              ? html`<ul>${r.overdueOwners.map((o) => html`<li key=${o.opdId}>${o.name}: <strong>${formatNumber(o.documents, 0)}</strong> ${t('documents').toLowerCase()}</li>`)}</ul>`
              : html`<p>${t('noOverdue')}</p>`}
          </section>
          <${Completeness} c=${r.indicators} />
          <${Score} s=${r.score} year=${year} rc=${rc} user=${user} onSaved=${reload} />`;
      }}<//>`}
  </section>`;
}
