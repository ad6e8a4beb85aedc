import { html } from '../lib.js';
import { api, all } from '../api.js';
import { dict, t, lang } from '../i18n.js';
import { formatDate, formatDateTime, formatRupiah } from '../format.js';
import { Resource, useResource } from '../components/resource.js';
import { OverdueBadge, StateBadge } from '../components/badges.js';
import { GrowthChart } from '../components/charts.js';
import { CaseEventForm, EntityEvents, MeasurementForm } from '../components/events.js';
import { place } from './cases.js';

export const programmeName = (i) => (lang() === 'en' ? (i.catalogueNameEn ?? i.catalogueName) : i.catalogueName) ?? i.catalogueCode;

async function loadCase(id) {
  const [c, history, tasks, interventions, escalations, causes, opds] = await Promise.all([
    api('GET', `/cases/${id}`),
    all(`/cases/${id}/history`),
    all(`/tasks?caseId=${id}`).catch(() => []),
    all(`/interventions?caseId=${id}`).catch(() => []),
    all(`/escalations?caseId=${id}`).catch(() => []),
    all('/catalogues/causes').catch(() => []),
    all('/opds').catch(() => []),
  ]);
  const [growth, across] = c.subject
    ? await Promise.all([api('GET', `/subjects/${c.subject.id}/growth`).catch(() => null), api('GET', `/subjects/${c.subject.id}/timeline`).catch(() => null)])
    : [null, null];
  return { c, history, tasks, interventions, escalations, causes, opds, growth, across };
}

function Timeline({ c, history, tasks, interventions, escalations }) {
  const rc = c.regencyCode;
  const rows = [
    ...history.map((h) => ({ at: h.at, kind: t('history'), text: `${t(`ev_${h.type}`)}${h.toState ? ` → ${t(`state_${h.toState}`)}` : ''}` })),
    ...tasks.map((k) => ({ at: k.createdAt, kind: t('tasks'), text: html`${k.opd?.name ?? ''}: ${k.action} <${StateBadge} kind="task" value=${k.state} />` })),
    ...interventions.map((i) => ({ at: i.createdAt, kind: t('interventions'), text: html`${programmeName(i)} <${StateBadge} kind="intervention" value=${i.state} /> ${formatRupiah(i.budgetIdr)}` })),
    ...escalations.map((e) => ({ at: e.firedAt, kind: t('escalations'), text: `${t('level')} ${e.level}: ${t(`agg_${e.aggregateType}`)} · ${t(`step_${e.step}`)}` })),
  ].sort((a, b) => (a.at < b.at ? -1 : 1));
  return html`<ol class="timeline">${rows.map((r) => html`<li><time datetime=${r.at}>${formatDateTime(r.at, rc)}</time> <strong>${r.kind}</strong> ${r.text}</li>`)}</ol>`;
}

/** What an item of the child's cross-agency timeline says, in words where the console has them. */
function acrossText(i) {
  const known = (key, fallback) => (dict[lang()][key] !== undefined ? t(key) : fallback);
  const d = i.details ?? {};
  switch (i.kind) {
    case 'case':
    case 'task':
      return `${known(`ev_${i.event}`, i.event)}${d.action ? `: ${d.action}` : ''}${d.referral ? ` (${d.referral.flag})` : ''}`;
    case 'measurement':
      return d.haz === undefined || d.haz === null ? '' : `HAZ ${Number(d.haz).toFixed(2)}`;
    case 'intervention':
    case 'delivery':
      return [d.catalogueName ?? d.catalogueCode, d.quantity !== undefined ? `${d.quantity} ${d.unit ?? ''}` : null].filter(Boolean).join(' · ');
    case 'visit':
      return (d.actions ?? []).join(', ');
    default:
      return '';
  }
}

/** The child across agencies (GET /subjects/:id/timeline): each item with its agency. */
function AcrossAgencies({ across, rc }) {
  if (!across?.items?.length) return html`<p>${t('empty')}</p>`;
  return html`<ol class="timeline" id="across-agencies">${across.items.map((i) => html`<li key=${`${i.kind}-${i.refId}-${i.at}-${i.event}`}>
    <time datetime=${i.at}>${formatDateTime(i.at, rc)}</time> <strong>${t(`tl_${i.kind}`)}</strong>
    <span class="agency">${t(`agency_${i.agency.type}`)}${i.agency.name ? `: ${i.agency.name}` : ''}</span> ${acrossText(i)}
  </li>`)}</ol>`;
}

export function CasePage({ id, user }) {
  const res = useResource(() => loadCase(id), [id]);
  return html`<${Resource} res=${res}>${(data, reload) => {
    const { c, growth, tasks, interventions, causes, opds } = data;
    // Keyed by event and version, so a form never inherits another step's typed values or error.
    const forms = c.allowedEvents.map((type) => html`<${CaseEventForm} key=${`${type}-${c.version}`} type=${type} c=${c} causes=${causes} opds=${opds} reload=${reload} />`).filter(Boolean);
    return html`<section>
      <p><a href="#/cases">← ${t('back')}</a></p>
      <h1>${c.subject?.name ?? t('restrictedSubject')} <${StateBadge} kind="case" value=${c.state} /> <${OverdueBadge} overdue=${c.overdue} /></h1>
      <dl class="facts">
        <div><dt>${t('deadline')}</dt><dd>${formatDateTime(c.stepDueAt, c.regencyCode)}</dd></div>
        <div><dt>${t('village')}</dt><dd>${place(c.subject)}</dd></div>
        <div><dt>${t('assignee')}</dt><dd>${c.assignee?.displayName || '–'}</dd></div>
        <div><dt>${t('birthDate')}</dt><dd>${formatDate(c.subject?.birthDate)}</dd></div>
      </dl>
      <div class="grid2">
        <section><h2>${t('growth')}</h2>${growth ? html`<${GrowthChart} items=${growth.items} />` : html`<p>${t('empty')}</p>`}</section>
        <section><h2>${t('timeline')}</h2><${Timeline} ...${data} /></section>
      </div>
      <section><h2>${t('acrossAgencies')}</h2><p class="help">${t('acrossAgenciesHelp')}</p><${AcrossAgencies} across=${data.across} rc=${c.regencyCode} /></section>
      <h2>${t('actions')}</h2>
      ${forms.length ? html`<div class="forms">${forms}</div>` : html`<p>${t('noActions')}</p>`}
      ${['case_manager', 'admin'].includes(user.role) && c.state !== 'closed' && c.subject ? html`<${MeasurementForm} c=${c} reload=${reload} />` : null}
      <h2>${t('tasks')}</h2>
      ${tasks.length ? html`<ul class="cards" id="case-tasks">${tasks.map((k) => html`<li key=${k.id} class=${k.overdue ? 'card overdue-row' : 'card'}>
        <p><strong>${k.opd?.name ?? ''}</strong> ${k.action} <${StateBadge} kind="task" value=${k.state} /> <${OverdueBadge} overdue=${k.overdue} /></p>
        ${k.step ? html`<p>${t(`due_${k.step}`)}: ${formatDateTime(k.stepDueAt, k.regencyCode)}</p>` : null}
        <${EntityEvents} kind="tasks" item=${k} reload=${reload} opds=${opds} />
      </li>`)}</ul>` : html`<p>${t('empty')}</p>`}
      <h2>${t('interventions')}</h2>
      ${interventions.length ? html`<ul class="cards">${interventions.map((i) => html`<li key=${i.id} class="card">
        <p><a href=${`#/interventions/${i.id}`}>${programmeName(i)}</a> <${StateBadge} kind="intervention" value=${i.state} /> ${formatRupiah(i.spentIdr)} / ${formatRupiah(i.budgetIdr)}</p>
        <${EntityEvents} kind="interventions" item=${i} reload=${reload} />
      </li>`)}</ul>` : html`<p>${t('empty')}</p>`}
    </section>`;
  }}<//>`;
}
