// The early-warning watch (issue 23), for the case manager and the TPK member: children whose
// weighings raised a flag (2T, below the red line, above the orange line, faltering) or who have
// not been weighed for too long, by village, newest flag first; and the month's SKDN per village.
// A TPK member sees only their villages (the server decides).
import { html, useState } from '../lib.js';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { formatDate, formatNumber, todayIn } from '../format.js';
import { Resource, useResource } from '../components/resource.js';

export const EW_FLAGS = ['2T', 'BGM', 'above_orange', 'faltering', 'lost'];
const SKDN_COLUMNS = ['s', 'k', 'd', 'n', 't', 'twoT', 'o', 'b', 'bgm', 'lost'];

function Counts({ counts }) {
  return html`<dl class="facts">${EW_FLAGS.map((f) => html`<div><dt>${t(`ew_${f}`)}</dt><dd data-flag=${f}>${counts[f]}</dd></div>`)}</dl>`;
}

function Skdn({ r }) {
  const head = html`<tr><th scope="col">${t('village')}</th>${SKDN_COLUMNS.map((c) => html`<th scope="col" title=${t(`skdnHelp_${c}`)}>${t(`skdn_${c}`)}</th>`)}<th scope="col">D/S</th><th scope="col">N/D</th></tr>`;
  const row = (label, v) => html`<tr><td data-label=${t('village')}>${label}</td>${SKDN_COLUMNS.map((c) => html`<td data-label=${t(`skdn_${c}`)}>${v[c]}</td>`)}
    <td data-label="D/S">${v.dPerS === null ? '–' : `${formatNumber(v.dPerS, 1)}%`}</td><td data-label="N/D">${v.nPerD === null ? '–' : `${formatNumber(v.nPerD, 1)}%`}</td></tr>`;
  return r.villages.length
    ? html`<table class="queue" id="skdn"><thead>${head}</thead><tbody>${r.villages.map((v) => row(v.villageName ?? v.villageCode, v))}${r.villages.length > 1 ? row(t('total'), r.total) : null}</tbody></table>`
    : html`<p>${t('empty')}</p>`;
}

function Village({ v }) {
  return html`<section class="card" data-village=${v.villageCode}><h3>${v.villageName ?? v.villageCode}${v.districtName ? ` · ${v.districtName}` : ''}</h3>
    <p>${EW_FLAGS.filter((f) => v.counts[f]).map((f) => html`<span class="badge">${t(`ew_${f}`)} ${v.counts[f]}</span> `)}</p>
    <ul>${v.children.map((c) => html`<li key=${c.subjectId} data-child=${c.subjectId}>
      <strong>${c.name}</strong> · ${c.sex === 'M' ? t('sex_M') : t('sex_F')} · ${c.ageMonths} ${t('months')}
      ${c.flags.map((f) => html` <span class="badge overdue" title=${formatDate(f.raisedOn)}>${t(`ew_${f.kind}`)} ${formatDate(f.raisedOn)}</span>`)}
      ${c.lost ? html` <span class="badge">${t('ew_lost')} · ${t('ewLastReading')} ${formatDate(c.lastReadingOn)}</span>` : null}
    </li>`)}</ul></section>`;
}

export function EarlyWarning({ user }) {
  const [month, setMonth] = useState(todayIn(user.regencyCode ?? '3171').slice(0, 7));
  const res = useResource(() => Promise.all([api('GET', `/reports/early-warning?month=${month}`), api('GET', `/reports/skdn?month=${month}`)]), [month]);
  return html`<section id="early-warning"><h1>${t('ewTitle')}</h1><p>${t('ewHelp')}</p>
    <label>${t('month')} <input type="month" value=${month} onChange=${(e) => e.currentTarget.value && setMonth(e.currentTarget.value)} /></label>
    <${Resource} res=${res}>${([ew, skdn]) => html`
      <p>${t('ewAsOf')} ${formatDate(ew.asOf)} · KMS v${ew.kmsVersion}</p>
      <${Counts} counts=${ew.counts} />
      <h2>${t('ewChildren')}</h2>
      ${ew.villages.length ? ew.villages.map((v) => html`<${Village} v=${v} />`) : html`<p>${t('empty')}</p>`}
      <h2>${t('skdnTitle')}</h2>
      <${Skdn} r=${skdn} />`}<//>
  </section>`;
}
