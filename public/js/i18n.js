// Bahasa Indonesia by default, English on request. The choice is kept in localStorage.
const KEY = 'tuntas.lang';
let current = localStorage.getItem(KEY) === 'en' ? 'en' : 'id';
export const lang = () => current;
export function setLang(l) {
  current = l === 'en' ? 'en' : 'id';
  localStorage.setItem(KEY, current);
  document.documentElement.lang = current;
}
document.documentElement.lang = current;

const id = {
  appName: 'Tuntas', tagline: 'Audit Kasus Stunting', language: 'Bahasa', switchTo: 'English', logout: 'Keluar',
  username: 'Nama pengguna', password: 'Kata sandi', login: 'Masuk', loginTitle: 'Masuk ke Tuntas',
  loginHelp: 'Pertama kali? Masuk sebagai admin dengan kata sandi yang dicetak saat layanan pertama kali dijalankan.',
  nav_cases: 'Antrean kasus', nav_imports: 'Impor e-PPGBM', nav_tasks: 'Kotak tugas', nav_interventions: 'Intervensi', nav_report: 'Laporan sponsor', nav_overview: 'Ringkasan keterlambatan', nav_tpk: 'Kunjungan TPK',
  loading: 'Memuat…', empty: 'Tidak ada data.', retry: 'Coba lagi', save: 'Simpan', send: 'Kirim', cancel: 'Batal', back: 'Kembali',
  queueTitle: 'Antrean kerja', queueHelp: 'Kasus terbuka, yang paling mendesak di atas.', onlyOverdue: 'Hanya yang terlambat',
  child: 'Anak', step: 'Tahap', deadline: 'Tenggat', village: 'Desa', assignee: 'Petugas', overdue: 'Terlambat', onTime: 'Tepat waktu', open: 'Buka',
  state_identified: 'Teridentifikasi', state_audited: 'Diaudit', state_intervened: 'Diintervensi', state_remeasured: 'Diukur ulang', state_resolved: 'Selesai', state_closed: 'Ditutup',
  tstate_assigned: 'Ditugaskan', tstate_acknowledged: 'Diterima', tstate_in_progress: 'Dikerjakan', tstate_done: 'Selesai dikerjakan', tstate_verified: 'Diverifikasi', tstate_declined: 'Ditolak', tstate_closed: 'Ditutup', tstate_cancelled: 'Dibatalkan',
  band_up_0_5_or_more: 'Naik ≥ 0,5 SD', band_up_less_than_0_5: 'Naik < 0,5 SD', band_no_change: 'Tetap', band_down: 'Turun', band_awaiting_remeasurement: 'Menunggu pengukuran ulang',
  istate_proposed: 'Diusulkan', istate_approved: 'Disetujui', istate_active: 'Berjalan', istate_on_hold: 'Ditunda', istate_completed: 'Selesai', istate_verified: 'Diverifikasi', istate_rejected: 'Ditolak', istate_cancelled: 'Dibatalkan',
  caseTitle: 'Kasus', growth: 'Grafik pertumbuhan', growthHelp: 'Panjang/tinggi badan menurut umur, dengan garis standar WHO (−3, −2, median, +2 SD).', ageMonths: 'Umur (bulan)', heightCm: 'Tinggi/panjang (cm)', weightKg: 'Berat (kg)', haz: 'TB/U (z)',
  timeline: 'Linimasa', actions: 'Tindakan', noActions: 'Tidak ada tindakan yang dapat Anda lakukan pada tahap ini.',
  tasks: 'Tugas OPD', interventions: 'Intervensi', escalations: 'Eskalasi', history: 'Riwayat',
  ev_RECORD_AUDIT: 'Catat audit', ev_START_INTERVENTION: 'Mulai intervensi', ev_RECORD_REMEASUREMENT: 'Catat pengukuran ulang', ev_RESOLVE: 'Nyatakan selesai', ev_CONTINUE_INTERVENTION: 'Lanjutkan intervensi', ev_REAUDIT: 'Audit ulang', ev_CLOSE: 'Tutup kasus', ev_REOPEN: 'Buka kembali', ev_OPEN: 'Kasus dibuka',
  ev_ACKNOWLEDGE: 'Terima', ev_START: 'Mulai kerjakan', ev_COMPLETE: 'Selesaikan', ev_DECLINE: 'Tolak', ev_VERIFY: 'Verifikasi', ev_REASSIGN: 'Alihkan', ev_CANCEL: 'Batalkan', ev_APPROVE: 'Setujui', ev_REJECT: 'Tolak', ev_HOLD: 'Tunda', ev_RESUME: 'Lanjutkan',
  auditedAt: 'Waktu audit', cycle: 'Siklus', causes: 'Penyebab', recommendations: 'Rekomendasi ke OPD', action: 'Tindakan', opd: 'OPD', dueInDays: 'Tenggat (hari)', addRecommendation: 'Tambah rekomendasi', remove: 'Hapus', experts: 'Tim pakar', specialty: 'Keahlian', expertName: 'Nama pakar',
  note: 'Catatan', reason: 'Alasan', description: 'Uraian', startedAt: 'Waktu mulai', measuredAt: 'Tanggal ukur', method: 'Cara ukur', recumbent: 'Terlentang', standing: 'Berdiri',
  recordMeasurement: 'Catat pengukuran', measurementSaved: 'Pengukuran tersimpan.', saved: 'Tersimpan.',
  reason_moved_away: 'Pindah', reason_deceased: 'Meninggal', reason_aged_out: 'Melewati usia', reason_duplicate: 'Duplikat', reason_measurement_error: 'Salah ukur', reason_consent_withdrawn: 'Persetujuan dicabut', reason_transferred: 'Dipindahkan',
  inboxTitle: 'Kotak tugas OPD', inboxHelp: 'Tugas untuk instansi Anda, yang paling mendesak di atas.', evidence: 'Bukti', evidenceHelp: 'Uraian bukti (foto, dokumen, atau catatan)',
  importsTitle: 'Impor e-PPGBM', file: 'Berkas CSV e-PPGBM', upload: 'Unggah', regency: 'Kabupaten/kota', importStatus: 'Status impor', rowsRead: 'Baris dibaca', rowsTaken: 'Diterima', rowsDuplicate: 'Duplikat', rowsRejected: 'Ditolak', casesOpened: 'Kasus dibuka', casesRemeasured: 'Kasus diukur ulang', downloadRejections: 'Unduh baris yang ditolak (CSV)',
  interventionsTitle: 'Intervensi', beneficiary: 'Penerima manfaat', programme: 'Program', budget: 'Anggaran', deliveries: 'Penyaluran', logDelivery: 'Catat penyaluran', deliveredAt: 'Waktu penyaluran', quantity: 'Jumlah', unit: 'Satuan', amountIdr: 'Nilai (Rp)', evidenceRef: 'Rujukan bukti', deliverySaved: 'Penyaluran tercatat.', outcome: 'Hasil',
  retryHint: 'Isian Anda tetap tersimpan. Tekan Kirim lagi untuk mencoba ulang; penyaluran tidak akan tercatat dua kali.',
  reportTitle: 'Laporan sponsor', spent: 'Terpakai', onTimeRate: 'Penyaluran tepat waktu', beneficiaries: 'Penerima manfaat',
  overviewTitle: 'Ringkasan keterlambatan', byOpd: 'Per OPD', byVillage: 'Per desa', count: 'Jumlah', oldest: 'Paling lama', daysOverdue: 'Hari terlambat', level: 'Tingkat', escalationsWeek: 'Eskalasi minggu ini', firedAt: 'Waktu', reached: 'Penerima',
  proposeIntervention: 'Usulkan intervensi',
  err_NETWORK: 'Tidak dapat terhubung ke server. Periksa koneksi Anda; isian Anda tidak hilang.',
  err_UNAUTHENTICATED: 'Sesi Anda berakhir atau nama pengguna/kata sandi salah. Silakan masuk lagi.',
  err_FORBIDDEN: 'Anda tidak berwenang melakukan ini.', err_NOT_FOUND: 'Data tidak ditemukan atau di luar wilayah Anda.',
  err_VALIDATION_FAILED: 'Ada isian yang perlu diperbaiki.', err_MALFORMED_JSON: 'Permintaan tidak dapat dibaca server.',
  err_CONFLICT: 'Data ini bentrok dengan data yang sudah ada.', err_DUPLICATE_SUBJECT: 'Sudah ada sasaran dengan NIK ini.',
  err_VERSION_CONFLICT: 'Data ini baru saja diubah orang lain. Muat ulang lalu coba lagi.', err_INVALID_TRANSITION: 'Tindakan ini tidak berlaku lagi untuk tahap sekarang. Muat ulang halaman.',
  err_GUARD_FAILED: 'Syarat untuk tindakan ini belum terpenuhi', err_IDEMPOTENCY_KEY_REUSED: 'Isian berubah setelah dikirim. Kirim sebagai penyaluran baru.',
  err_PAYLOAD_TOO_LARGE: 'Berkas atau isian terlalu besar.', err_RATE_LIMITED: 'Terlalu banyak permintaan. Tunggu sebentar lalu coba lagi.',
  err_PRECONDITION_REQUIRED: 'Muat ulang halaman lalu coba lagi.', err_other: 'Terjadi kesalahan di server. Coba lagi nanti.',
  fieldsInvalid: 'Periksa isian berikut:',
};

const en = {
  appName: 'Tuntas', tagline: 'Stunting case audit', language: 'Language', switchTo: 'Bahasa Indonesia', logout: 'Log out',
  username: 'Username', password: 'Password', login: 'Log in', loginTitle: 'Log in to Tuntas',
  loginHelp: 'First time? Log in as admin with the password printed when the service first started.',
  nav_cases: 'Case queue', nav_imports: 'e-PPGBM import', nav_tasks: 'Task inbox', nav_interventions: 'Interventions', nav_report: 'Sponsor report', nav_overview: 'Overdue overview', nav_tpk: 'TPK visits',
  loading: 'Loading…', empty: 'Nothing here.', retry: 'Try again', save: 'Save', send: 'Send', cancel: 'Cancel', back: 'Back',
  queueTitle: 'Work queue', queueHelp: 'Open cases, most urgent first.', onlyOverdue: 'Overdue only',
  child: 'Child', step: 'Step', deadline: 'Deadline', village: 'Village', assignee: 'Assignee', overdue: 'Overdue', onTime: 'On time', open: 'Open',
  state_identified: 'Identified', state_audited: 'Audited', state_intervened: 'Intervened', state_remeasured: 'Re-measured', state_resolved: 'Resolved', state_closed: 'Closed',
  tstate_assigned: 'Assigned', tstate_acknowledged: 'Acknowledged', tstate_in_progress: 'In progress', tstate_done: 'Done', tstate_verified: 'Verified', tstate_declined: 'Declined', tstate_closed: 'Closed', tstate_cancelled: 'Cancelled',
  band_up_0_5_or_more: 'Up 0.5 SD or more', band_up_less_than_0_5: 'Up less than 0.5 SD', band_no_change: 'No change', band_down: 'Down', band_awaiting_remeasurement: 'Awaiting re-measurement',
  istate_proposed: 'Proposed', istate_approved: 'Approved', istate_active: 'Active', istate_on_hold: 'On hold', istate_completed: 'Completed', istate_verified: 'Verified', istate_rejected: 'Rejected', istate_cancelled: 'Cancelled',
  caseTitle: 'Case', growth: 'Growth chart', growthHelp: 'Length/height for age, with the WHO lines (−3, −2, median, +2 SD).', ageMonths: 'Age (months)', heightCm: 'Length/height (cm)', weightKg: 'Weight (kg)', haz: 'HAZ',
  timeline: 'Timeline', actions: 'Actions', noActions: 'Nothing you can do at this step.',
  tasks: 'OPD tasks', interventions: 'Interventions', escalations: 'Escalations', history: 'History',
  ev_RECORD_AUDIT: 'Record audit', ev_START_INTERVENTION: 'Start intervention', ev_RECORD_REMEASUREMENT: 'Record re-measurement', ev_RESOLVE: 'Resolve', ev_CONTINUE_INTERVENTION: 'Continue intervention', ev_REAUDIT: 'Re-audit', ev_CLOSE: 'Close case', ev_REOPEN: 'Reopen', ev_OPEN: 'Case opened',
  ev_ACKNOWLEDGE: 'Acknowledge', ev_START: 'Start', ev_COMPLETE: 'Complete', ev_DECLINE: 'Decline', ev_VERIFY: 'Verify', ev_REASSIGN: 'Reassign', ev_CANCEL: 'Cancel', ev_APPROVE: 'Approve', ev_REJECT: 'Reject', ev_HOLD: 'Hold', ev_RESUME: 'Resume',
  auditedAt: 'Audited at', cycle: 'Cycle', causes: 'Causes', recommendations: 'Recommendations to OPDs', action: 'Action', opd: 'OPD', dueInDays: 'Due in (days)', addRecommendation: 'Add recommendation', remove: 'Remove', experts: 'Expert team', specialty: 'Specialty', expertName: 'Expert name',
  note: 'Note', reason: 'Reason', description: 'Description', startedAt: 'Started at', measuredAt: 'Measured on', method: 'Method', recumbent: 'Lying down', standing: 'Standing',
  recordMeasurement: 'Record a measurement', measurementSaved: 'Measurement saved.', saved: 'Saved.',
  reason_moved_away: 'Moved away', reason_deceased: 'Deceased', reason_aged_out: 'Aged out', reason_duplicate: 'Duplicate', reason_measurement_error: 'Measurement error', reason_consent_withdrawn: 'Consent withdrawn', reason_transferred: 'Transferred',
  inboxTitle: 'OPD task inbox', inboxHelp: "Your agency's tasks, most urgent first.", evidence: 'Evidence', evidenceHelp: 'What shows the work (photo, document or note)',
  importsTitle: 'e-PPGBM import', file: 'e-PPGBM CSV file', upload: 'Upload', regency: 'Regency', importStatus: 'Import status', rowsRead: 'Rows read', rowsTaken: 'Taken', rowsDuplicate: 'Duplicates', rowsRejected: 'Rejected', casesOpened: 'Cases opened', casesRemeasured: 'Cases re-measured', downloadRejections: 'Download rejected rows (CSV)',
  interventionsTitle: 'Interventions', beneficiary: 'Beneficiary', programme: 'Programme', budget: 'Budget', deliveries: 'Deliveries', logDelivery: 'Log a delivery', deliveredAt: 'Delivered at', quantity: 'Quantity', unit: 'Unit', amountIdr: 'Amount (Rp)', evidenceRef: 'Evidence reference', deliverySaved: 'Delivery logged.', outcome: 'Outcome',
  retryHint: 'What you typed is kept. Press Send again to retry; the delivery will not be counted twice.',
  reportTitle: 'Sponsor report', spent: 'Spent', onTimeRate: 'On-time deliveries', beneficiaries: 'Beneficiaries',
  overviewTitle: 'Overdue overview', byOpd: 'By OPD', byVillage: 'By village', count: 'Count', oldest: 'Oldest', daysOverdue: 'Days overdue', level: 'Level', escalationsWeek: "This week's escalations", firedAt: 'When', reached: 'Reached',
  proposeIntervention: 'Propose intervention',
  err_NETWORK: 'Could not reach the server. Check your connection; nothing you typed is lost.',
  err_UNAUTHENTICATED: 'Your session ended, or the username or password is wrong. Please log in again.',
  err_FORBIDDEN: 'You are not allowed to do this.', err_NOT_FOUND: 'Not found, or outside your area.',
  err_VALIDATION_FAILED: 'Some fields need fixing.', err_MALFORMED_JSON: 'The server could not read the request.',
  err_CONFLICT: 'This clashes with existing data.', err_DUPLICATE_SUBJECT: 'A person with this NIK is already registered.',
  err_VERSION_CONFLICT: 'Someone else just changed this. Reload and try again.', err_INVALID_TRANSITION: 'This action no longer applies at the current step. Reload the page.',
  err_GUARD_FAILED: 'The conditions for this action are not met', err_IDEMPOTENCY_KEY_REUSED: 'The form changed after it was sent. Send it as a new delivery.',
  err_PAYLOAD_TOO_LARGE: 'The file or form is too large.', err_RATE_LIMITED: 'Too many requests. Wait a moment and try again.',
  err_PRECONDITION_REQUIRED: 'Reload the page and try again.', err_other: 'Something went wrong on the server. Try again later.',
  fieldsInvalid: 'Please check:',
};

const dict = { id, en };

export function t(key) {
  return dict[current][key] ?? dict.id[key] ?? key;
}

/** An error in plain words; GUARD_FAILED keeps the server's reason after the sentence. */
export function errorText(err) {
  const code = err?.code ?? 'other';
  const base = dict[current][`err_${code}`] ?? t('err_other');
  if (code === 'GUARD_FAILED' && err.message) return `${base}: ${err.message}`;
  return base;
}

/** `details.fields` as {field: reason}. */
export function fieldErrors(err) {
  const out = {};
  for (const f of err?.details?.fields ?? []) out[f.field] = f.reason;
  return out;
}
