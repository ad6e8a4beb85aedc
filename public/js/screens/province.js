// The province and nation page (issue 18): a province user sees its regencies' register prevalence
// against the target with the province's trend; a national viewer first sees every province and
// picks one to drill into. Aggregates only: these users never see a record by name.
import { html, useState } from '../lib.js';
import { api, all } from '../api.js';
import { t } from '../i18n.js';
import { todayIn } from '../format.js';
import { Resource, useResource } from '../components/resource.js';
import { RegionBars } from '../components/charts.js';
import { PrevalenceTile, targetFor } from './dashboard.js';

function Provinces({ period }) {
  const res = useResource(() => api('GET', `/reports/prevalence?level=provinsi&from=${period}&to=${period}`), [period]);
  return html`<section class="card" id="tile-provinces"><h2>${t('prevBy_provinsi')} · ${period}</h2>
    <${Resource} res=${res}>${(r) => html`<${RegionBars} rows=${r.items.filter((x) => x.measured > 0).sort((a, b) => (b.prevalence ?? -1) - (a.prevalence ?? -1))}
      target=${targetFor(r.targets, '', period)} label=${t('prevBy_provinsi')} />`}<//>
  </section>`;
}

export function Province({ user }) {
  const [period, setPeriod] = useState(todayIn(user.provinceCode ? `${user.provinceCode}00` : '3171').slice(0, 7));
  const [picked, setPicked] = useState('');
  const provinces = useResource(() => (user.provinceCode ? Promise.resolve([]) : all('/regions')), []);
  const code = user.provinceCode ?? picked;
  return html`<section id="province"><h1>${user.provinceCode ? t('provinceTitle') : t('nationTitle')}</h1>
    <p class="help">${t('aggregatesOnly')}</p>
    <div class="picker">
      <label>${t('month')} <input type="month" value=${period} onChange=${(e) => e.currentTarget.value && setPeriod(e.currentTarget.value)} /></label>
      ${user.provinceCode ? null : html`<label>${t('province')} <select onChange=${(e) => setPicked(e.currentTarget.value)}>
        <option value="" selected=${!picked}>${t('all')}</option>
        ${(provinces.data ?? []).map((p) => html`<option value=${p.code} selected=${p.code === picked}>${p.name}</option>`)}</select></label>`}
    </div>
    <div class="tiles">
      ${code ? html`<${PrevalenceTile} code=${code} codeLevel="provinsi" level="kabupaten" period=${period} title=${t('prevalence')} />` : html`<${Provinces} period=${period} />`}
    </div>
  </section>`;
}
