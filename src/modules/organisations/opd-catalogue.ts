/** The OPDs a district usually has (domain brief §1); seeded per regency on request. */
export const OPD_CATALOGUE: readonly { code: string; name: string }[] = [
  { code: 'DINKES', name: 'Dinas Kesehatan' },
  { code: 'DP2KB', name: 'Dinas Pengendalian Penduduk dan Keluarga Berencana' },
  { code: 'BAPPEDA', name: 'Badan Perencanaan Pembangunan Daerah' },
  { code: 'PUPR', name: 'Dinas Pekerjaan Umum dan Penataan Ruang' },
  { code: 'DINSOS', name: 'Dinas Sosial' },
  { code: 'DPMD', name: 'Dinas Pemberdayaan Masyarakat dan Desa' },
  { code: 'DISDUKCAPIL', name: 'Dinas Kependudukan dan Pencatatan Sipil' },
  { code: 'DISDIK', name: 'Dinas Pendidikan' },
  { code: 'DKP', name: 'Dinas Ketahanan Pangan' },
];
