import type { ValidationError } from '@nestjs/common';
import type { FieldProblem } from './domain-error.js';

/**
 * One reason per field, the most basic first: an unknown field, then a missing one, then the
 * wrong type, then the wrong format or value, then the range. Reasons are plain English here and
 * put into Indonesian by `inIndonesian` when the client asks for it (Accept-Language: id).
 */

type Rank = 0 | 1 | 2 | 3 | 4;
const TYPE_KEYS = new Set(['isString', 'isNumber', 'isInt', 'isBoolean', 'isArray', 'isObject', 'nestedValidation', 'isDefined']);
const RANGE_KEYS = new Set(['min', 'max', 'minLength', 'maxLength', 'arrayMinSize', 'arrayMaxSize', 'arrayUnique', 'arrayNotEmpty', 'isNotEmpty']);

function rank(key: string): Rank {
  if (key === 'whitelistValidation') return 0;
  if (TYPE_KEYS.has(key)) return 2;
  if (RANGE_KEYS.has(key)) return 4;
  return 3;
}

const num = (m: string) => /(-?\d+(?:\.\d+)?)/.exec(m)?.[1] ?? '';

/** class-validator's own wording, reworded; a DTO's own message is kept as it is written. */
const DEFAULTS: Record<string, { is: RegExp; say: (m: string) => string }> = {
  isString: { is: /must be a string$/, say: () => 'must be text' },
  isNumber: { is: /must be a number conforming to the specified constraints$/, say: () => 'must be a number' },
  isInt: { is: /must be an integer number$/, say: () => 'must be a whole number' },
  isBoolean: { is: /must be a boolean value$/, say: () => 'must be true or false' },
  isArray: { is: /must be an array$/, say: () => 'must be a list' },
  isObject: { is: /must be an object$/, say: () => 'must be an object' },
  nestedValidation: { is: /must be either object or array$/, say: () => 'must be an object' },
  isNotEmpty: { is: /should not be empty$/, say: () => 'must not be empty' },
  isUuid: { is: /must be a UUID$/, say: () => 'must be a UUID' },
  isEmail: { is: /must be an email$/, say: () => 'must be an e-mail address' },
  isUrl: { is: /must be a URL address$/, say: () => 'must be an http(s) URL' },
  isIso8601: { is: /must be a valid ISO 8601 date string$/, say: () => 'must be an ISO 8601 date or date-time' },
  min: { is: /must not be less than/, say: (m) => `must be at least ${num(m)}` },
  max: { is: /must not be greater than/, say: (m) => `must be at most ${num(m)}` },
  minLength: { is: /must be longer than or equal to/, say: (m) => `must be at least ${num(m)} characters` },
  maxLength: { is: /must be shorter than or equal to/, say: (m) => `must be at most ${num(m)} characters` },
  arrayMinSize: { is: /must contain at least/, say: (m) => `must list at least ${num(m)} item${num(m) === '1' ? '' : 's'}` },
  arrayMaxSize: { is: /must contain no more than/, say: (m) => `must list at most ${num(m)} items` },
  arrayUnique: { is: /elements must be unique$/, say: () => 'must not list the same item twice' },
  whitelistValidation: { is: /should not exist$/, say: () => 'is not a field of this request' },
};

/** Whether a message is class-validator's own wording, which reasonFor rewords (and inIndonesian knows). */
export function isLibraryWording(message: string): boolean {
  return Object.values(DEFAULTS).some((d) => d.is.test(message));
}

/** "weightKg must be …" → "must be …": the field is named beside the reason already. */
function withoutField(property: string, message: string): string {
  for (const prefix of [`${property} `, `each value in ${property} `, `nested property ${property} `]) {
    if (message.startsWith(prefix)) return message.slice(prefix.length);
  }
  return message;
}

function reasonFor(e: ValidationError): string {
  const entries = Object.entries(e.constraints ?? {});
  const unknown = entries.find(([k]) => k === 'whitelistValidation');
  if (unknown) return DEFAULTS.whitelistValidation.say(unknown[1]);
  if (e.value === undefined || e.value === null) return 'is required';
  const [key, message] = entries.sort(([a], [b]) => rank(a) - rank(b))[0];
  // "10,6" is the commonest wrong number in an Indonesian spreadsheet: say how to write it.
  if ((key === 'isNumber' || key === 'isInt') && typeof e.value === 'string' && /^-?\d+,\d+$/.test(e.value.trim())) {
    return `must be a number, written with a decimal point (${e.value.trim().replace(',', '.')}), not a comma`;
  }
  const known = DEFAULTS[key];
  if (known && known.is.test(message)) return known.say(message);
  return withoutField(e.property, message);
}

/** class-validator's error tree → one problem per field, dotted for nested ones (recommendations.0.opdCode). */
export function fieldProblems(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = e.constraints && Object.keys(e.constraints).length ? [{ field, reason: reasonFor(e) }] : [];
    // A missing or wrongly typed parent says it all; its children's reasons would only repeat it.
    if (own.length) return own;
    return fieldProblems(e.children ?? [], field);
  });
}

/** English reason → Indonesian. Each entry covers one wording; `$1`… are carried over. */
const ID: [RegExp, string][] = [
  // the validation pipe's own
  [/^is required$/, 'wajib diisi'],
  [/^is not a field of this request$/, 'bukan isian yang dikenal di permintaan ini'],
  [/^must be text$/, 'harus berupa teks'],
  [/^must be a number$/, 'harus berupa angka'],
  [/^must be a number, written with a decimal point \((.+)\), not a comma$/, 'harus berupa angka dengan titik desimal ($1), bukan koma'],
  [/^must be a whole number$/, 'harus berupa bilangan bulat'],
  [/^must be a whole number of rupiah$/, 'harus berupa rupiah tanpa pecahan'],
  [/^must be true or false$/, 'harus true atau false'],
  [/^must be a list$/, 'harus berupa daftar (array)'],
  [/^must be an object$/, 'harus berupa objek'],
  [/^must be a JSON object$/, 'harus berupa objek JSON'],
  [/^must not be empty$/, 'tidak boleh kosong'],
  [/^must be a UUID$/, 'harus berupa UUID'],
  [/^must be an e-mail address$/, 'harus berupa alamat e-mail'],
  [/^must be an http\(s\) URL$/, 'harus berupa URL http(s)'],
  [/^must be an ISO 8601 date or date-time$/, 'harus berupa tanggal (YYYY-MM-DD) atau tanggal-waktu ISO 8601'],
  [/^must be a date as YYYY-MM-DD$/, 'harus berupa tanggal YYYY-MM-DD'],
  [/^must be a YYYY-MM-DD date$/, 'harus berupa tanggal YYYY-MM-DD'],
  [/^must be at least (-?[\d.]+)$/, 'paling kecil $1'],
  [/^must be at most (-?[\d.]+)$/, 'paling besar $1'],
  [/^must be at least (\d+) characters$/, 'paling sedikit $1 karakter'],
  [/^must be at most (\d+) characters$/, 'paling banyak $1 karakter'],
  [/^must list at least (\d+) items?$/, 'harus berisi paling sedikit $1 butir'],
  [/^must list at least one item$/, 'harus berisi paling sedikit 1 butir'],
  [/^must list at most (\d+) items$/, 'paling banyak $1 butir'],
  [/^must not list the same item twice$/, 'tidak boleh berisi butir yang sama dua kali'],
  [/^must be one of (.+)$/, 'harus salah satu dari $1'],
  [/^must be M or F \(L or P\)$/, 'harus M atau F (L atau P)'],
  [/^must be recumbent or standing \(terlentang or berdiri\)$/, 'harus recumbent atau standing (terlentang atau berdiri)'],
  [/^give opdCode or opdId, not both$/, 'isi opdCode atau opdId, jangan keduanya'],
  [/^is required for an opd_liaison \(or give opdId\)$/, 'wajib untuk opd_liaison (atau isi opdId)'],
  [/^must be ([A-Za-z0-9_]+) or ([A-Za-z0-9_]+)$/, 'harus $1 atau $2'],
  [/^must be ([A-Za-z0-9_]+), ([A-Za-z0-9_]+) or ([A-Za-z0-9_]+)$/, 'harus $1, $2 atau $3'],
  [/^must be ([A-Za-z0-9_]+)$/, 'harus $1'],
  [/^must be (\d+): levels count up from 1$/, 'harus $1: tingkat dihitung naik dari 1'],
  [/^must be a (\d)-digit regency code$/, 'harus berupa kode kabupaten/kota $1 digit'],
  [/^must be a (\d+)-digit village code$/, 'harus berupa kode desa/kelurahan $1 digit'],
  [/^must be a 2-, 4- or 6-digit region code$/, 'harus berupa kode wilayah 2, 4 atau 6 digit'],
  [/^must be a 6-digit kecamatan code$/, 'harus berupa kode kecamatan 6 digit'],
  [/^needs a step from 0 months$/, 'perlu satu langkah mulai umur 0 bulan'],
  [/^has two steps from the same month$/, 'punya dua langkah mulai dari bulan yang sama'],
  [/^must be a 4-digit regency code$/, 'harus berupa kode kabupaten/kota 4 digit'],
  [/^must be a regency code$/, 'harus berupa kode kabupaten/kota'],
  [/^must be exactly 16 digits$/, 'harus tepat 16 digit'],
  [/^must be a string of 16 digits$/, 'harus berupa teks 16 digit'],
  [/^must be an OPD code such as DINKES$/, 'harus berupa kode OPD, misalnya DINKES'],
  [/^must be a catalogue code such as ([A-Z_]+)$/, 'harus berupa kode katalog, misalnya $1'],
  [/^must be a catalogue code$/, 'harus berupa kode katalog'],
  [/^must be 2-(\d+) characters of A-Z, 0-9,? (?:and )?_$/, 'harus 2-$1 karakter A-Z, 0-9 dan _'],
  [/^must be 3-64 characters of a-z, 0-9, "\.", "_" or "-"$/, 'harus 3-64 karakter a-z, 0-9, ".", "_" atau "-"'],
  [/^must look like 2026-S1 or 2026-S2$/, 'harus seperti 2026-S1 atau 2026-S2'],
  [/^must be a cause code$/, 'harus berupa kode penyebab'],
  [/^must be an action name$/, 'harus berupa nama tindakan'],
  [/^must be me or a user id$/, 'harus me atau id pengguna'],
  [/^must be 8-128 characters of A-Z a-z 0-9 \. _ : -$/, 'harus 8-128 karakter A-Z a-z 0-9 . _ : -'],
  [/^must be the version you last read, e\.g\. "3"$/, 'harus versi yang terakhir Anda baca, misalnya "3"'],
  [/^must be at most (\d+) characters$/, 'paling banyak $1 karakter'],
  [/^(?:each )?(?:holiday )?must be a YYYY-MM-DD date$/, 'harus berupa tanggal YYYY-MM-DD'],
  [/^(.+) must be a 4-digit regency code$/, 'harus berupa kode kabupaten/kota 4 digit'],
  [/^(.+) must be one of (.+)$/, 'harus salah satu dari $2'],
  [/^(.+) must be a YYYY-MM-DD date$/, 'harus berupa tanggal YYYY-MM-DD'],
  [/^(.+) must be a cause code$/, 'harus berupa kode penyebab'],
  [/^(.+) must be BALITA, BADUTA, IBU_HAMIL, IBU_NIFAS or CATIN$/, 'harus BALITA, BADUTA, IBU_HAMIL, IBU_NIFAS atau CATIN'],
  [/^is not a Kemendagri regency code$/, 'bukan kode kabupaten/kota Kemendagri'],
  [/^is not a Kemendagri village code$/, 'bukan kode desa/kelurahan Kemendagri'],
  [/^is not in regency (\d+)$/, 'tidak berada di kabupaten/kota $1'],
  [/^is required for the role (\w+)$/, 'wajib untuk peran $1'],
  [/^is required for an? (\w+)$/, 'wajib untuk $1'],
  [/^is required for a national admin$/, 'wajib untuk admin nasional'],
  [/^is only for the role (\w+)$/, 'hanya untuk peran $1'],
  [/^is not an OPD of this regency$/, 'bukan OPD kabupaten/kota ini'],
  [/^is not an OPD of regency (\d+)$/, 'bukan OPD kabupaten/kota $1'],
  [/^names no OPD of regency (\d+)$/, 'tidak menyebut OPD kabupaten/kota $1'],
  [/^is the OPD that declined the task: name another$/, 'adalah OPD yang menolak tugas ini: sebut OPD lain'],
  [/^is not a sponsor funding this regency$/, 'bukan sponsor yang mendanai kabupaten/kota ini'],
  [/^is not a sponsor funding regency (\d+)$/, 'bukan sponsor yang mendanai kabupaten/kota $1'],
  [/^is not an active user of this regency$/, 'bukan pengguna aktif kabupaten/kota ini'],
  [/^is not an active user of regency (\d+)$/, 'bukan pengguna aktif kabupaten/kota $1'],
  [/^is not an active case manager of the case regency$/, 'bukan case manager aktif di kabupaten/kota kasus ini'],
  [/^is in the future$/, 'berada di masa depan'],
  [/^is before the subject was born$/, 'sebelum subjek lahir'],
  [/^is before the child was born$/, 'sebelum anak lahir'],
  [/^is after the subject's first reading \((.+)\)$/, 'setelah pengukuran pertama subjek ($1)'],
  [/^is before the intervention was approved$/, 'sebelum intervensi disetujui'],
  [/^is before from$/, 'lebih awal dari from'],
  [/^must not be before the previous rung$/, 'tidak boleh lebih awal dari tingkat sebelumnya'],
  [/^is not a cursor returned by this list$/, 'bukan kursor dari daftar ini'],
  [/^is not a cause code \(see (.+)\)$/, 'bukan kode penyebab (lihat $1)'],
  [/^is not in the catalogue of regency (\d+) \(see (.+)\)$/, 'tidak ada di katalog kabupaten/kota $1 (lihat $2)'],
  [/^is required \(multipart field "file"\)$/, 'wajib diisi (isian multipart "file")'],
  [/^header is required$/, 'header wajib dikirim'],
  [/^header is required here: say why you need this \(for example "(.+)"\)$/, 'header wajib di sini: sebutkan untuk apa data ini (misalnya "$1")'],
  [/^does not start with a valid kecamatan code$/, 'tidak diawali kode kecamatan yang sah'],
  [/^does not hold a valid birth date \(digits 7-12, DDMMYY\)$/, 'tidak memuat tanggal lahir yang sah (digit 7-12, DDMMYY)'],
  [/^has an invalid serial number \(last 4 digits 0000\)$/, 'nomor urutnya tidak sah (4 digit terakhir 0000)'],
  [/^a (\w+) subject must be under (\d+) months old$/, 'subjek $1 harus berumur di bawah $2 bulan'],
  [/^a (\w+) subject must be at least (\d+) years old$/, 'subjek $1 harus berumur paling sedikit $2 tahun'],
  [/^a (\w+) subject must be F$/, 'subjek $1 harus F (perempuan)'],
  [/^only a dead-lettered delivery can be retried(.*)$/, 'hanya pengiriman yang gagal permanen (dead) yang dapat diulang$1'],
  [/^must not contain bidirectional override characters$/, 'tidak boleh memuat karakter pengubah arah teks (bidi)'],
  [/^must contain a visible character$/, 'harus memuat karakter yang terlihat'],
  [/^must have at most (\d+) decimals$/, 'paling banyak $1 angka di belakang koma'],
  [/^must be 1-64 letters, digits, "\." or "-"$/, 'harus 1-64 huruf, angka, "." atau "-"'],
  [/^must be pending, sent, invalid or dead$/, 'harus pending, sent, invalid atau dead'],
  [/^must be 16 digits$/, 'harus 16 digit'],
  [/^must be 1-3 digits$/, 'harus 1-3 digit'],
  [/^must be 1-100 characters$/, 'harus 1-100 karakter'],
  [/^each of villageCodes must be a 10-digit village code$/, 'setiap villageCodes harus berupa kode desa/kelurahan 10 digit'],
  [/^must be YYYY-MM$/, 'harus berupa bulan YYYY-MM'],
  [/^must rise and end before termWeeks$/, 'harus naik dan berakhir sebelum termWeeks'],
  [/^must rise$/, 'harus naik'],
  [/^must be a list of user ids$/, 'harus berupa daftar id pengguna'],
  [/^is not a calendar date$/, 'bukan tanggal kalender yang ada'],
  [/^is not in (\d+)$/, 'tidak berada di $1'],
  [/^name each subject once$/, 'sebut setiap subjek sekali saja'],
  [/^is not a subject of this regency$/, 'bukan subjek kabupaten/kota ini'],
  [/^is required for a member who is not a subject$/, 'wajib untuk anggota yang bukan subjek'],
  [/^gestWeeks and gestRecordedOn go together$/, 'gestWeeks dan gestRecordedOn harus diisi bersama'],
  [/^a pregnancy is recorded on the wife$/, 'kehamilan dicatat pada istri'],
  [/^is larger than (\d+) MiB$/, 'lebih besar dari $1 MiB'],
  [/^is required when the settings are first saved$/, 'wajib diisi saat pengaturan pertama kali disimpan'],
  [/^must be after from$/, 'harus setelah from'],
  [/^only a dead-lettered or invalid export can be retried; this one is (\w+)$/, 'hanya ekspor yang gagal permanen (dead) atau tidak sah (invalid) yang dapat diulang; yang ini $1'],
  [/^name each user once$/, 'sebut setiap pengguna sekali saja'],
  [/^is not an active tpk user of regency (\d+)$/, 'bukan pengguna tpk aktif kabupaten/kota $1'],
  [/^(\d+) is not a village of regency (\d+)$/, '$1 bukan desa/kelurahan di kabupaten/kota $2'],
  [/^a visit needs a familyId, a subjectId or both$/, 'kunjungan memerlukan familyId, subjectId, atau keduanya'],
  [/^NONE cannot be combined with other actions$/, 'NONE tidak dapat digabung dengan tindakan lain'],
  [/^needs the subjectId of the child measured$/, 'memerlukan subjectId anak yang diukur'],
  [/^is not a member of that family$/, 'bukan anggota keluarga itu'],
  [/^is more than a year ago$/, 'lebih dari setahun yang lalu'],
  [/^is taken of a child \(BADUTA or BALITA subject\)$/, 'diambil untuk anak (subjek BADUTA atau BALITA)'],
  [/^screening is for a bride- or groom-to-be \(CATIN subject\)$/, 'skrining untuk calon pengantin (subjek CATIN)'],
  [/^is before the screening$/, 'sebelum skrining'],
  [/^is required for a national user$/, 'wajib untuk pengguna nasional'],
  [/^is required for a TPK member: one of your villages$/, 'wajib untuk anggota TPK: salah satu desa/kelurahan Anda'],
  [/^is required for a user not bound to one regency$/, 'wajib untuk pengguna yang tidak terikat pada satu kabupaten/kota'],
  [/^must be a 2-digit province code$/, 'harus berupa kode provinsi 2 digit'],
  [/^is not a Kemendagri province code$/, 'bukan kode provinsi Kemendagri'],
  [/^give regencyCode or provinceCode, not both$/, 'isi regencyCode atau provinceCode, jangan keduanya'],
  [/^is only for the roles viewer and admin: a (\w+) is bound to a regency$/, 'hanya untuk peran viewer dan admin: $1 terikat pada satu kabupaten/kota'],
  [/^is required: a regency, kecamatan or village code$/, 'wajib diisi: kode kabupaten/kota, kecamatan, atau desa/kelurahan'],
  [/^is required for a national or province user$/, 'wajib untuk pengguna nasional atau provinsi'],
  [/^names a target group twice$/, 'menyebut kelompok sasaran yang sama dua kali'],
  [/^names an item twice in its group$/, 'menyebut butir yang sama dua kali dalam kelompoknya'],
  [/^ages apply to BADUTA and BALITA items only$/, 'umur hanya berlaku untuk butir BADUTA dan BALITA'],
  [/^must be above fromAgeMonths$/, 'harus lebih besar dari fromAgeMonths'],
  [/^is required for (\w+) evidence$/, 'wajib untuk bukti $1'],
  [/^does not apply to (\w+) evidence$/, 'tidak berlaku untuk bukti $1'],
  [/^is not a catalogue code of regency (\d+)$/, 'bukan kode katalog kabupaten/kota $1'],
  [/^must list every target group it changes at least once$/, 'harus menyebut setiap kelompok sasaran yang diubah paling sedikit sekali'],
  [/^is a village: ask level=desa$/, 'adalah desa/kelurahan: minta level=desa'],
  [/^must be desa or kecamatan$/, 'harus desa atau kecamatan'],
  [/^must be a 2-, 4-, 6- or 10-digit region code$/, 'harus berupa kode wilayah 2, 4, 6 atau 10 digit'],
  [/^must be a region at or above the (\S+) level$/, 'harus wilayah pada tingkat $1 atau di atasnya'],
  [/^must be a regency or kecamatan code for the desa level$/, 'harus kode kabupaten/kota atau kecamatan untuk tingkat desa'],
  [/^must not be after to$/, 'tidak boleh setelah to'],
  [/^must be at most (\d+) months after from$/, 'paling lama $1 bulan setelah from'],
  [/^low must not be above high$/, 'low tidak boleh lebih besar dari high'],
  [/^must be kecamatan or desa$/, 'harus kecamatan atau desa'],
  [/^must be a 2, 4, 6 or 10-digit region code$/, 'harus kode wilayah 2, 4, 6 atau 10 digit'],
  [/^must be a 2, 4, 6 or 10-digit region code, or ID for the nation$/, 'harus kode wilayah 2, 4, 6 atau 10 digit, atau ID untuk nasional'],
  [/^must be a 2 or 4-digit region code, or empty for the nation$/, 'harus kode wilayah 2 atau 4 digit, atau kosong untuk nasional'],  // Master Ansit (issue 19 part 3)
  [/^must be 2 to 40 upper-case letters, digits or _$/, 'harus 2 sampai 40 huruf besar, angka atau _'],
  [/^must be a number or null$/, 'harus berupa angka atau null'],
  [/^is not an indicator of regency (\d+)$/, 'bukan indikator kabupaten/kota $1'],
  [/^is listed twice$/, 'tercantum dua kali'],
  [/^is not an OPD code of regency (\d+)$/, 'bukan kode OPD kabupaten/kota $1'],
  [/^is not an OPD code of the catalogue$/, 'bukan kode OPD dalam katalog'],
  // 8 Aksi (issue 19)
  [/^must be a 2 or 4-digit region code$/, 'harus kode wilayah 2 atau 4 digit'],
  [/^is not a real calendar day$/, 'bukan tanggal kalender yang ada'],
  [/^must not be before (uploadDeadline|verificationDate)$/, 'tidak boleh sebelum $1'],
  [/^must add up to 100, not (\d+)$/, 'jumlahnya harus 100, bukan $1'],
  [/^must be a number with at most 2 decimals$/, 'harus berupa angka dengan paling banyak 2 desimal'],
  [/^must give points for at least one of documents, presentation, field$/, 'harus memberi nilai untuk sedikitnya satu dari documents, presentation, field'],
  [/^is required for a user not bound to one regency: name the regency \(4 digits\)$/, 'wajib untuk pengguna yang tidak terikat pada satu kabupaten/kota: sebutkan kabupaten/kotanya (4 digit)'],
  [/^must not list an action twice$/, 'tidak boleh menyebut aksi yang sama dua kali'],
  [/^is required: regency (\d+) has no BAPPEDA OPD to default to$/, 'wajib diisi: kabupaten/kota $1 tidak punya OPD BAPPEDA sebagai bawaan'],
];

/** The Indonesian wording of an English reason, or the English one when none is known. */
export function inIndonesian(reason: string): string {
  for (const [en, id] of ID) {
    const m = en.exec(reason);
    if (m) return id.replace(/\$(\d)/g, (_, i: string) => m[Number(i)] ?? '');
  }
  return reason;
}

export function hasIndonesian(reason: string): boolean {
  return ID.some(([en]) => en.test(reason));
}

export type Language = 'en' | 'id';

/** Indonesian when Accept-Language prefers it over English (`id`, `id-ID`, `id;q=1, en;q=0.5`). */
export function languageOf(acceptLanguage: string | undefined): Language {
  if (!acceptLanguage) return 'en';
  const ranked = acceptLanguage
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean);
      return { lang: tag.split('-')[0], q: q === undefined ? 1 : Number(q) };
    })
    .filter((x) => x.lang === 'id' || x.lang === 'en' || x.lang === 'in')
    .sort((a, b) => b.q - a.q);
  return ranked[0] && ranked[0].lang !== 'en' && ranked[0].q > 0 ? 'id' : 'en';
}
