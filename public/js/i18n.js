// Bahasa Indonesia by default, English on request. The choice is kept in localStorage.
// Every word the console shows comes from here; a key missing from the chosen language is
// remembered in `missingKeys` (the browser tests fail on any), and shown as the key itself.
const KEY = 'tuntas.lang';
let current = localStorage.getItem(KEY) === 'en' ? 'en' : 'id';
export const lang = () => current;
export function setLang(l) {
  current = l === 'en' ? 'en' : 'id';
  localStorage.setItem(KEY, current);
  document.documentElement.lang = current;
}
document.documentElement.lang = current;

/** The enums the console shows, so screens and the tests name the same values. */
export const ROLES = ['admin', 'case_manager', 'auditor', 'opd_liaison', 'csr_partner', 'viewer', 'dpo', 'tpk'];
/** TPK visits (src/modules/visits/dto/visit.dto.ts). */
export const VISIT_KINDS = ['RUMAH', 'POSYANDU', 'VERVAL', 'TELEPON'];
export const VISIT_ACTIONS = ['KIE', 'RUJUKAN', 'BANSOS', 'PMT', 'ELSIMIL', 'EPPGBM', 'BAAS', 'GENTING', 'NONE'];
export const SPONSOR_TYPES = ['company', 'bumn', 'bumd', 'individual', 'ngo', 'baznas', 'university', 'media'];
export const RECIPIENTS = ['assignee', 'supervisor', 'opd_head', 'aks_chair', 'tpps_chair'];
export const CHANNELS = ['inbox', 'webhook', 'email'];
export const EPPGBM_FIELDS = ['nik', 'familyCardNumber', 'name', 'birthDate', 'sex', 'motherName', 'address', 'villageCode', 'posyandu', 'measuredAt', 'weightKg', 'heightCm', 'method', 'headCm', 'muacCm', 'villageName', 'districtName', 'regencyName', 'row'];
export const OUTCOME_BANDS = ['up_0_5_or_more', 'up_less_than_0_5', 'no_change', 'down', 'awaiting_remeasurement'];
export const AUDIT_ACTIONS = ['login.success', 'login.failure', 'case.open', 'case.list', 'case.read', 'case.history', 'case.transition', 'consent.record', 'consent.read', 'consent.withdraw',
  'import.rejections.export', 'measurement.record', 'retention.anonymise', 'sponsor.report', 'sponsor.report.export', 'subject.create', 'subject.export', 'subject.growth', 'subject.read',
  'subject.restrict', 'subject.search', 'subject.unrestrict', 'subject.update', 'subject.fhir_everything', 'subject.timeline', 'subject.convergence', 'family.create', 'family.read', 'family.search', 'family.update', 'family.assess',
  'visit.record', 'visit.search', 'visit.due', 'screening.record', 'screening.read'];

const id = {
  dashboardTitle: 'Dasbor stunting', nav_dashboard: 'Dasbor', nav_province: 'Provinsi', prevalence: 'Prevalensi (register e-PPGBM)', prevMeasured: 'Anak diukur', prevStunted: 'Pendek + sangat pendek', prevRate: 'Angka register', coverage: 'Cakupan', target: 'Target',
  prevTrend: 'Tren bulanan', prevBy_kecamatan: 'Per kecamatan', prevBy_desa: 'Per desa/kelurahan', prevBy_kabupaten: 'Per kabupaten/kota', prevBy_provinsi: 'Per provinsi', suppressed: 'disembunyikan', suppressedHelp: 'Angka disembunyikan bila anak yang diukur kurang dari {n}. Angka register bukan prevalensi survei (SSGI/SKI).',
  registerNotSurvey: 'Angka register e-PPGBM, bukan prevalensi survei.', registerRate: 'Angka register', surveyFigure: 'Survei', prevNoRate: 'Belum ada angka (terlalu sedikit anak diukur).', snapshotFrozen: 'Angka bulan timbang sudah dibekukan', snapshotRevised: 'ada revisi',
  hotspots: 'Wilayah prioritas (hotspot)', kecamatan: 'Kecamatan', region: 'Wilayah', changeSince: 'Perubahan sejak', lokusWatch: 'Pantauan harian desa lokus', lokusYear: 'Lokus tahun', lokusNone: 'Belum ada desa lokus yang ditetapkan untuk tahun ini.',
  lw_openCases: 'Kasus terbuka', lw_overdueSteps: 'Langkah terlambat', lw_stepsDueToday: 'Jatuh tempo hari ini', lw_pregnantDue30: 'Ibu hamil melahirkan ≤30 hari', lw_catinAtRisk: 'Catin berisiko', lw_visitsDueWeek: 'Kunjungan TPK minggu ini',
  convergence: 'Konvergensi layanan per desa', convergenceHelp: 'Bagian sasaran yang menerima paket layanan esensial lengkap.', targetGroup: 'Kelompok sasaran', targets: 'Sasaran', fullPackage: 'Paket lengkap',
  provinceTitle: 'Ringkasan provinsi', all: 'Semua', nationTitle: 'Ringkasan nasional', aggregatesOnly: 'Anda melihat angka agregat saja, tanpa nama.',
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
  acrossAgencies: 'Linimasa anak lintas OPD dan mitra', acrossAgenciesHelp: 'Penimbangan, kasus, tugas setiap OPD, intervensi mitra CSR dan kunjungan TPK, menurut tanggal.',
  tl_measurement: 'Penimbangan', tl_case: 'Kasus', tl_task: 'Tugas OPD', tl_offer: 'Ditawarkan ke mitra', tl_intervention: 'Intervensi', tl_delivery: 'Penyaluran', tl_visit: 'Kunjungan TPK',
  agency_posyandu: 'Posyandu', agency_tpps: 'TPPS', agency_opd: 'OPD', agency_sponsor: 'Mitra CSR', agency_tpk: 'TPK',
  timeline: 'Linimasa', actions: 'Tindakan', noActions: 'Tidak ada tindakan yang dapat Anda lakukan pada tahap ini.',
  tasks: 'Tugas OPD', interventions: 'Intervensi', escalations: 'Eskalasi', history: 'Riwayat',
  ev_RECORD_AUDIT: 'Catat audit', ev_START_INTERVENTION: 'Mulai intervensi', ev_RECORD_REMEASUREMENT: 'Catat pengukuran ulang', ev_RESOLVE: 'Nyatakan selesai', ev_CONTINUE_INTERVENTION: 'Lanjutkan intervensi', ev_REAUDIT: 'Audit ulang', ev_CLOSE: 'Tutup kasus', ev_REOPEN: 'Buka kembali', ev_OPEN: 'Kasus dibuka',
  ev_ACKNOWLEDGE: 'Terima', ev_START: 'Mulai kerjakan', ev_COMPLETE: 'Selesaikan', ev_DECLINE: 'Tolak', ev_VERIFY: 'Verifikasi', ev_REASSIGN: 'Alihkan', ev_CANCEL: 'Batalkan', ev_APPROVE: 'Setujui', ev_REJECT: 'Tolak', ev_HOLD: 'Tunda', ev_RESUME: 'Lanjutkan',
  auditedAt: 'Waktu audit', cycle: 'Siklus', causes: 'Penyebab', recommendations: 'Rekomendasi ke OPD', action: 'Tindakan', opd: 'OPD', dueInDays: 'Tenggat (hari)', addRecommendation: 'Tambah rekomendasi', remove: 'Hapus', experts: 'Tim pakar', specialty: 'Keahlian', expertName: 'Nama pakar',
  note: 'Catatan', reason: 'Alasan', description: 'Uraian', startedAt: 'Waktu mulai', measuredAt: 'Tanggal ukur', method: 'Cara ukur', recumbent: 'Terlentang', standing: 'Berdiri',
  recordMeasurement: 'Catat pengukuran', measurementSaved: 'Pengukuran tersimpan.', saved: 'Tersimpan.',
  reason_moved_away: 'Pindah', reason_deceased: 'Meninggal', reason_aged_out: 'Melewati usia', reason_duplicate: 'Duplikat', reason_measurement_error: 'Salah ukur', reason_consent_withdrawn: 'Persetujuan dicabut', reason_transferred: 'Dipindahkan',
  inboxTitle: 'Kotak tugas OPD', inboxHelp: 'Tugas untuk instansi Anda, yang paling mendesak di atas.', evidence: 'Bukti', evidenceHelp: 'Uraian bukti (foto, dokumen, atau catatan)',
  importsTitle: 'Impor e-PPGBM', file: 'Berkas e-PPGBM (CSV atau XLSX)', upload: 'Unggah', regency: 'Kabupaten/kota', importStatus: 'Status impor', rowsRead: 'Baris dibaca', rowsTaken: 'Diterima', rowsDuplicate: 'Duplikat', rowsRejected: 'Ditolak', casesOpened: 'Kasus dibuka', casesRemeasured: 'Kasus diukur ulang', downloadRejections: 'Unduh baris yang ditolak (CSV)',
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
  err_GUARD_FAILED: 'Syarat untuk tindakan ini belum terpenuhi', err_IDEMPOTENCY_KEY_REUSED: 'Isian berubah setelah dikirim. Kirim sebagai catatan baru.',
  err_PAYLOAD_TOO_LARGE: 'Berkas atau isian terlalu besar.', err_RATE_LIMITED: 'Terlalu banyak permintaan. Tunggu sebentar lalu coba lagi.',
  err_PRECONDITION_REQUIRED: 'Muat ulang halaman lalu coba lagi.', err_other: 'Terjadi kesalahan di server. Coba lagi nanti.',
  fieldsInvalid: 'Periksa isian berikut:',

  col_nik: 'NIK anak', col_familyCardNumber: 'No. KK', col_name: 'Nama anak', col_birthDate: 'Tanggal lahir', col_sex: 'JK', col_motherName: 'Nama ortu', col_address: 'Alamat', col_villageCode: 'Desa', col_posyandu: 'Posyandu', col_measuredAt: 'Tanggal ukur', col_weightKg: 'Berat', col_heightCm: 'Tinggi', col_method: 'Cara ukur', col_headCm: 'Lingkar kepala', col_muacCm: 'LiLA', col_villageName: 'Nama desa', col_districtName: 'Kecamatan', col_regencyName: 'Kabupaten/kota', col_row: 'Seluruh baris',
  rejectedSummary: 'Ditolak', reasonsShown: 'alasan ditampilkan; semuanya ada di berkas CSV', ofRows: 'baris',
  menu: 'Menu', skip: 'Lewati ke isi', notFound: 'Halaman tidak ditemukan.', choose: 'Pilih…', none: 'Tidak ada', edit: 'Ubah', create: 'Buat', search: 'Cari', searched: 'Pencarian selesai.',
  offline: 'Tanpa sinyal', pendingSignal: 'menunggu sinyal', pendingTitle: 'Menunggu sinyal: akan dikirim sendiri, berurutan, saat koneksi kembali.', sendNow: 'Kirim sekarang',
  queuedOffline: 'Tersimpan di perangkat: menunggu sinyal. Akan dikirim sendiri saat koneksi kembali.',
  nav_users: 'Pengguna', nav_opds: 'OPD', nav_sponsors: 'Sponsor', nav_sla: 'Kebijakan SLA', nav_audit: 'Log audit', nav_privacy: 'Hak subjek data',
  role: 'Peran', role_admin: 'Admin', role_case_manager: 'Pengelola kasus', role_auditor: 'Auditor', role_opd_liaison: 'Penghubung OPD', role_csr_partner: 'Mitra CSR', role_viewer: 'Pemantau', role_dpo: 'Pejabat pelindungan data',
  restrictedSubject: 'Anak (nama tidak ditampilkan)', birthDate: 'Tanggal lahir', recommendation: 'Rekomendasi', months: 'bulan',
  ev_ASSIGN: 'Petugas ditetapkan', ev_DELIVER: 'Penyaluran pertama', ev_DELIVERY: 'Penyaluran', ev_PROPOSE: 'Diusulkan',
  expert_SpA: 'Dokter spesialis anak', expert_SpOG: 'Dokter spesialis kandungan', expert_GIZI: 'Ahli gizi', expert_PSIKOLOG: 'Psikolog', expert_OTHER: 'Lainnya',
  methodHelp: 'Dipilih menurut umur anak: terlentang di bawah 24 bulan, berdiri mulai 24 bulan. Ubah bila cara ukurnya lain.',
  hazcat_severely_stunted: 'Sangat pendek', hazcat_stunted: 'Pendek', hazcat_normal: 'Normal', hazcat_tall: 'Tinggi',
  tapPoint: 'Ketuk titik pada grafik untuk melihat pengukurannya.',
  agg_case: 'Kasus', agg_task: 'Tugas OPD', agg_intervention: 'Intervensi',
  step_identified: 'Audit kasus', step_audited: 'Mulai intervensi', step_intervened: 'Pengukuran ulang', step_remeasured: 'Penyelesaian kasus',
  step_acknowledge: 'Menerima tugas', step_complete: 'Menyelesaikan tugas', step_verify: 'Verifikasi', step_reassign: 'Pengalihan tugas', step_approve: 'Persetujuan', step_first_delivery: 'Penyaluran pertama', step_delivery: 'Penyaluran berikutnya',
  due_acknowledge: 'Batas menerima tugas', due_complete: 'Batas menyelesaikan tugas', due_verify: 'Batas verifikasi', due_reassign: 'Batas pengalihan', due_approve: 'Batas persetujuan', due_first_delivery: 'Batas penyaluran pertama', due_delivery: 'Batas penyaluran berikutnya',
  finishedTasks: 'Tugas yang sudah selesai',
  imp_queued: 'Menunggu giliran', imp_running: 'Sedang diproses', imp_done: 'Selesai diproses', imp_failed: 'Gagal',
  importRunning: 'Berkas sedang dibaca…', importFailed: 'Impor gagal; tidak ada baris yang disimpan dari bagian yang gagal.', importAllRejected: 'Tidak ada baris yang diterima: semua baris ditolak. Lihat alasannya di bawah.',
  importSomeRejected: 'Sebagian baris ditolak. Lihat alasannya di bawah; baris lain sudah disimpan.', importAllTaken: 'Semua baris terbaca tanpa penolakan.',
  importStarted: 'Berkas diterima; sedang diproses.', importList: 'Impor terakhir', newImport: 'Impor baru', showReasons: 'Lihat alasan penolakan', hideReasons: 'Sembunyikan alasan', row: 'Baris', field: 'Kolom',
  usersTitle: 'Pengguna', usersHelp: 'Buat akun, atur peran dan keterikatannya ke OPD atau sponsor, nonaktifkan, atau atur ulang kata sandi.', users: 'Daftar pengguna',
  newUser: 'Pengguna baru', displayName: 'Nama lengkap', usernameHelp: '3–64 huruf kecil, angka, titik, garis bawah atau tanda hubung.', email: 'Surel (untuk eskalasi)',
  passwordHelp: 'Minimal 10 karakter. Sampaikan kepada pengguna secara langsung.', newPassword: 'Kata sandi baru', passwordSet: 'Kata sandi diganti; sesi lama pengguna berakhir.',
  userCreated: 'Pengguna dibuat.', changeRole: 'Ubah peran', resetPassword: 'Atur ulang kata sandi', disable: 'Nonaktifkan', enable: 'Aktifkan', disabled: 'Nonaktif',
  sponsor: 'Sponsor', province: 'Provinsi', pickRegency: 'Pilih kabupaten/kota terlebih dahulu.',
  opdsTitle: 'OPD', opdsHelp: 'Perangkat daerah yang menerima tugas dari audit kasus.', opds: 'Daftar OPD', seedOpds: 'Isi OPD baku (DINKES, DP2KB, …)', newOpd: 'OPD baru', opdName: 'Nama OPD', opdCode: 'Kode OPD', opdCodeHelp: '2–32 huruf besar, angka atau garis bawah, mis. DINKES.', opdHead: 'Kepala OPD',
  sponsorsTitle: 'Sponsor CSR', sponsorsHelp: 'Perusahaan dan lembaga yang mendanai intervensi.', sponsors: 'Daftar sponsor', newSponsor: 'Sponsor baru', sponsorName: 'Nama sponsor', sponsorType: 'Jenis', fundsRegencies: 'Kabupaten/kota yang didanai',
  stype_company: 'Perusahaan swasta', stype_bumn: 'BUMN', stype_bumd: 'BUMD', stype_individual: 'Perorangan', stype_ngo: 'LSM', stype_baznas: 'BAZNAS', stype_university: 'Perguruan tinggi', stype_media: 'Media',
  slaTitle: 'Kebijakan SLA', slaHelp: 'Batas waktu tiap tahap dan tangga eskalasi kabupaten/kota ini. Berlaku untuk tahap yang dimulai setelah perubahan.', lastChanged: 'Terakhir diubah', defaultsInForce: 'Masih memakai nilai baku nasional.',
  caseStepDays: 'Hari kalender per tahap kasus', taskStepDays: 'Waktu untuk tugas OPD', interventionStepDays: 'Waktu untuk intervensi', outcomeRule: 'Syarat kasus selesai',
  sla_acknowledgeWorkingDays: 'Menerima tugas (hari kerja)', sla_completeDays: 'Menyelesaikan tugas (hari)', sla_verifyDays: 'Verifikasi (hari)', sla_reassignWorkingDays: 'Pengalihan (hari kerja)',
  sla_firstDeliveryDays: 'Penyaluran pertama (hari)', sla_graceDays: 'Kelonggaran penyaluran (hari)', sla_minHaz: 'TB/U minimal (z)', sla_minImprovement: 'Kenaikan TB/U minimal (SD)',
  ladder: 'Tangga eskalasi', rung: 'Tingkat', afterDays: 'Hari setelah tenggat', notify: 'Yang diberi tahu', channels: 'Saluran', addRung: 'Tambah tingkat',
  recipient_assignee: 'Petugas', recipient_supervisor: 'Atasan', recipient_opd_head: 'Kepala OPD', recipient_aks_chair: 'Ketua tim audit', recipient_tpps_chair: 'Ketua TPPS',
  channel_inbox: 'Kotak masuk', channel_webhook: 'Webhook', channel_email: 'Surel',
  holidays: 'Hari libur daerah', holiday: 'Hari libur', addHoliday: 'Tambah hari libur',
  auditTitle: 'Log audit', auditHelp: 'Siapa membaca atau mengubah data siapa, kapan, dan untuk apa.', auditQuery: 'Saring', auditDone: 'Pencarian selesai.', auditResults: 'Hasil',
  user: 'Pengguna', anyone: 'Siapa saja', anything: 'Semua tindakan', auditAction: 'Tindakan', from: 'Dari tanggal', to: 'Sampai tanggal', when: 'Waktu', purpose: 'Tujuan', exportCsv: 'Unduh CSV',
  subject: 'Subjek data', subjectName: 'Nama (awal nama)', restricted: 'Dibatasi',
  privacyTitle: 'Hak subjek data', privacyHelp: 'Ekspor seluruh data seseorang, pembatasan pemrosesan, dan pencabutannya (UU PDP).',
  exportData: 'Ekspor data', exported: 'Berkas data diunduh.', purposeHelp: 'Wajib: dasar permintaan, mis. nomor surat permohonan.',
  restrict: 'Batasi pemrosesan', restrictionReason: 'Alasan pembatasan', restrictionSet: 'Pemrosesan dibatasi.', liftRestriction: 'Cabut pembatasan', restrictionLifted: 'Pembatasan dicabut.',
  restrictedHelp: 'Data ini hanya terlihat oleh DPO dan admin; impor tidak menyentuhnya.',
  act_login: 'Masuk', 'act_login.success': 'Berhasil masuk', 'act_login.failure': 'Gagal masuk', 'act_case.open': 'Membuka kasus', 'act_case.list': 'Melihat daftar kasus', 'act_case.read': 'Membaca kasus', 'act_case.history': 'Membaca riwayat kasus', 'act_case.transition': 'Mengubah tahap kasus',
  'act_consent.record': 'Mencatat persetujuan', 'act_consent.read': 'Membaca persetujuan', 'act_consent.withdraw': 'Mencabut persetujuan', 'act_import.rejections.export': 'Mengunduh baris impor yang ditolak',
  'act_measurement.record': 'Mencatat pengukuran', 'act_retention.anonymise': 'Menganonimkan (retensi)', 'act_sponsor.report': 'Membaca laporan sponsor', 'act_sponsor.report.export': 'Mengunduh laporan sponsor',
  'act_subject.create': 'Mendaftarkan subjek', 'act_subject.export': 'Mengekspor data subjek', 'act_subject.growth': 'Membaca grafik pertumbuhan', 'act_subject.read': 'Membaca data subjek', 'act_subject.restrict': 'Membatasi pemrosesan',
  'act_subject.search': 'Mencari subjek', 'act_subject.unrestrict': 'Mencabut pembatasan', 'act_subject.update': 'Mengubah data subjek', 'act_subject.timeline': 'Membaca riwayat anak lintas OPD', 'act_subject.convergence': 'Membaca kartu konvergensi subjek',
  scopeProvince: 'Provinsi', scopeNation: 'Nasional', role_tpk: 'Anggota TPK', tpkUserHelp: 'Desa dan peran anggota TPK (bidan, kader PKK, kader KB) diatur oleh tim TPK desanya.',
  ewTitle: 'Peringatan dini', ewHelp: 'Anak yang berat badannya tidak naik dua kali (2T), di bawah garis merah, di atas garis oranye, turun tajam, atau lama tidak ditimbang, per desa, yang terbaru di atas.',
  nav_watch: 'Peringatan dini', ewAsOf: 'Per tanggal', ewChildren: 'Anak yang perlu diperhatikan', ewLastReading: 'terakhir ditimbang', month: 'Bulan', total: 'Jumlah',
  ew_2T: '2T', ew_BGM: 'BGM', ew_above_orange: 'Di atas garis oranye', ew_faltering: 'Pertumbuhan melambat', ew_lost: 'Tidak kembali ditimbang', sex_M: 'L', sex_F: 'P',
  skdnTitle: 'SKDN bulan ini', skdn_s: 'S', skdn_k: 'K', skdn_d: 'D', skdn_n: 'N', skdn_t: 'T', skdn_twoT: '2T', skdn_o: 'O', skdn_b: 'B', skdn_bgm: 'BGM', skdn_lost: 'Hilang',
  skdnHelp_s: 'Semua balita di desa', skdnHelp_k: 'Balita yang punya KMS', skdnHelp_d: 'Balita yang ditimbang bulan ini', skdnHelp_n: 'Balita yang naik berat badannya',
  skdnHelp_t: 'Tidak naik (termasuk 2T)', skdnHelp_twoT: 'Dua kali tidak naik', skdnHelp_o: 'Bulan lalu tidak ditimbang', skdnHelp_b: 'Baru pertama ditimbang', skdnHelp_bgm: 'Di bawah garis merah', skdnHelp_lost: 'Tidak ditimbang 60 hari atau lebih',
  tpkTitle: 'Kunjungan hari ini', tpkHelp: 'Kunjungan yang jatuh tempo (dan terlambat) di desa Anda, yang paling mendesak di atas.',
  dueOn: 'Jatuh tempo', visitLabel: 'Kunjungan', escalationLevel: 'Eskalasi tingkat', recordVisit: 'Catat kunjungan', family: 'Keluarga', familyCard: 'No. KK',
  members: 'Anggota', krsAssessments: 'Penilaian KRS', visits: 'Kunjungan', relation: 'Hubungan', pregnancy: 'Usia kehamilan', weeks: 'minggu',
  period: 'Periode', krs: 'Keluarga berisiko stunting', yes: 'Ya', no: 'Tidak', krsTransition: 'Status', policyVersion: 'Versi aturan', person: 'Sasaran',
  visitKind: 'Jenis kunjungan', visitedOn: 'Tanggal kunjungan', childMeasurement: 'Pengukuran (anak)', visitSaved: 'Kunjungan tersimpan.',
  visitRetryHint: 'Tidak tersambung. Kunjungan tetap tersimpan di ponsel ini; kirim lagi saat ada sinyal, kunjungan tidak akan tercatat dua kali.',
  lateRecorded: 'terlambat dicatat', headOfFamily: 'Kepala keluarga', welfarePriority: 'Prioritas kesejahteraan',
  tgroup_CATIN: 'Calon pengantin', tgroup_IBU_HAMIL: 'Ibu hamil', tgroup_IBU_NIFAS: 'Ibu nifas', tgroup_BUMIL: 'Ibu hamil', tgroup_NIFAS: 'Ibu nifas', tgroup_BADUTA: 'Baduta', tgroup_BALITA: 'Balita', tgroup_PUS: 'Pasangan usia subur',
  vkind_RUMAH: 'Kunjungan rumah', vkind_POSYANDU: 'Posyandu', vkind_VERVAL: 'Verifikasi dan validasi', vkind_TELEPON: 'Telepon',
  vact_KIE: 'KIE (penyuluhan)', vact_RUJUKAN: 'Rujukan', vact_BANSOS: 'Bantuan sosial', vact_PMT: 'PMT', vact_ELSIMIL: 'Elsimil', vact_EPPGBM: 'e-PPGBM', vact_BAAS: 'BAAS', vact_GENTING: 'GENTING', vact_NONE: 'Tidak ada tindakan',
  vlabel_T1: 'trimester 1', vlabel_T2: 'trimester 2', vlabel_T3: 'trimester 3', vlabel_KF1: 'nifas 1 (KF1)', vlabel_KF2: 'nifas 2 (KF2)', vlabel_KF3: 'nifas 3 (KF3)', vlabel_KF4: 'nifas 4 (KF4)',
  vlabel_MONTHLY: 'bulanan', vlabel_PRA_NIKAH: 'pranikah', vlabel_PENDAMPINGAN: 'pendampingan', vlabel_VISIT: 'terjadwal', vlabel_TINDAK_LANJUT: 'tindak lanjut peringatan dini',
  krs_BARU: 'Baru', krs_LAMA: 'Lama', krs_KELUAR: 'Keluar', krs_TETAP_NON: 'Bukan KRS',
  rel_KK: 'Kepala keluarga', rel_ISTRI: 'Istri', rel_ANAK: 'Anak', rel_LAIN: 'Lainnya',
  'act_subject.fhir_everything': 'Mengekspor data subjek (FHIR)', 'act_family.create': 'Mendaftarkan keluarga', 'act_family.read': 'Membaca data keluarga', 'act_family.search': 'Mencari keluarga',
  'act_family.update': 'Mengubah data keluarga', 'act_family.assess': 'Menilai risiko stunting keluarga', 'act_visit.record': 'Mencatat kunjungan TPK', 'act_visit.search': 'Melihat kunjungan TPK',
  'act_visit.due': 'Melihat kunjungan jatuh tempo', 'act_screening.record': 'Mencatat skrining calon pengantin', 'act_screening.read': 'Membaca skrining calon pengantin',
};

const en = {
  dashboardTitle: 'Stunting dashboard', nav_dashboard: 'Dashboard', nav_province: 'Province', prevalence: 'Prevalence (e-PPGBM register)', prevMeasured: 'Children measured', prevStunted: 'Stunted + severely stunted', prevRate: 'Register rate', coverage: 'Coverage', target: 'Target',
  prevTrend: 'Monthly trend', prevBy_kecamatan: 'By kecamatan', prevBy_desa: 'By village', prevBy_kabupaten: 'By regency', prevBy_provinsi: 'By province', suppressed: 'suppressed', suppressedHelp: 'A rate is suppressed when fewer than {n} children were measured. A register rate is not survey prevalence (SSGI/SKI).',
  registerNotSurvey: 'e-PPGBM register rate, not survey prevalence.', registerRate: 'Register rate', surveyFigure: 'Survey', prevNoRate: 'No rate yet (too few children measured).', snapshotFrozen: 'The bulan timbang figure is frozen', snapshotRevised: 'revision',
  hotspots: 'Hotspots', kecamatan: 'Kecamatan', region: 'Region', changeSince: 'Change since', lokusWatch: 'Daily lokus village watch', lokusYear: 'Lokus of', lokusNone: 'No lokus villages are set for this year yet.',
  lw_openCases: 'Open cases', lw_overdueSteps: 'Overdue steps', lw_stepsDueToday: 'Due today', lw_pregnantDue30: 'Pregnant, due ≤30 days', lw_catinAtRisk: 'Brides-to-be at risk', lw_visitsDueWeek: 'TPK visits this week',
  convergence: 'Convergence of services by village', convergenceHelp: 'Share of targets receiving the full package of essential services.', targetGroup: 'Target group', targets: 'Targets', fullPackage: 'Full package',
  provinceTitle: 'Province overview', all: 'All', nationTitle: 'National overview', aggregatesOnly: 'You see aggregates only, no names.',
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
  acrossAgencies: "The child's timeline across OPDs and partners", acrossAgenciesHelp: "Weighings, cases, every OPD's tasks, CSR interventions and TPK visits, by date.",
  tl_measurement: 'Weighing', tl_case: 'Case', tl_task: 'OPD task', tl_offer: 'Offered to a partner', tl_intervention: 'Intervention', tl_delivery: 'Delivery', tl_visit: 'TPK visit',
  agency_posyandu: 'Posyandu', agency_tpps: 'TPPS', agency_opd: 'OPD', agency_sponsor: 'CSR partner', agency_tpk: 'TPK',
  timeline: 'Timeline', actions: 'Actions', noActions: 'Nothing you can do at this step.',
  tasks: 'OPD tasks', interventions: 'Interventions', escalations: 'Escalations', history: 'History',
  ev_RECORD_AUDIT: 'Record audit', ev_START_INTERVENTION: 'Start intervention', ev_RECORD_REMEASUREMENT: 'Record re-measurement', ev_RESOLVE: 'Resolve', ev_CONTINUE_INTERVENTION: 'Continue intervention', ev_REAUDIT: 'Re-audit', ev_CLOSE: 'Close case', ev_REOPEN: 'Reopen', ev_OPEN: 'Case opened',
  ev_ACKNOWLEDGE: 'Acknowledge', ev_START: 'Start', ev_COMPLETE: 'Complete', ev_DECLINE: 'Decline', ev_VERIFY: 'Verify', ev_REASSIGN: 'Reassign', ev_CANCEL: 'Cancel', ev_APPROVE: 'Approve', ev_REJECT: 'Reject', ev_HOLD: 'Hold', ev_RESUME: 'Resume',
  auditedAt: 'Audited at', cycle: 'Cycle', causes: 'Causes', recommendations: 'Recommendations to OPDs', action: 'Action', opd: 'OPD', dueInDays: 'Due in (days)', addRecommendation: 'Add recommendation', remove: 'Remove', experts: 'Expert team', specialty: 'Specialty', expertName: 'Expert name',
  note: 'Note', reason: 'Reason', description: 'Description', startedAt: 'Started at', measuredAt: 'Measured on', method: 'Method', recumbent: 'Lying down', standing: 'Standing',
  recordMeasurement: 'Record a measurement', measurementSaved: 'Measurement saved.', saved: 'Saved.',
  reason_moved_away: 'Moved away', reason_deceased: 'Deceased', reason_aged_out: 'Aged out', reason_duplicate: 'Duplicate', reason_measurement_error: 'Measurement error', reason_consent_withdrawn: 'Consent withdrawn', reason_transferred: 'Transferred',
  inboxTitle: 'OPD task inbox', inboxHelp: "Your agency's tasks, most urgent first.", evidence: 'Evidence', evidenceHelp: 'What shows the work (photo, document or note)',
  importsTitle: 'e-PPGBM import', file: 'e-PPGBM file (CSV or XLSX)', upload: 'Upload', regency: 'Regency', importStatus: 'Import status', rowsRead: 'Rows read', rowsTaken: 'Taken', rowsDuplicate: 'Duplicates', rowsRejected: 'Rejected', casesOpened: 'Cases opened', casesRemeasured: 'Cases re-measured', downloadRejections: 'Download rejected rows (CSV)',
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
  err_GUARD_FAILED: 'The conditions for this action are not met', err_IDEMPOTENCY_KEY_REUSED: 'The form changed after it was sent. Send it as a new record.',
  err_PAYLOAD_TOO_LARGE: 'The file or form is too large.', err_RATE_LIMITED: 'Too many requests. Wait a moment and try again.',
  err_PRECONDITION_REQUIRED: 'Reload the page and try again.', err_other: 'Something went wrong on the server. Try again later.',
  fieldsInvalid: 'Please check:',

  col_nik: 'Child NIK', col_familyCardNumber: 'Family card no.', col_name: 'Child name', col_birthDate: 'Date of birth', col_sex: 'Sex', col_motherName: 'Parent name', col_address: 'Address', col_villageCode: 'Village', col_posyandu: 'Posyandu', col_measuredAt: 'Measured on', col_weightKg: 'Weight', col_heightCm: 'Height', col_method: 'Method', col_headCm: 'Head circumference', col_muacCm: 'MUAC', col_villageName: 'Village name', col_districtName: 'Kecamatan', col_regencyName: 'Regency', col_row: 'Whole row',
  rejectedSummary: 'Rejected', reasonsShown: 'reasons shown; all of them are in the CSV', ofRows: 'rows',
  menu: 'Menu', skip: 'Skip to content', notFound: 'Page not found.', choose: 'Choose…', none: 'None', edit: 'Edit', create: 'Create', search: 'Search', searched: 'Search done.',
  offline: 'No signal', pendingSignal: 'waiting for signal', pendingTitle: 'Waiting for signal: sent by itself, in order, when the connection returns.', sendNow: 'Send now',
  queuedOffline: 'Kept on this device: waiting for signal. It is sent by itself when the connection returns.',
  nav_users: 'Users', nav_opds: 'OPDs', nav_sponsors: 'Sponsors', nav_sla: 'SLA policy', nav_audit: 'Audit log', nav_privacy: 'Data-subject rights',
  role: 'Role', role_admin: 'Admin', role_case_manager: 'Case manager', role_auditor: 'Auditor', role_opd_liaison: 'OPD liaison', role_csr_partner: 'CSR partner', role_viewer: 'Viewer', role_dpo: 'Data protection officer',
  restrictedSubject: 'Child (name not shown)', birthDate: 'Date of birth', recommendation: 'Recommendation', months: 'months',
  ev_ASSIGN: 'Assignee set', ev_DELIVER: 'First delivery', ev_DELIVERY: 'Delivery', ev_PROPOSE: 'Proposed',
  expert_SpA: 'Paediatrician', expert_SpOG: 'Obstetrician', expert_GIZI: 'Nutritionist', expert_PSIKOLOG: 'Psychologist', expert_OTHER: 'Other',
  methodHelp: "Chosen by the child's age: lying down under 24 months, standing from 24 months. Change it if the child was measured otherwise.",
  hazcat_severely_stunted: 'Severely stunted', hazcat_stunted: 'Stunted', hazcat_normal: 'Normal', hazcat_tall: 'Tall',
  tapPoint: 'Tap a point on the chart to see its reading.',
  agg_case: 'Case', agg_task: 'OPD task', agg_intervention: 'Intervention',
  step_identified: 'Case audit', step_audited: 'Start of intervention', step_intervened: 'Re-measurement', step_remeasured: 'Case resolution',
  step_acknowledge: 'Acknowledging the task', step_complete: 'Completing the task', step_verify: 'Verification', step_reassign: 'Reassignment', step_approve: 'Approval', step_first_delivery: 'First delivery', step_delivery: 'Next delivery',
  due_acknowledge: 'Acknowledge by', due_complete: 'Complete by', due_verify: 'Verify by', due_reassign: 'Reassign by', due_approve: 'Approve by', due_first_delivery: 'First delivery by', due_delivery: 'Next delivery by',
  finishedTasks: 'Finished tasks',
  imp_queued: 'Queued', imp_running: 'Running', imp_done: 'Finished', imp_failed: 'Failed',
  importRunning: 'Reading the file…', importFailed: 'The import failed; nothing of the failed part was stored.', importAllRejected: 'No row was taken: every row was rejected. The reasons are below.',
  importSomeRejected: 'Some rows were rejected. The reasons are below; the other rows are stored.', importAllTaken: 'Every row was read without a rejection.',
  importStarted: 'File received; it is being processed.', importList: 'Recent imports', newImport: 'New import', showReasons: 'Show the reasons', hideReasons: 'Hide the reasons', row: 'Row', field: 'Column',
  usersTitle: 'Users', usersHelp: 'Create accounts, set their role and their OPD or sponsor, disable them, or reset a password.', users: 'Users',
  newUser: 'New user', displayName: 'Full name', usernameHelp: '3–64 lower-case letters, digits, dots, underscores or hyphens.', email: 'E-mail (for escalations)',
  passwordHelp: 'At least 10 characters. Give it to the user in person.', newPassword: 'New password', passwordSet: "Password changed; the user's old sessions have ended.",
  userCreated: 'User created.', changeRole: 'Change role', resetPassword: 'Reset password', disable: 'Disable', enable: 'Enable', disabled: 'Disabled',
  sponsor: 'Sponsor', province: 'Province', pickRegency: 'Choose a regency first.',
  opdsTitle: 'OPDs', opdsHelp: 'The agencies that receive tasks from case audits.', opds: 'OPDs', seedOpds: 'Add the usual OPDs (DINKES, DP2KB, …)', newOpd: 'New OPD', opdName: 'OPD name', opdCode: 'OPD code', opdCodeHelp: '2–32 capital letters, digits or underscores, e.g. DINKES.', opdHead: 'Head of the OPD',
  sponsorsTitle: 'CSR sponsors', sponsorsHelp: 'Companies and institutions that fund interventions.', sponsors: 'Sponsors', newSponsor: 'New sponsor', sponsorName: 'Sponsor name', sponsorType: 'Type', fundsRegencies: 'Regencies funded',
  stype_company: 'Private company', stype_bumn: 'State-owned enterprise', stype_bumd: 'Regional enterprise', stype_individual: 'Individual', stype_ngo: 'NGO', stype_baznas: 'BAZNAS', stype_university: 'University', stype_media: 'Media',
  slaTitle: 'SLA policy', slaHelp: "This regency's time allowed per step and its escalation ladder. Applies to steps entered after the change.", lastChanged: 'Last changed', defaultsInForce: 'The national defaults are in force.',
  caseStepDays: 'Calendar days per case step', taskStepDays: 'Time for OPD tasks', interventionStepDays: 'Time for interventions', outcomeRule: 'When a case may be resolved',
  sla_acknowledgeWorkingDays: 'Acknowledge (working days)', sla_completeDays: 'Complete (days)', sla_verifyDays: 'Verify (days)', sla_reassignWorkingDays: 'Reassign (working days)',
  sla_firstDeliveryDays: 'First delivery (days)', sla_graceDays: 'Delivery grace (days)', sla_minHaz: 'Minimum HAZ (z)', sla_minImprovement: 'Minimum HAZ gain (SD)',
  ladder: 'Escalation ladder', rung: 'Level', afterDays: 'Days after the deadline', notify: 'Who is told', channels: 'Channels', addRung: 'Add a level',
  recipient_assignee: 'Assignee', recipient_supervisor: 'Supervisor', recipient_opd_head: 'Head of the OPD', recipient_aks_chair: 'Audit team chair', recipient_tpps_chair: 'TPPS chair',
  channel_inbox: 'Inbox', channel_webhook: 'Webhook', channel_email: 'E-mail',
  holidays: 'Regional days off', holiday: 'Day off', addHoliday: 'Add a day off',
  auditTitle: 'Audit log', auditHelp: "Who read or changed whose records, when and why.", auditQuery: 'Filter', auditDone: 'Search done.', auditResults: 'Results',
  user: 'User', anyone: 'Anyone', anything: 'Any action', auditAction: 'Action', from: 'From', to: 'To', when: 'When', purpose: 'Purpose', exportCsv: 'Download CSV',
  subject: 'Data subject', subjectName: 'Name (start of it)', restricted: 'Restricted',
  privacyTitle: 'Data-subject rights', privacyHelp: "Export everything held about a person, restrict its processing, and lift the restriction (UU PDP).",
  exportData: 'Export data', exported: 'Data file downloaded.', purposeHelp: 'Required: the ground of the request, e.g. the letter number.',
  restrict: 'Restrict processing', restrictionReason: 'Reason for the restriction', restrictionSet: 'Processing restricted.', liftRestriction: 'Lift the restriction', restrictionLifted: 'Restriction lifted.',
  restrictedHelp: 'Only the DPO and admins see this record; imports leave it alone.',
  act_login: 'Log-in', 'act_login.success': 'Logged in', 'act_login.failure': 'Failed log-in', 'act_case.open': 'Opened a case', 'act_case.list': 'Listed cases', 'act_case.read': 'Read a case', 'act_case.history': 'Read a case history', 'act_case.transition': 'Moved a case',
  'act_consent.record': 'Recorded a consent', 'act_consent.read': 'Read consents', 'act_consent.withdraw': 'Withdrew a consent', 'act_import.rejections.export': 'Downloaded rejected import rows',
  'act_measurement.record': 'Recorded a measurement', 'act_retention.anonymise': 'Anonymised (retention)', 'act_sponsor.report': 'Read a sponsor report', 'act_sponsor.report.export': 'Downloaded a sponsor report',
  'act_subject.create': 'Registered a subject', 'act_subject.export': "Exported a subject's data", 'act_subject.growth': 'Read a growth chart', 'act_subject.read': "Read a subject's record", 'act_subject.restrict': 'Restricted processing',
  'act_subject.search': 'Searched subjects', 'act_subject.unrestrict': 'Lifted a restriction', 'act_subject.update': "Changed a subject's record", 'act_subject.timeline': "Read a child's cross-agency timeline", 'act_subject.convergence': "Read a subject's convergence scorecard",
  scopeProvince: 'Province', scopeNation: 'National', role_tpk: 'TPK member', tpkUserHelp: "A TPK member's villages and role (midwife, PKK cadre, KB cadre) are set by their village's TPK team.",
  ewTitle: 'Early warning', ewHelp: 'Children whose weight did not rise twice (2T), below the red line, above the orange line, faltering, or not weighed for long, by village, newest first.',
  nav_watch: 'Early warning', ewAsOf: 'As of', ewChildren: 'Children to watch', ewLastReading: 'last weighed', month: 'Month', total: 'Total',
  ew_2T: '2T', ew_BGM: 'Below red line', ew_above_orange: 'Above orange line', ew_faltering: 'Faltering', ew_lost: 'Not back for weighing', sex_M: 'M', sex_F: 'F',
  skdnTitle: "This month's SKDN", skdn_s: 'S', skdn_k: 'K', skdn_d: 'D', skdn_n: 'N', skdn_t: 'T', skdn_twoT: '2T', skdn_o: 'O', skdn_b: 'B', skdn_bgm: 'BGM', skdn_lost: 'Lost',
  skdnHelp_s: 'All children under five in the village', skdnHelp_k: 'With a KMS', skdnHelp_d: 'Weighed this month', skdnHelp_n: 'Gained weight',
  skdnHelp_t: 'Did not gain (2T included)', skdnHelp_twoT: 'Did not gain twice', skdnHelp_o: 'Not weighed last month', skdnHelp_b: 'First weighing', skdnHelp_bgm: 'Below the red line', skdnHelp_lost: 'Not weighed for 60 days or more',
  tpkTitle: "Today's visits", tpkHelp: 'Visits due (and overdue) in your villages, the most urgent first.',
  dueOn: 'Due', visitLabel: 'Visit', escalationLevel: 'Escalation level', recordVisit: 'Record visit', family: 'Family', familyCard: 'Family card no.',
  members: 'Members', krsAssessments: 'Stunting-risk assessments', visits: 'Visits', relation: 'Relation', pregnancy: 'Gestation', weeks: 'weeks',
  period: 'Period', krs: 'Family at risk of stunting', yes: 'Yes', no: 'No', krsTransition: 'Status', policyVersion: 'Rule version', person: 'Person',
  visitKind: 'Kind of visit', visitedOn: 'Visit day', childMeasurement: 'Measurement (child)', visitSaved: 'Visit saved.',
  visitRetryHint: 'No connection. The visit stays on this phone; send it again when you have signal: it will not be recorded twice.',
  lateRecorded: 'recorded late', headOfFamily: 'Head of family', welfarePriority: 'Welfare priority',
  tgroup_CATIN: 'Bride/groom-to-be', tgroup_IBU_HAMIL: 'Pregnant woman', tgroup_IBU_NIFAS: 'Post-partum mother', tgroup_BUMIL: 'Pregnant woman', tgroup_NIFAS: 'Post-partum mother', tgroup_BADUTA: 'Child under two', tgroup_BALITA: 'Child under five', tgroup_PUS: 'Couple of childbearing age',
  vkind_RUMAH: 'Home visit', vkind_POSYANDU: 'Posyandu', vkind_VERVAL: 'Verification round', vkind_TELEPON: 'Phone call',
  vact_KIE: 'Counselling (KIE)', vact_RUJUKAN: 'Referral', vact_BANSOS: 'Social aid', vact_PMT: 'Food supplement (PMT)', vact_ELSIMIL: 'Elsimil', vact_EPPGBM: 'e-PPGBM', vact_BAAS: 'BAAS', vact_GENTING: 'GENTING', vact_NONE: 'No action',
  vlabel_T1: 'first trimester', vlabel_T2: 'second trimester', vlabel_T3: 'third trimester', vlabel_KF1: 'post-partum 1 (KF1)', vlabel_KF2: 'post-partum 2 (KF2)', vlabel_KF3: 'post-partum 3 (KF3)', vlabel_KF4: 'post-partum 4 (KF4)',
  vlabel_MONTHLY: 'monthly', vlabel_PRA_NIKAH: 'before the marriage', vlabel_PENDAMPINGAN: 'accompaniment', vlabel_VISIT: 'scheduled', vlabel_TINDAK_LANJUT: 'early-warning follow-up',
  krs_BARU: 'New', krs_LAMA: 'Carried over', krs_KELUAR: 'Exited', krs_TETAP_NON: 'Not at risk',
  rel_KK: 'Head of family', rel_ISTRI: 'Wife', rel_ANAK: 'Child', rel_LAIN: 'Other',
  'act_subject.fhir_everything': "Exported a subject's data (FHIR)", 'act_family.create': 'Registered a family', 'act_family.read': "Read a family's record", 'act_family.search': 'Searched families',
  'act_family.update': "Changed a family's record", 'act_family.assess': "Assessed a family's stunting risk", 'act_visit.record': 'Recorded a TPK visit', 'act_visit.search': 'Listed TPK visits',
  'act_visit.due': 'Listed the visits due', 'act_screening.record': 'Recorded a bride-to-be screening', 'act_screening.read': "Read a bride-to-be's screenings",
};

export const dict = { id, en };

/** Keys asked for that the chosen language lacks: the browser tests fail on any. */
export const missingKeys = new Set();
globalThis.__tuntasMissingKeys = missingKeys;

export function t(key) {
  const hit = dict[current][key];
  if (hit !== undefined) return hit;
  missingKeys.add(`${current}:${key}`);
  return dict.id[key] ?? key;
}

/** An error in plain words; the server's own sentence (in the chosen language) follows where it says more. */
export function errorText(err) {
  const code = err?.code ?? 'other';
  const base = dict[current][`err_${code}`] ?? dict[current].err_other;
  if ((code === 'GUARD_FAILED' || code === 'CONFLICT' || code === 'FORBIDDEN') && err.message && !/^HTTP \d+$/.test(err.message)) return `${base}: ${err.message}`;
  return base;
}

/**
 * The reason for each field, from `details.fields` as [{field, reason}] (or {field: reason});
 * the first reason of a field when there are several.
 */
export function fieldErrors(err) {
  const out = {};
  const fields = err?.details?.fields;
  if (Array.isArray(fields)) {
    for (const f of fields) {
      const name = f?.field ?? f?.path;
      const reason = f?.reason ?? f?.message;
      if (typeof name === 'string' && typeof reason === 'string' && !(name in out)) out[name] = reason;
    }
  } else if (fields && typeof fields === 'object') {
    for (const [name, reason] of Object.entries(fields)) if (typeof reason === 'string') out[name] = reason;
  }
  return out;
}
