import { html } from '../lib.js';
import { api, all } from '../api.js';
import { t } from '../i18n.js';
import { formatDate, formatDateTime } from '../format.js';
import { Resource, useResource } from '../components/resource.js';

function OverdueTable({ r }) {
  const head = r.groupBy === 'opd' ? t('opd') : t('village');
  return r.groups.length ? html`<table class="queue"><thead><tr><th scope="col">${head}</th><th scope="col">${t('count')}</th><th scope="col">${t('oldest')}</th><th scope="col">${t('daysOverdue')}</th><th scope="col">${t('level')}</th></tr></thead>
    <tbody>${r.groups.map((g) => html`<tr><td data-label=${head}>${g.label ?? g.key ?? '–'}</td><td data-label=${t('count')}>${g.count}</td><td data-label=${t('oldest')}>${formatDate(g.oldestDueAt)}</td><td data-label=${t('daysOverdue')}>${g.oldestOverdueDays}</td><td data-label=${t('level')}>${g.highestEscalationLevel}</td></tr>`)}</tbody></table>` : html`<p>${t('empty')}</p>`;
}

export function Overview({ user }) {
  const res = useResource(() => {
    const from = new Date(Date.now() - 7 * 86_400_000).toISOString();
    return Promise.all([api('GET', '/reports/overdue?groupBy=opd'), api('GET', '/reports/overdue?groupBy=village'), all(`/escalations?from=${encodeURIComponent(from)}`)]);
  }, []);
  const rc = user.regencyCode;
  return html`<section><h1>${t('overviewTitle')}</h1>
    <${Resource} res=${res}>${([byOpd, byVillage, esc]) => html`<div class="grid2">
        <section><h2>${t('byOpd')}</h2><${OverdueTable} r=${byOpd} /></section>
        <section><h2>${t('byVillage')}</h2><${OverdueTable} r=${byVillage} /></section>
      </div>
      <h2>${t('escalationsWeek')}</h2>
      ${esc.length ? html`<table class="queue"><thead><tr><th scope="col">${t('firedAt')}</th><th scope="col">${t('level')}</th><th scope="col">${t('step')}</th><th scope="col">${t('reached')}</th></tr></thead>
        <tbody>${esc.map((e) => {
          const what = `${t(`agg_${e.aggregateType}`)} · ${t(`step_${e.step}`)}`;
          return html`<tr><td data-label=${t('firedAt')}>${formatDateTime(e.firedAt, e.regencyCode ?? rc)}</td><td data-label=${t('level')}>${e.level}</td>
          <td data-label=${t('step')}>${e.caseId ? html`<a href=${`#/cases/${e.caseId}`}>${what}</a>` : e.aggregateType === 'aksi_document' ? html`<a href=${`#/aksi/documents/${e.aggregateId}`}>${what}</a>` : what}</td><td data-label=${t('reached')}>${e.recipients.length}</td></tr>`;
        })}</tbody></table>` : html`<p>${t('empty')}</p>`}`}<//>
  </section>`;
}
