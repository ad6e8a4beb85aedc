// Master Ansit per village (issue 19, part 5), for the OPD liaison (and the case manager and
// admin): a year, a kecamatan and a village; one indicator per row with its value, where it comes
// from (computed, entered, imported) and whether this user may change it: a liaison enters their
// own OPD's indicators only, the others are shown read-only. Numbers take a decimal comma. What
// was typed is kept in the tab (sessionStorage) until it is saved, like every form of the console.
import { html, useEffect, useState } from '../lib.js';
import { api, all } from '../api.js';
import { t, lang, errorText, fieldErrors } from '../i18n.js';
import { formatDateTime, formatNumber } from '../format.js';
import { Resource, useResource } from '../components/resource.js';
import { RegencyPicker, useRegency } from '../components/regency.js';
import { AnsitExport, CompletenessFacts, useAksiYear, YearPicker } from './aksi.js';

const PLACE_KEY = 'tuntas.ansit.place';
const DRAFT = (year, village) => `tuntas.draft.ansit-${year}-${village}`;
const pct = (ratio) => (ratio === null || ratio === undefined ? '–' : `${formatNumber(ratio * 100, 1)}%`);

/**
 * A number as typed on a phone: a decimal comma or point ("12,5", "12.5"); with a comma, points are
 * thousands separators ("1.234,5"). Empty is null (clears the value); anything else is NaN.
 */
export function parseDecimal(text) {
  const s = String(text ?? '').trim().replace(/\s/g, '');
  if (s === '') return null;
  const plain = s.includes(',') ? s.replace(/\./g, '').replace(',', '.') : s;
  return /^\d+(\.\d+)?$/.test(plain) ? Number(plain) : NaN;
}

/** A value as an input shows it: no grouping, the decimal separator of the chosen language. */
const forInput = (v) => (v === null || v === undefined ? '' : lang() === 'id' ? String(v).replace('.', ',') : String(v));

function readDraft(year, village) {
  try {
    return JSON.parse(sessionStorage.getItem(DRAFT(year, village)) ?? '{}') ?? {};
  } catch {
    return {};
  }
}

function readPlace(rc) {
  try {
    const p = JSON.parse(localStorage.getItem(PLACE_KEY) ?? 'null');
    return p && p.village?.startsWith(rc) ? p : { district: '', village: '' };
  } catch {
    return { district: '', village: '' };
  }
}

function VillagePicker({ rc, place, onChange }) {
  const districts = useResource(() => all(`/regions?parent=${rc}`), [rc]);
  const villages = useResource(() => (place.district ? all(`/regions?parent=${place.district}`) : Promise.resolve([])), [place.district]);
  return html`<div class="picker">
    <div class="field"><label for="pick-district">${t('kecamatan')}</label>
      <select id="pick-district" onChange=${(e) => onChange({ district: e.currentTarget.value, village: '' })}>
        <option value="" selected=${!place.district} disabled>${t('choose')}</option>
        ${(districts.data ?? []).map((d) => html`<option value=${d.code} selected=${d.code === place.district}>${d.name}</option>`)}
      </select></div>
    <div class="field"><label for="pick-village">${t('village')}</label>
      <select id="pick-village" disabled=${!place.district} onChange=${(e) => onChange({ ...place, village: e.currentTarget.value })}>
        <option value="" selected=${!place.village} disabled>${t('choose')}</option>
        ${(villages.data ?? []).map((v) => html`<option value=${v.code} selected=${v.code === place.village}>${v.name}</option>`)}
      </select></div>
  </div>`;
}

/** The regency's completeness: overall, per kecamatan and per indicator. */
function Summary({ c, opdName }) {
  return html`<section class="card" id="ansit-summary" aria-labelledby="ansit-summary-h"><h2 id="ansit-summary-h">${t('regencySummary')}</h2>
    <${CompletenessFacts} c=${c} />
    <details><summary>${t('byIndicator')}</summary>
      <table class="queue"><thead><tr><th scope="col">${t('indicator')}</th><th scope="col">${t('opd')}</th><th scope="col">${t('villages')}</th></tr></thead>
        <tbody>${c.byIndicator.map((i) => html`<tr key=${i.code}><td data-label=${t('indicator')}>${i.name}</td><td data-label=${t('opd')}>${opdName(i.ownerOpdCode)}</td>
          <td data-label=${t('villages')}>${formatNumber(i.villagesFilled, 0)} / ${formatNumber(i.villages, 0)}${i.done ? html` <span class="badge ready">${t('done')}</span>` : null}</td></tr>`)}</tbody></table>
    </details>
    <details><summary>${t('prevBy_kecamatan')}</summary>
      <table class="queue"><thead><tr><th scope="col">${t('kecamatan')}</th><th scope="col">${t('villages')}</th><th scope="col">${t('ratio')}</th></tr></thead>
        <tbody>${c.byKecamatan.map((d) => html`<tr key=${d.districtCode}><td data-label=${t('kecamatan')}>${d.districtName ?? '–'}</td><td data-label=${t('villages')}>${formatNumber(d.villages, 0)}</td>
          <td data-label=${t('ratio')}>${pct(d.ratio)}</td></tr>`)}</tbody></table>
    </details>
  </section>`;
}

function Provenance({ v }) {
  if (v.value === null) return html`<span class="badge unfilled">${t('notFilled')}</span>`;
  return v.provenance ? html`<span class=${`badge prov-${v.provenance}`}>${t(`prov_${v.provenance}`)}</span>` : null;
}

/** One village's indicators: the user's own as inputs, the others read-only. */
function VillageGrid({ g, year, rc, mayEdit, opdName, onSaved }) {
  const [typed, setTyped] = useState(() => readDraft(year, g.villageCode));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [rowErrors, setRowErrors] = useState({});
  const [said, setSaid] = useState(null);
  const set = (code, text) => {
    const next = { ...typed, [code]: text };
    sessionStorage.setItem(DRAFT(year, g.villageCode), JSON.stringify(next));
    setTyped(next);
    setSaid(null);
    setRowErrors((e) => ({ ...e, [code]: undefined }));
  };
  const editable = g.values.filter(mayEdit);

  async function save(e) {
    e.preventDefault();
    if (busy) return;
    setError(null);
    setSaid(null);
    const local = {};
    const values = [];
    for (const v of editable) {
      if (!(v.indicatorCode in typed)) continue;
      const parsed = parseDecimal(typed[v.indicatorCode]);
      if (Number.isNaN(parsed)) local[v.indicatorCode] = t('notANumber');
      else if (parsed !== v.value) values.push({ indicatorCode: v.indicatorCode, value: parsed });
    }
    setRowErrors(local);
    if (Object.keys(local).length) return;
    if (!values.length) {
      setSaid(t('nothingChanged'));
      return;
    }
    setBusy(true);
    try {
      await api('PUT', `/ansit/${year}/${g.villageCode}`, { body: { values } });
      sessionStorage.removeItem(DRAFT(year, g.villageCode));
      setTyped({});
      setSaid(t('saved'));
      onSaved();
    } catch (err) {
      // A reason per value (`values.N.value`) goes back to its row.
      const rows = {};
      for (const [field, reason] of Object.entries(fieldErrors(err))) {
        const m = /^values\.(\d+)\./.exec(field);
        if (m && values[Number(m[1])]) rows[values[Number(m[1])].indicatorCode] = reason;
      }
      setRowErrors(rows);
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return html`<form class="ansit-grid" id="ansit-form" onSubmit=${save} novalidate aria-busy=${busy ? 'true' : 'false'}>
    <h2>${g.villageName ?? '–'}${g.districtName ? html` <span class="muted">· ${g.districtName}</span>` : null}</h2>
    ${editable.length ? html`<p class="help" id="ansit-decimal-help">${t('decimalHelp')}</p>` : null}
    <ul class="cards ansit-rows">${g.values.map((v) => {
      const id = `ansit-${v.indicatorCode}`;
      const edit = mayEdit(v);
      const err = rowErrors[v.indicatorCode];
      const shown = v.indicatorCode in typed ? typed[v.indicatorCode] : forInput(v.value);
      return html`<li key=${v.indicatorCode} class=${`card ansit-row${edit ? ' editable' : ' read-only'}${err ? ' invalid' : ''}`} data-indicator=${v.indicatorCode}>
        <div class="ansit-head">
          ${edit ? html`<label for=${id}>${v.name}</label>` : html`<p class="ansit-name" id=${id}>${v.name}</p>`}
          <p class="muted">${v.unit} · ${opdName(v.ownerOpdCode)}${v.status === 'to_complete' ? ` · ${t('indicatorToComplete')}` : ''}</p>
        </div>
        ${edit
          ? html`<input id=${id} name=${v.indicatorCode} inputmode="decimal" autocomplete="off" value=${shown} onInput=${(e) => set(v.indicatorCode, e.currentTarget.value)}
              aria-invalid=${err ? 'true' : 'false'} aria-describedby=${[err ? `${id}-err` : null, 'ansit-decimal-help'].filter(Boolean).join(' ')} />`
          : html`<p class="ansit-value"><strong>${v.value === null ? '–' : formatNumber(v.value, 4)}</strong> <span class="badge read-only">${t('readOnly')}</span></p>`}
        ${err ? html`<p class="field-error" id=${`${id}-err`}>${err}</p>` : null}
        <p class="ansit-meta"><${Provenance} v=${v} />
          ${v.enteredBy ? html` <span class="muted">${t('enteredBy')} ${v.enteredBy.displayName} · ${formatDateTime(v.enteredAt, rc)}</span>` : null}
          ${v.provenance !== 'engine' && v.engineValue !== null ? html` <span class="muted">${t('engineFigure')}: ${formatNumber(v.engineValue, 4)}</span>` : null}</p>
      </li>`;
    })}</ul>
    ${error ? html`<div class="error" role="alert"><p>${errorText(error)}</p></div>` : null}
    ${said ? html`<p class="ok" role="status">${said}</p>` : null}
    ${editable.length ? html`<button type="submit" disabled=${busy}>${busy ? t('loading') : t('save')}</button>` : null}
  </form>`;
}

export function AnsitGrid({ user }) {
  const [picked, setPicked] = useRegency(user);
  const rc = user.regencyCode ?? picked;
  const bound = Boolean(user.regencyCode);
  const [year, setYear] = useAksiYear(rc);
  const [place, setPlace] = useState(() => readPlace(rc));
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (place.district && !place.district.startsWith(rc)) setPlace({ district: '', village: '' });
  }, [rc]);
  const pick = (p) => {
    localStorage.setItem(PLACE_KEY, JSON.stringify(p));
    setPlace(p);
  };
  const ready = rc?.length === 4;
  const opds = useResource(() => (ready ? all(`/opds?regencyCode=${rc}`) : Promise.resolve([])), [rc]);
  const summary = useResource(() => (ready ? api('GET', `/ansit/${year}/completeness${bound ? '' : `?regencyCode=${rc}`}`) : Promise.resolve(null)), [rc, year, round]);
  const grid = useResource(() => (place.village ? api('GET', `/ansit/${year}/${place.village}`) : Promise.resolve(null)), [place.village, year]);
  const list = opds.data ?? [];
  const opdName = (code) => list.find((o) => o.code === code)?.name ?? code;
  const ownCode = list.find((o) => o.id === user.opdId)?.code ?? null;
  const mayEdit = (v) => ['admin', 'case_manager'].includes(user.role) || (user.role === 'opd_liaison' && ownCode !== null && v.ownerOpdCode === ownCode);
  return html`<section id="ansit"><h1>${t('ansitTitle')}</h1><p class="help">${t('ansitHelp')}</p>
    <${RegencyPicker} user=${user} value=${rc ?? ''} onChange=${setPicked} />
    <div class="picker"><${YearPicker} year=${year} onChange=${setYear} regencyCode=${rc} /></div>
    ${!ready ? html`<p>${t('pickRegency')}</p>` : html`
      <${AnsitExport} user=${user} rc=${rc} year=${year} />
      <${VillagePicker} rc=${rc} place=${place} onChange=${pick} />
      ${place.village && opds.data === undefined && !opds.error ? html`<p class="loading" role="status">${t('loading')}</p>` : place.village
        ? html`<${Resource} res=${grid}>${(g) => (g ? html`<${VillageGrid} key=${`${year}-${g.villageCode}`} g=${g} year=${year} rc=${rc} mayEdit=${mayEdit} opdName=${opdName}
            onSaved=${() => { grid.reload(); setRound((n) => n + 1); }} />` : null)}<//>`
        : html`<p>${t('pickVillage')}</p>`}
      <${Resource} res=${summary}>${(c) => (c ? html`<${Summary} c=${c} opdName=${opdName} />` : null)}<//>`}
  </section>`;
}
