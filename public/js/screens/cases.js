import { html, useState } from '../lib.js';
import { all } from '../api.js';
import { t } from '../i18n.js';
import { formatDateTime } from '../format.js';
import { Resource, useResource } from '../components/resource.js';
import { OverdueBadge, StateBadge } from '../components/badges.js';

export const place = (s) => (s ? [s.villageName ?? s.villageCode, s.districtName].filter(Boolean).join(', ') : '–');

/** The case manager's work queue: open cases, most urgent first. */
export function Cases() {
  const [overdueOnly, setOverdueOnly] = useState(() => sessionStorage.getItem('tuntas.queue.overdue') === '1');
  const res = useResource(() => all(`/cases?limit=200${overdueOnly ? '&overdue=true' : ''}`), [overdueOnly]);
  return html`<section>
    <h1>${t('queueTitle')}</h1><p>${t('queueHelp')}</p>
    <label class="inline"><input type="checkbox" checked=${overdueOnly} onChange=${(e) => { sessionStorage.setItem('tuntas.queue.overdue', e.currentTarget.checked ? '1' : '0'); setOverdueOnly(e.currentTarget.checked); }} /> ${t('onlyOverdue')}</label>
    <${Resource} res=${res}>${(items) => (items.length ? html`
      <table class="queue">
        <thead><tr><th scope="col">${t('child')}</th><th scope="col">${t('step')}</th><th scope="col">${t('deadline')}</th><th scope="col">${t('village')}</th><th scope="col">${t('assignee')}</th></tr></thead>
        <tbody>${items.map((c) => html`<tr key=${c.id} class=${c.overdue ? 'overdue-row' : ''}>
          <td data-label=${t('child')}><a href=${`#/cases/${c.id}`}>${c.subject?.name ?? t('restrictedSubject')}</a></td>
          <td data-label=${t('step')}><${StateBadge} kind="case" value=${c.state} /></td>
          <td data-label=${t('deadline')}>${formatDateTime(c.stepDueAt, c.regencyCode)} <${OverdueBadge} overdue=${c.overdue} /></td>
          <td data-label=${t('village')}>${place(c.subject)}</td>
          <td data-label=${t('assignee')}>${c.assignee?.displayName || '–'}</td>
        </tr>`)}</tbody>
      </table>` : html`<p>${t('empty')}</p>`)}<//>
  </section>`;
}
