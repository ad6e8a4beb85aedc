/**
 * Structure of a NIK (domain brief §4.6): 16 digits; 1-6 the kecamatan code at registration;
 * 7-12 the birth date as DDMMYY with 40 added to DD for women; 13-16 a serial, never 0000.
 * Returns why a number is not a NIK, or null. Domicile is deliberately not compared: people move.
 */
export function nikProblem(nik: string, isDistrict: (code: string) => boolean): string | null {
  if (!/^[0-9]{16}$/.test(nik)) return 'must be exactly 16 digits';
  if (!isDistrict(nik.slice(0, 6))) return 'does not start with a valid kecamatan code';
  let day = Number(nik.slice(6, 8));
  if (day > 40) day -= 40;
  const month = Number(nik.slice(8, 10));
  const yy = Number(nik.slice(10, 12));
  if (month < 1 || month > 12 || day < 1) return 'does not hold a valid birth date (digits 7-12, DDMMYY)';
  // The century is not encoded; a date valid in either century is accepted (29 Feb in year 00).
  const valid = [1900 + yy, 2000 + yy].some((y) => day <= new Date(Date.UTC(y, month, 0)).getUTCDate());
  if (!valid) return 'does not hold a valid birth date (digits 7-12, DDMMYY)';
  if (nik.slice(12) === '0000') return 'has an invalid serial number (last 4 digits 0000)';
  return null;
}
