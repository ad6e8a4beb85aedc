// The district dashboard (issue 18), for the case manager, the viewer and the admin: register
// prevalence by kecamatan or village against the target with the regency's trend (survey figures a
// separate series), hotspots, the daily lokus watch and convergence per village. Each tile loads on
// its own, so one the user may not read shows its reason and the others still show.
import { html, useState } from '../lib.js';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { formatNumber, todayIn } from '../format.js';
import { Resource, useResource } from '../components/resource.js';
import { RegencyPicker, useRegency } from '../components/regency.js';
import { PrevalenceTrend, RegionBars } from '../components/charts.js';

/** YYYY-MM `n` months before `month`. */
export function monthsBack(month, n) {
  const [y, m] = month.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 - n, 1));
  return d.toISOString().slice(0, 7);
}

/** The target of `code` for the year of `period` that a register figure may be set beside. */
export function targetFor(targets, code, period) {
  const year = Number(period.slice(0, 4));
  const own = (targets ?? []).filter((x) => x.year === year && x.comparable);
  return (own.find((x) => x.regionCode === code) ?? own.find((x) => code.startsWith(x.regionCode)))?.value ?? null;
}

const pct = (v) => (v === null || v === undefined ? '–' : `${formatNumber(v, 1)}%`);

/** Prevalence of the regions under `code` at `level` for `period`, with the trend of `code` itself. */
export function PrevalenceTile({ code, codeLevel, level, period, title }) {
  const from = monthsBack(period, 11);
  const q = (lv, c) => `/reports/prevalence?level=${lv}&from=${from}&to=${period}${c ? `&code=${c}` : ''}`;
  const res = useResource(() => Promise.all([api('GET', q(level, code)), api('GET', q(codeLevel, code))]), [code, level, period]);
  return html`<section class="card" id="tile-prevalence"><h2>${title}</h2>
    <${Resource} res=${res}>${([byRegion, own]) => {
      const rows = byRegion.items.filter((r) => r.period === period && r.measured > 0).sort((a, b) => (b.prevalence ?? -1) - (a.prevalence ?? -1));
      const target = targetFor(byRegion.targets, code, period);
      const trendRows = own.items.filter((r) => !code || r.regionCode === code);
      const current = trendRows.find((r) => r.period === period);
      return html`
        <dl class="facts">
          <div><dt>${t('prevMeasured')}</dt><dd>${current ? current.measured : 0}</dd></div>
          <div><dt>${t('prevStunted')}</dt><dd>${current ? current.stunted : 0}</dd></div>
          <div><dt>${t('prevRate')}</dt><dd>${current?.suppressed ? t('suppressed') : pct(current?.prevalence)}</dd></div>
          <div><dt>${t('coverage')}</dt><dd>${pct(current?.coverage)}</dd></div>
          <div><dt>${t('target')}</dt><dd>${pct(target)}</dd></div>
        </dl>
        ${current?.snapshot ? html`<p class="muted">${t('snapshotFrozen')}${current.snapshot.revised ? ` · ${t('snapshotRevised')} ${current.snapshot.latestRevision}` : ''}</p>` : null}
        <h3>${t('prevTrend')}</h3>
        <${PrevalenceTrend} rows=${trendRows} target=${target} surveys=${own.surveys.filter((s) => !code || s.regionCode === code)} label=${t('prevTrend')} />
        <h3>${t(`prevBy_${level}`)} · ${period}</h3>
        <${RegionBars} rows=${rows} target=${target} label=${t(`prevBy_${level}`)} />
        <p class="help">${t('suppressedHelp').replace('{n}', byRegion.minMeasured)}</p>`;
    }}<//>
  </section>`;
}

function HotspotsTile({ code, period }) {
  const [level, setLevel] = useState('kecamatan');
  const res = useResource(() => api('GET', `/reports/hotspots?level=${level}&period=${period}&code=${code}`), [code, period, level]);
  return html`<section class="card" id="tile-hotspots"><h2>${t('hotspots')}</h2>
    <label>${t('level')} <select onChange=${(e) => setLevel(e.currentTarget.value)}>
      <option value="kecamatan" selected=${level === 'kecamatan'}>${t('kecamatan')}</option><option value="desa" selected=${level === 'desa'}>${t('village')}</option></select></label>
    <${Resource} res=${res}>${(r) => (r.items.length
      ? html`<table class="queue"><thead><tr><th scope="col">#</th><th scope="col">${t('region')}</th><th scope="col">${t('prevStunted')}</th><th scope="col">${t('prevRate')}</th><th scope="col">${t('changeSince')} ${r.comparedWith}</th></tr></thead>
        <tbody>${r.items.slice(0, 10).map((h) => html`<tr><td data-label="#">${h.rank}</td><td data-label=${t('region')}>${h.regionName ?? h.regionCode}</td><td data-label=${t('prevStunted')}>${h.stunted}/${h.measured}</td>
          <td data-label=${t('prevRate')}>${h.suppressed ? t('suppressed') : pct(h.prevalence)}</td>
          <td data-label=${t('changeSince')}>${h.change.stunted > 0 ? '+' : ''}${h.change.stunted}${h.change.prevalence === null ? '' : ` · ${h.change.prevalence > 0 ? '+' : ''}${formatNumber(h.change.prevalence, 1)} pp`}</td></tr>`)}</tbody></table>`
      : html`<p>${t('empty')}</p>`)}<//>
  </section>`;
}

function LokusTile({ code }) {
  const res = useResource(() => api('GET', `/reports/lokus-watch?regencyCode=${code}`), [code]);
  const cols = [
    ['openCases', (c) => c.openCases.total],
    ['overdueSteps', (c) => c.overdueSteps.total],
    ['stepsDueToday', (c) => c.stepsDueToday.total],
    ['pregnantDue30', (c) => c.pregnantDueWithin30Days],
    ['catinAtRisk', (c) => c.catinAtRisk],
    ['visitsDueWeek', (c) => c.visitsDueThisWeek],
  ];
  const row = (label, c) => html`<tr><td data-label=${t('village')}>${label}</td>${cols.map(([k, f]) => html`<td data-label=${t(`lw_${k}`)}>${f(c)}</td>`)}</tr>`;
  return html`<section class="card" id="tile-lokus"><h2>${t('lokusWatch')}</h2>
    <${Resource} res=${res}>${(r) => (r.villages.length
      ? html`<p class="muted">${r.date} · ${t('lokusYear')} ${r.year}</p><table class="queue"><thead><tr><th scope="col">${t('village')}</th>${cols.map(([k]) => html`<th scope="col">${t(`lw_${k}`)}</th>`)}</tr></thead>
        <tbody>${r.villages.map((v) => row(`${v.villageName ?? v.villageCode}${v.districtName ? ` · ${v.districtName}` : ''}`, v))}${r.villages.length > 1 ? row(t('total'), r.totals) : null}</tbody></table>`
      : html`<p>${t('lokusNone')}</p>`)}<//>
  </section>`;
}

function ConvergenceTile({ code, period }) {
  const res = useResource(() => api('GET', `/reports/convergence?level=desa&period=${period}&code=${code}`), [code, period]);
  return html`<section class="card" id="tile-convergence"><h2>${t('convergence')}</h2><p class="help">${t('convergenceHelp')}</p>
    <${Resource} res=${res}>${(r) => (r.regions.length
      ? html`<table class="queue"><thead><tr><th scope="col">${t('village')}</th><th scope="col">${t('targetGroup')}</th><th scope="col">${t('targets')}</th><th scope="col">${t('fullPackage')}</th></tr></thead>
        <tbody>${r.regions.flatMap((v) => v.groups.filter((g) => g.targets > 0).map((g) => html`<tr><td data-label=${t('village')}>${v.name ?? v.code}</td><td data-label=${t('targetGroup')}>${t(`tgroup_${g.targetGroup}`)}</td><td data-label=${t('targets')}>${g.targets}</td>
          <td data-label=${t('fullPackage')}>${g.fullPackage} (${pct(g.fullPackageShare)})</td></tr>`))}</tbody></table>`
      : html`<p>${t('empty')}</p>`)}<//>
  </section>`;
}

export function Dashboard({ user }) {
  const [rc, setRc] = useRegency(user);
  const [period, setPeriod] = useState(todayIn(user.regencyCode ?? '3171').slice(0, 7));
  const [level, setLevel] = useState('kecamatan');
  return html`<section id="dashboard"><h1>${t('dashboardTitle')}</h1>
    <${RegencyPicker} user=${user} value=${rc} onChange=${setRc} />
    <div class="picker">
      <label>${t('month')} <input type="month" value=${period} onChange=${(e) => e.currentTarget.value && setPeriod(e.currentTarget.value)} /></label>
      <label>${t('level')} <select onChange=${(e) => setLevel(e.currentTarget.value)}>
        <option value="kecamatan" selected=${level === 'kecamatan'}>${t('kecamatan')}</option><option value="desa" selected=${level === 'desa'}>${t('village')}</option></select></label>
    </div>
    ${rc.length === 4
      ? html`<div class="tiles">
          <${PrevalenceTile} code=${rc} codeLevel="kabupaten" level=${level} period=${period} title=${t('prevalence')} />
          <${HotspotsTile} code=${rc} period=${period} />
          <${LokusTile} code=${rc} />
          <${ConvergenceTile} code=${rc} period=${period} />
        </div>`
      : html`<p>${t('pickRegency')}</p>`}
  </section>`;
}
