import { html } from '../lib.js';
import { all } from '../api.js';
import { t } from '../i18n.js';
import { formatDateTime } from '../format.js';
import { Resource, useResource } from '../components/resource.js';
import { OverdueBadge, StateBadge } from '../components/badges.js';
import { EntityEvents } from '../components/events.js';
import { place } from './cases.js';

function TaskCard({ k, reload }) {
  return html`<li key=${k.id} class=${k.overdue ? 'card overdue-row' : 'card'} data-task=${k.id}>
    <p><strong>${k.action}</strong></p>
    <p><${StateBadge} kind="task" value=${k.state} /> <${OverdueBadge} overdue=${k.overdue} /></p>
    <p>${t('child')}: ${k.subject?.firstName ?? '–'} · ${place(k.subject)}</p>
    ${k.step ? html`<p>${t(`due_${k.step}`)}: ${formatDateTime(k.stepDueAt, k.regencyCode)}</p>` : null}
    <${EntityEvents} kind="tasks" item=${k} reload=${reload} />
  </li>`;
}

/** The OPD liaison's inbox: open tasks, most urgent first; finished ones folded away below. */
export function Inbox() {
  const res = useResource(() => all('/tasks?limit=200'), []);
  return html`<section><h1>${t('inboxTitle')}</h1><p>${t('inboxHelp')}</p>
    <${Resource} res=${res}>${(items, reload) => {
      const open = items.filter((k) => k.step);
      const finished = items.filter((k) => !k.step);
      return html`${open.length ? html`<ul class="cards" id="inbox">${open.map((k) => html`<${TaskCard} key=${k.id} k=${k} reload=${reload} />`)}</ul>` : html`<p>${t('empty')}</p>`}
        ${finished.length ? html`<details class="finished"><summary>${t('finishedTasks')} (${finished.length})</summary>
          <ul class="cards">${finished.map((k) => html`<${TaskCard} key=${k.id} k=${k} reload=${reload} />`)}</ul></details>` : null}`;
    }}<//>
  </section>`;
}
