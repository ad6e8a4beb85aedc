// Words of the TPK screens, in both languages; the console's own t() is used for shared words.
import { lang } from '../i18n.js';

const id = {
  dayTitle: 'Kunjungan hari ini', dayHelp: 'Kunjungan yang jatuh tempo (dan terlambat) di desa Anda, yang paling mendesak di atas.',
  until: 'Sampai tanggal', dueOn: 'Jatuh tempo', visit: 'Kunjungan', person: 'Sasaran', level: 'Eskalasi', record: 'Catat kunjungan',
  family: 'Keluarga', familyTitle: 'Keluarga', members: 'Anggota', assessments: 'Penilaian KRS', visits: 'Kunjungan', relation: 'Hubungan',
  pregnancy: 'Usia kehamilan', weeks: 'minggu', period: 'Periode', krs: 'KRS', yes: 'Ya', no: 'Tidak', transition: 'Status', policy: 'Versi aturan',
  kind: 'Jenis', actions: 'Tindakan', visitedOn: 'Tanggal kunjungan', notes: 'Catatan', measurement: 'Pengukuran (anak)', weight: 'Berat (kg)',
  height: 'Panjang/tinggi (cm)', method: 'Cara ukur', recumbent: 'Terlentang', standing: 'Berdiri', saved: 'Kunjungan tersimpan.',
  offlineHint: 'Tidak tersambung. Kunjungan tetap tersimpan di ponsel ini; kirim lagi saat ada sinyal, kunjungan tidak akan tercatat dua kali.',
  late: 'terlambat dicatat', head: 'Kepala keluarga', priority: 'Prioritas kesejahteraan', none: 'Tidak ada data.',
  g_BUMIL: 'Ibu hamil', g_NIFAS: 'Ibu nifas', g_BADUTA: 'Baduta', g_BALITA: 'Balita', g_CATIN: 'Calon pengantin', g_PUS: 'PUS',
  k_RUMAH: 'Kunjungan rumah', k_POSYANDU: 'Posyandu', k_VERVAL: 'Verval', k_TELEPON: 'Telepon',
  a_KIE: 'KIE', a_RUJUKAN: 'Rujukan', a_BANSOS: 'Bansos', a_PMT: 'PMT', a_ELSIMIL: 'Elsimil', a_EPPGBM: 'e-PPGBM', a_BAAS: 'BAAS', a_GENTING: 'GENTING', a_NONE: 'Tidak ada',
  t_BARU: 'Baru', t_LAMA: 'Lama', t_KELUAR: 'Keluar', t_TETAP_NON: 'Bukan KRS',
};
const en = {
  dayTitle: "Today's visits", dayHelp: 'Visits due (and overdue) in your villages, the most urgent first.',
  until: 'Until', dueOn: 'Due', visit: 'Visit', person: 'Person', level: 'Escalation', record: 'Record visit',
  family: 'Family', familyTitle: 'Family', members: 'Members', assessments: 'KRS assessments', visits: 'Visits', relation: 'Relation',
  pregnancy: 'Gestation', weeks: 'weeks', period: 'Period', krs: 'At risk', yes: 'Yes', no: 'No', transition: 'Status', policy: 'Rule version',
  kind: 'Kind', actions: 'Actions', visitedOn: 'Visit day', notes: 'Notes', measurement: 'Measurement (child)', weight: 'Weight (kg)',
  height: 'Length/height (cm)', method: 'Position', recumbent: 'Lying', standing: 'Standing', saved: 'Visit saved.',
  offlineHint: 'No connection. The visit stays on this phone; send it again when you have signal: it will not be recorded twice.',
  late: 'recorded late', head: 'Head of family', priority: 'Welfare priority', none: 'No data.',
  g_BUMIL: 'Pregnant', g_NIFAS: 'Post-partum', g_BADUTA: 'Under two', g_BALITA: 'Under five', g_CATIN: 'Bride/groom-to-be', g_PUS: 'Couple',
  k_RUMAH: 'Home visit', k_POSYANDU: 'Posyandu', k_VERVAL: 'Verval', k_TELEPON: 'Phone',
  a_KIE: 'Counselling', a_RUJUKAN: 'Referral', a_BANSOS: 'Social aid', a_PMT: 'Food supplement', a_ELSIMIL: 'Elsimil', a_EPPGBM: 'e-PPGBM', a_BAAS: 'BAAS', a_GENTING: 'GENTING', a_NONE: 'None',
  t_BARU: 'New', t_LAMA: 'Carried over', t_KELUAR: 'Exited', t_TETAP_NON: 'Not at risk',
};

export const tt = (key) => (lang() === 'en' ? en : id)[key] ?? id[key] ?? key;
