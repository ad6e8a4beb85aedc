// Small SVG charts, no chart library. They are drawn at the width they are shown at (measured),
// not shrunk from a fixed drawing, so their text stays at its CSS size on a phone.
import { html, useEffect, useRef, useState } from '../lib.js';
import { t, lang } from '../i18n.js';
import { formatDate, formatNumber, formatRupiah } from '../format.js';

const LINES = [
  { z: '-3', cls: 'ref-3', label: '−3' },
  { z: '-2', cls: 'ref-2', label: '−2' },
  { z: '0', cls: 'ref0', label: '0' },
  { z: '2', cls: 'ref2', label: '+2' },
];

/** The width of the element, kept current. */
function useWidth(fallback) {
  const ref = useRef(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    const measure = () => setWidth(Math.max(240, Math.floor(el.clientWidth)));
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}

/** Length/height-for-age categories of Permenkes 2/2020. */
export function hazCategory(haz) {
  if (haz === null || haz === undefined) return null;
  if (haz < -3) return 'severely_stunted';
  if (haz < -2) return 'stunted';
  if (haz <= 3) return 'normal';
  return 'tall';
}

/** Length/height for age: the child's readings over the WHO lines at the same ages; a tap on a point tells its reading. */
export function GrowthChart({ items }) {
  const [ref, W] = useWidth(640);
  const [picked, setPicked] = useState(null);
  const pts = (items ?? []).filter((m) => m.lengthHeightCm !== null && m.ageDays !== null);
  if (!pts.length) return html`<p>${t('empty')}</p>`;
  const narrow = W < 480;
  const H = narrow ? 260 : 300, L = 40, R = 34, T = 10, B = 40;
  const months = pts.map((p) => p.ageDays / 30.4375);
  const values = pts.flatMap((p) => [p.lengthHeightCm, ...LINES.map((l) => p.reference?.lengthHeightCm?.[l.z]).filter((v) => v !== null && v !== undefined)]);
  let x0 = Math.floor(Math.min(...months)) - 1;
  const x1 = Math.ceil(Math.max(...months)) + 1;
  const y0 = Math.floor(Math.min(...values)) - 2, y1 = Math.ceil(Math.max(...values)) + 2;
  if (x0 < 0) x0 = 0;
  const sx = (m) => L + ((m - x0) / (x1 - x0 || 1)) * (W - L - R);
  const sy = (v) => T + (1 - (v - y0) / (y1 - y0 || 1)) * (H - T - B);
  const path = (vals) => vals.map(([m, v], i) => `${i ? 'L' : 'M'}${sx(m).toFixed(1)},${sy(v).toFixed(1)}`).join(' ');
  const yStep = (y1 - y0) / (narrow ? 4 : 7) > 5 ? 10 : 5;
  const yTicks = [];
  for (let v = Math.ceil(y0 / yStep) * yStep; v <= y1; v += yStep) yTicks.push(v);
  const span = x1 - x0;
  const step = span > (narrow ? 8 : 12) ? 6 : span > 4 ? 2 : 1;
  const xTicks = [];
  for (let m = Math.ceil(x0 / step) * step; m <= x1; m += step) xTicks.push(m);
  const last = pts[pts.length - 1];
  const category = hazCategory(last.haz);
  const reading = (p) =>
    `${formatDate(p.measuredAt)}: ${formatNumber(p.lengthHeightCm, 1)} cm, ${formatNumber(p.ageDays / 30.4375, 1)} ${t('months')}, ${t('haz')} ${formatNumber(p.haz)}${hazCategory(p.haz) ? ` (${t(`hazcat_${hazCategory(p.haz)}`)})` : ''}`;
  const shown = picked !== null ? pts[picked] : null;
  return html`<figure class="chart growth">
    <div class="latest">
      <span class="z">${t('haz')} ${formatNumber(last.haz)}</span>
      ${category ? html`<span class=${`badge hazcat-${category}`}>${t(`hazcat_${category}`)}</span>` : null}
      <span class="muted">${formatDate(last.measuredAt)}</span>
    </div>
    <div class="chart-box" ref=${ref}><svg width=${W} height=${H} viewBox="0 0 ${W} ${H}" role="group" aria-label=${t('growth')}>
      ${yTicks.map((v) => html`<g aria-hidden="true"><line class="grid" x1=${L} x2=${W - R} y1=${sy(v)} y2=${sy(v)} /><text class="tick" x=${L - 5} y=${sy(v) + 4} text-anchor="end">${v}</text></g>`)}
      ${xTicks.map((m) => html`<text aria-hidden="true" class="tick" x=${sx(m)} y=${H - B + 16} text-anchor="middle">${m}</text>`)}
      <text aria-hidden="true" class="axis" x=${(L + W - R) / 2} y=${H - 6} text-anchor="middle">${t('ageMonths')}</text>
      <text aria-hidden="true" class="axis" transform="rotate(-90)" x=${-(T + H - B) / 2} y="12" text-anchor="middle">cm</text>
      ${LINES.map((l) => {
        const vals = pts.map((p, i) => [months[i], p.reference?.lengthHeightCm?.[l.z]]).filter(([, v]) => v !== null && v !== undefined);
        if (!vals.length) return null;
        const [lm, lv] = vals[vals.length - 1];
        return html`<g aria-hidden="true"><path class="ref ${l.cls}" d=${vals.length > 1 ? path(vals) : `M${sx(lm) - 8},${sy(lv)} L${sx(lm) + 8},${sy(lv)}`} /><text class="ref-label" x=${Math.min(sx(lm) + 6, W - R + 4)} y=${sy(lv) + 4}>${l.label}</text></g>`;
      })}
      <path class="child" aria-hidden="true" d=${path(pts.map((p, i) => [months[i], p.lengthHeightCm]))} />
      ${pts.map((p, i) => html`<g class=${picked === i ? 'pt-hit picked' : 'pt-hit'} role="button" tabindex="0" aria-label=${reading(p)} aria-pressed=${picked === i ? 'true' : 'false'}
          onClick=${() => setPicked(picked === i ? null : i)} onKeyDown=${(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); setPicked(picked === i ? null : i); } }}>
        <circle class="hit" cx=${sx(months[i])} cy=${sy(p.lengthHeightCm)} r="14" />
        <circle class=${p.haz !== null && p.haz < -2 ? 'pt stunted' : 'pt'} cx=${sx(months[i])} cy=${sy(p.lengthHeightCm)} r=${picked === i ? 8 : 6} />
      </g>`)}
    </svg></div>
    <p class="reading" aria-live="polite">${shown ? reading(shown) : t('tapPoint')}</p>
    <figcaption>${t('growthHelp')}</figcaption>
  </figure>`;
}

/** Budget against money spent, per intervention type: the programme's name and the amounts in words, over its two bars. */
export function SpendChart({ rows }) {
  if (!rows?.length) return html`<p>${t('empty')}</p>`;
  const max = Math.max(1, ...rows.map((r) => Math.max(r.budgetIdr ?? 0, r.spentIdr ?? 0)));
  const pct = (v) => Math.max(0.5, (100 * (v ?? 0)) / max).toFixed(2);
  const name = (r) => (lang() === 'en' ? (r.nameEn ?? r.name) : r.name) ?? r.catalogueCode;
  return html`<figure class="chart spend">
    <ul class="spend-rows">${rows.map((r) => html`<li>
      <p class="spend-name">${name(r)}</p>
      <p class="spend-amounts">${t('spent')} ${formatRupiah(r.spentIdr)} · ${t('budget')} ${formatRupiah(r.budgetIdr)}</p>
      <svg class="bars" viewBox="0 0 100 28" preserveAspectRatio="none" aria-hidden="true" focusable="false">
        <rect class="bar-budget" x="0" y="0" height="15" width=${pct(r.budgetIdr)} /><rect class="bar-spent" x="0" y="18" height="10" width=${pct(r.spentIdr)} />
      </svg>
    </li>`)}</ul>
    <figcaption><span class="key key-budget"></span>${t('budget')} <span class="key key-spent"></span>${t('spent')}</figcaption>
  </figure>`;
}

/**
 * Register prevalence of regions side by side (one bar each), the target as a dashed line when
 * one is comparable. A suppressed rate (too few children measured) is a hatched stub, not a bar.
 */
export function RegionBars({ rows, target, label }) {
  const [ref, W] = useWidth(640);
  if (!rows?.length) return html`<p>${t('empty')}</p>`;
  const rowH = 26, L = Math.min(170, Math.floor(W * 0.42)), R = 56, T = 6, B = 22;
  const H = T + B + rows.length * rowH;
  const max = Math.max(5, target ?? 0, ...rows.map((r) => r.prevalence ?? 0)) * 1.1;
  const sx = (v) => L + (v / max) * (W - L - R);
  const name = (r) => r.regionName ?? r.regionCode;
  return html`<figure class="chart region-bars">
    <div class="chart-box" ref=${ref}><svg width=${W} height=${H} viewBox="0 0 ${W} ${H}" role="img" aria-label=${label}>
      ${rows.map((r, i) => {
        const y = T + i * rowH;
        const text = r.suppressed ? t('suppressed') : `${formatNumber(r.prevalence, 1)}%`;
        return html`<g>
          <text class="tick" x=${L - 6} y=${y + 17} text-anchor="end">${name(r).length > 24 ? `${name(r).slice(0, 23)}…` : name(r)}</text>
          ${r.suppressed
            ? html`<rect class="bar-suppressed" x=${L} y=${y + 5} height="14" width="10" />`
            : html`<rect class=${target !== null && target !== undefined && r.prevalence > target ? 'bar-over' : 'bar-under'} x=${L} y=${y + 5} height="14" width=${Math.max(1, sx(r.prevalence) - L)} />`}
          <text class="tick" x=${(r.suppressed ? L + 14 : sx(r.prevalence) + 4)} y=${y + 17}>${text}</text>
        </g>`;
      })}
      ${target !== null && target !== undefined
        ? html`<g><line class="target-line" x1=${sx(target)} x2=${sx(target)} y1=${T} y2=${H - B + 4} /><text class="tick" x=${sx(target)} y=${H - 4} text-anchor="middle">${t('target')} ${formatNumber(target, 1)}%</text></g>`
        : null}
    </svg></div>
    <figcaption>${t('registerNotSurvey')}</figcaption>
  </figure>`;
}

/**
 * One region's register prevalence month by month, the target as a dashed line and survey figures
 * (SSGI/SKI) as separate labelled points at mid-year, never joined to the register line.
 */
export function PrevalenceTrend({ rows, target, surveys, label }) {
  const [ref, W] = useWidth(640);
  const pts = (rows ?? []).filter((r) => r.prevalence !== null);
  if (!pts.length) return html`<p>${t('prevNoRate')}</p>`;
  const narrow = W < 480;
  const H = narrow ? 200 : 230, L = 38, R = 16, T = 10, B = 34;
  const periods = rows.map((r) => r.period);
  const idx = (p) => periods.indexOf(p);
  const values = [...pts.map((r) => r.prevalence), ...(target !== null && target !== undefined ? [target] : []), ...(surveys ?? []).map((s) => s.value)];
  const y1 = Math.ceil(Math.max(5, ...values) * 1.15);
  const sx = (i) => L + (periods.length === 1 ? 0.5 : i / (periods.length - 1)) * (W - L - R);
  const sy = (v) => T + (1 - v / y1) * (H - T - B);
  const path = pts.map((r, i) => `${i ? 'L' : 'M'}${sx(idx(r.period)).toFixed(1)},${sy(r.prevalence).toFixed(1)}`).join(' ');
  const every = Math.ceil(periods.length / (narrow ? 4 : 8));
  const yTicks = [0, y1 / 2, y1].map((v) => Math.round(v));
  const surveyPts = (surveys ?? [])
    .map((s) => ({ s, i: periods.findIndex((p) => p.startsWith(String(s.year))) }))
    .filter((x) => x.i >= 0);
  return html`<figure class="chart trend">
    <div class="chart-box" ref=${ref}><svg width=${W} height=${H} viewBox="0 0 ${W} ${H}" role="img" aria-label=${label}>
      ${yTicks.map((v) => html`<g aria-hidden="true"><line class="grid" x1=${L} x2=${W - R} y1=${sy(v)} y2=${sy(v)} /><text class="tick" x=${L - 5} y=${sy(v) + 4} text-anchor="end">${v}%</text></g>`)}
      ${periods.map((p, i) => (i % every === 0 ? html`<text aria-hidden="true" class="tick" x=${sx(i)} y=${H - B + 16} text-anchor="middle">${p.slice(2).replace('-', '/')}</text>` : null))}
      ${target !== null && target !== undefined ? html`<line class="target-line" x1=${L} x2=${W - R} y1=${sy(target)} y2=${sy(target)} />` : null}
      <path class="line-register" d=${path} fill="none" />
      ${pts.map((r) => html`<circle class="pt-register" cx=${sx(idx(r.period))} cy=${sy(r.prevalence)} r="3"><title>${r.period}: ${formatNumber(r.prevalence, 2)}% (${r.stunted}/${r.measured})</title></circle>`)}
      ${surveyPts.map(({ s, i }) => html`<rect class="pt-survey" x=${sx(i) - 4} y=${sy(s.value) - 4} width="8" height="8"><title>${s.source} ${s.year}: ${formatNumber(s.value, 1)}%</title></rect>`)}
    </svg></div>
    <figcaption><span class="key key-register"></span>${t('registerRate')}
      ${target !== null && target !== undefined ? html` <span class="key key-target"></span>${t('target')} ${formatNumber(target, 1)}%` : null}
      ${surveyPts.length ? html` <span class="key key-survey"></span>${t('surveyFigure')} (${[...new Set(surveyPts.map((x) => x.s.source))].join(', ')})` : null}</figcaption>
  </figure>`;
}
