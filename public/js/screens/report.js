import { html } from '../lib.js';
import { api, all } from '../api.js';
import { t } from '../i18n.js';
import { formatNumber, formatRupiah } from '../format.js';
import { Resource, useResource } from '../components/resource.js';
import { SpendChart } from '../components/charts.js';
import { OUTCOME_BANDS } from '../i18n.js';

export function Report({ user }) {
  const res = useResource(async () => {
    const sponsorId = user.sponsorId ?? (await all('/sponsors'))[0]?.id;
    return sponsorId ? api('GET', `/sponsors/${sponsorId}/report`) : null;
  }, [user.id]);
  return html`<section><h1>${t('reportTitle')}</h1>
    <${Resource} res=${res}>${(r) => (r ? html`<h2>${r.sponsor.name}</h2>
      <dl class="facts">
        <div><dt>${t('interventions')}</dt><dd>${r.totals.interventions}</dd></div>
        <div><dt>${t('deliveries')}</dt><dd>${r.totals.deliveries}</dd></div>
        <div><dt>${t('budget')}</dt><dd>${formatRupiah(r.totals.budgetIdr)}</dd></div>
        <div><dt>${t('spent')}</dt><dd>${formatRupiah(r.totals.spentIdr)}</dd></div>
        <div><dt>${t('onTimeRate')}</dt><dd>${r.totals.onTimeDeliveryRate === null ? '–' : `${formatNumber(r.totals.onTimeDeliveryRate * 100, 0)}%`}</dd></div>
      </dl>
      <${SpendChart} rows=${r.byType} />
      <h2>${t('outcome')}</h2>
      <table class="outcomes"><tbody>${OUTCOME_BANDS.filter((b) => b in (r.outcomes ?? {})).map((band) => html`<tr><th scope="row">${t(`band_${band}`)}</th><td>${r.outcomes[band]}</td></tr>`)}</tbody></table>` : html`<p>${t('empty')}</p>`)}<//>
  </section>`;
}
