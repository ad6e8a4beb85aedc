import { html } from '../lib.js';
import { all } from '../api.js';
import { t } from '../i18n.js';
import { formatRupiah } from '../format.js';
import { Resource, useResource } from '../components/resource.js';
import { OverdueBadge, StateBadge } from '../components/badges.js';
import { programmeName } from './case.js';
import { place } from './cases.js';

export const beneficiaryName = (b) => (b ? (b.name ?? b.code) : '–');

export function Interventions() {
  const res = useResource(() => all('/interventions?limit=200'), []);
  return html`<section><h1>${t('interventionsTitle')}</h1>
    <${Resource} res=${res}>${(items) => (items.length ? html`<table class="queue">
      <thead><tr><th scope="col">${t('programme')}</th><th scope="col">${t('beneficiary')}</th><th scope="col">${t('step')}</th><th scope="col">${t('budget')}</th><th scope="col">${t('spent')}</th></tr></thead>
      <tbody>${items.map((i) => html`<tr key=${i.id} class=${i.overdue ? 'overdue-row' : ''}>
        <td data-label=${t('programme')}><a href=${`#/interventions/${i.id}`}>${programmeName(i)}</a></td>
        <td data-label=${t('beneficiary')}>${i.beneficiary ? `${beneficiaryName(i.beneficiary)} · ${place(i.beneficiary)}` : '–'}</td>
        <td data-label=${t('step')}><${StateBadge} kind="intervention" value=${i.state} /> <${OverdueBadge} overdue=${i.overdue} /></td>
        <td data-label=${t('budget')}>${formatRupiah(i.budgetIdr)}</td>
        <td data-label=${t('spent')}>${formatRupiah(i.spentIdr)}</td>
      </tr>`)}</tbody></table>` : html`<p>${t('empty')}</p>`)}<//>
  </section>`;
}
