// Small SVG charts: no chart library.
import { html } from './lib.js';
import { t } from './i18n.js';
import { formatNumber, formatRupiah } from './format.js';

const LINES = [
  { z: '-3', cls: 'ref-3', label: '−3 SD' },
  { z: '-2', cls: 'ref-2', label: '−2 SD' },
  { z: '0', cls: 'ref0', label: 'Median' },
  { z: '2', cls: 'ref2', label: '+2 SD' },
];

/** Length/height for age: the child's readings over the WHO lines at the same ages. */
export function GrowthChart({ items }) {
  const pts = (items ?? []).filter((m) => m.lengthHeightCm !== null && m.ageDays !== null);
  if (!pts.length) return html`<p>${t('empty')}</p>`;
  const W = 640, H = 300, L = 48, R = 56, T = 12, B = 40;
  const months = pts.map((p) => p.ageDays / 30.4375);
  const values = pts.flatMap((p) => [p.lengthHeightCm, ...LINES.map((l) => p.reference?.lengthHeightCm?.[l.z]).filter((v) => v !== null && v !== undefined)]);
  let x0 = Math.floor(Math.min(...months)) - 1, x1 = Math.ceil(Math.max(...months)) + 1;
  let y0 = Math.floor(Math.min(...values)) - 2, y1 = Math.ceil(Math.max(...values)) + 2;
  if (x0 < 0) x0 = 0;
  const sx = (m) => L + ((m - x0) / (x1 - x0 || 1)) * (W - L - R);
  const sy = (v) => T + (1 - (v - y0) / (y1 - y0 || 1)) * (H - T - B);
  const path = (vals) => vals.map(([m, v], i) => `${i ? 'L' : 'M'}${sx(m).toFixed(1)},${sy(v).toFixed(1)}`).join(' ');
  const yTicks = [];
  for (let v = Math.ceil(y0 / 5) * 5; v <= y1; v += 5) yTicks.push(v);
  const xTicks = [];
  const step = x1 - x0 > 12 ? 6 : x1 - x0 > 4 ? 2 : 1;
  for (let m = Math.ceil(x0 / step) * step; m <= x1; m += step) xTicks.push(m);
  const last = pts[pts.length - 1];
  const summary = pts.map((p) => `${formatNumber(p.ageDays / 30.4375, 1)} ${t('ageMonths').toLowerCase()}: ${formatNumber(p.lengthHeightCm, 1)} cm, HAZ ${formatNumber(p.haz)}`).join('; ');
  return html`<figure class="chart">
    <svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${t('growth')}: ${summary}">
      ${yTicks.map((v) => html`<g><line class="grid" x1=${L} x2=${W - R} y1=${sy(v)} y2=${sy(v)} /><text class="tick" x=${L - 6} y=${sy(v) + 4} text-anchor="end">${v}</text></g>`)}
      ${xTicks.map((m) => html`<text class="tick" x=${sx(m)} y=${H - B + 16} text-anchor="middle">${m}</text>`)}
      <text class="axis" x=${(L + W - R) / 2} y=${H - 6} text-anchor="middle">${t('ageMonths')}</text>
      <text class="axis" transform="rotate(-90)" x=${-(T + H - B) / 2} y="14" text-anchor="middle">${t('heightCm')}</text>
      ${LINES.map((l) => {
        const vals = pts.map((p, i) => [months[i], p.reference?.lengthHeightCm?.[l.z]]).filter(([, v]) => v !== null && v !== undefined);
        if (!vals.length) return null;
        const [lm, lv] = vals[vals.length - 1];
        return html`<g><path class="ref ${l.cls}" d=${vals.length > 1 ? path(vals) : `M${sx(lm) - 8},${sy(lv)} L${sx(lm) + 8},${sy(lv)}`} /><text class="ref-label" x=${sx(lm) + 10} y=${sy(lv) + 4}>${l.label}</text></g>`;
      })}
      <path class="child" d=${path(pts.map((p, i) => [months[i], p.lengthHeightCm]))} />
      ${pts.map((p, i) => html`<circle class=${p.haz !== null && p.haz < -2 ? 'pt stunted' : 'pt'} cx=${sx(months[i])} cy=${sy(p.lengthHeightCm)} r="5"><title>${p.measuredAt}: ${p.lengthHeightCm} cm, HAZ ${p.haz}</title></circle>`)}
    </svg>
    <figcaption>${t('growthHelp')} ${t('haz')}: ${formatNumber(last.haz)}</figcaption>
  </figure>`;
}

/** Horizontal bars of budget against money spent, per intervention type. */
export function SpendChart({ rows }) {
  if (!rows?.length) return html`<p>${t('empty')}</p>`;
  const W = 640, row = 44, L = 150, H = rows.length * row + 20;
  const max = Math.max(1, ...rows.map((r) => Math.max(r.budgetIdr ?? 0, r.spentIdr ?? 0)));
  const sx = (v) => ((W - L - 10) * v) / max;
  return html`<figure class="chart"><svg viewBox="0 0 ${W} ${H}" role="img" aria-label=${rows.map((r) => `${r.catalogueCode}: ${t('spent')} ${formatRupiah(r.spentIdr)} / ${t('budget')} ${formatRupiah(r.budgetIdr)}`).join('; ')}>
    ${rows.map((r, i) => html`<g transform="translate(0 ${i * row + 10})">
      <text class="tick" x=${L - 8} y="16" text-anchor="end">${r.catalogueCode}</text>
      <rect class="bar-budget" x=${L} y="2" height="16" width=${Math.max(1, sx(r.budgetIdr ?? 0))} />
      <rect class="bar-spent" x=${L} y="20" height="12" width=${Math.max(1, sx(r.spentIdr ?? 0))} />
    </g>`)}
  </svg><figcaption><span class="key key-budget"></span>${t('budget')} <span class="key key-spent"></span>${t('spent')}</figcaption></figure>`;
}
