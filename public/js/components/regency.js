// The regency an admin works on: their own, or (a national admin) one picked by province and
// regency name from the Kemendagri list. Kept in localStorage between visits.
import { html, useEffect, useState } from '../lib.js';
import { all } from '../api.js';
import { t } from '../i18n.js';

const KEY = 'tuntas.admin.regency';

/** Province users and national viewers see aggregates only (no record by name, no document). */
export const aggregatesOnly = (user) => Boolean(user.provinceCode) || (user.role === 'viewer' && !user.regencyCode);

export function useRegency(user) {
  const [rc, setRc] = useState(() => user.regencyCode ?? localStorage.getItem(KEY) ?? '');
  const set = (v) => {
    if (user.regencyCode) return;
    localStorage.setItem(KEY, v);
    setRc(v);
  };
  return [rc, set];
}

export function RegencyPicker({ user, value, onChange }) {
  const [provinces, setProvinces] = useState([]);
  const [regencies, setRegencies] = useState([]);
  const [name, setName] = useState('');
  const province = value ? value.slice(0, 2) : '';
  useEffect(() => {
    if (!user.regencyCode) all('/regions').then(setProvinces, () => undefined);
  }, []);
  useEffect(() => {
    if (province) all(`/regions?parent=${province}`).then((r) => { setRegencies(r); setName(r.find((x) => x.code === value)?.name ?? ''); }, () => undefined);
  }, [province, value]);
  if (user.regencyCode) return html`<p class="regency">${t('regency')}: <strong>${name || value}</strong></p>`;
  return html`<div class="picker">
    <div class="field"><label for="pick-province">${t('province')}</label>
      <select id="pick-province" onChange=${(e) => onChange(`${e.currentTarget.value}`)}>
        <option value="" selected=${!province} disabled>${t('choose')}</option>
        ${provinces.map((p) => html`<option value=${p.code} selected=${p.code === province}>${p.name}</option>`)}
      </select></div>
    <div class="field"><label for="pick-regency">${t('regency')}</label>
      <select id="pick-regency" onChange=${(e) => onChange(e.currentTarget.value)} disabled=${!province}>
        <option value="" selected=${value.length !== 4} disabled>${t('choose')}</option>
        ${regencies.map((r) => html`<option value=${r.code} selected=${r.code === value}>${r.name}</option>`)}
      </select></div>
  </div>`;
}
