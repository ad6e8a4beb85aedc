// Dates in Indonesian format, times in the district's own zone, money in rupiah.
import { lang } from './i18n.js';

/** The same rule as utcOffsetHours in src/modules/escalation/working-days.ts (keep them equal). */
export function utcOffsetHours(regencyCode) {
  const province = Number(String(regencyCode ?? '').slice(0, 2));
  if (province >= 81) return 9;
  if (province >= 51 && province <= 53) return 8;
  if (province >= 63 && province <= 76) return 8;
  return 7;
}

export const zoneName = (regencyCode) => ({ 7: 'WIB', 8: 'WITA', 9: 'WIT' })[utcOffsetHours(regencyCode)];
const ianaZone = (regencyCode) => ({ 7: 'Asia/Jakarta', 8: 'Asia/Makassar', 9: 'Asia/Jayapura' })[utcOffsetHours(regencyCode)];
const locale = () => (lang() === 'en' ? 'en-GB' : 'id-ID');

/** A calendar date (YYYY-MM-DD or an instant's day): "26 November 2026". */
export function formatDate(value) {
  if (!value) return '–';
  const d = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : new Date(value);
  return new Intl.DateTimeFormat(locale(), { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(d);
}

/** An instant in the regency's zone: "26 Nov 2026 14.05 WIB". */
export function formatDateTime(iso, regencyCode) {
  if (!iso) return '–';
  const text = new Intl.DateTimeFormat(locale(), { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: ianaZone(regencyCode) }).format(new Date(iso));
  return `${text} ${zoneName(regencyCode)}`;
}

export function formatRupiah(amount) {
  if (amount === null || amount === undefined) return '–';
  return new Intl.NumberFormat('id-ID', { style: 'currency', currency: 'IDR', maximumFractionDigits: 0 }).format(amount);
}

export const formatNumber = (n, digits = 2) => (n === null || n === undefined ? '–' : new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(n));

/** Today in the regency's zone, as YYYY-MM-DD (for date inputs). */
export function todayIn(regencyCode) {
  return new Date(Date.now() + utcOffsetHours(regencyCode) * 3_600_000).toISOString().slice(0, 10);
}
