import { describe, expect, it } from '@jest/globals';
import { detectLayout, mapHeaders, parseDay, parseReading, readingsOf, type RegionContext } from './eppgbm-row.js';
import { sniffDelimiter } from './table-reader.js';

const HEADERS = ['NIK Anak', 'Nama Anak', 'Tanggal Lahir', 'JK', 'Kode Desa', 'Tanggal Ukur', 'Berat Badan (kg)', 'Tinggi', 'Cara Ukur'];
const good = ['3216064103240002', 'Aisyah  Putri', '01/03/2024', 'P', '32.16.06.2005', '20/11/2026', '8,4', '74.5', 'Terlentang'];
const ctx: RegionContext = {
  villageByName: (name) => (name.toLowerCase() === 'setiadarma' ? { code: '3216062005' } : { problem: `there is no village "${name}"` }),
  villageNameProblem: (code, name) => (code === '3216062005' && name.toLowerCase() !== 'setiadarma' ? `"${name}" is not the name of village ${code}` : null),
  regencyNameProblem: () => null,
  defaults: {},
};
const parse = (headers: string[], values: string[], c = ctx) => parseReading(readingsOf(detectLayout(headers, undefined).layout, values)[0], c);

describe('e-PPGBM rows', () => {
  it('maps headers whatever their case, spacing and unit, and names the missing ones', () => {
    expect(mapHeaders(HEADERS).missing).toEqual([]);
    expect(mapHeaders([' nama ANAK ', 'tgl_lahir', 'Jenis Kelamin']).missing).toEqual(['measuredAt', 'villageCode']);
    expect(mapHeaders(['Nama Balita'], { 'Nama Balita': 'name' }).columns).toEqual(['name']);
    expect(mapHeaders(['Desa/Kel', 'Kec', 'Kab/Kota', 'BB/U', 'ZS TB/U', 'LILA (cm)', 'No. KK']).columns).toEqual([
      'villageName', 'districtName', 'regencyName', null, null, 'muacCm', 'familyCardNumber',
    ]);
  });

  it('reads dates, decimal commas, dotted village codes and the measuring position', () => {
    expect(parse(HEADERS, good)).toEqual({
      row: expect.objectContaining({
        nik: '3216064103240002',
        name: 'Aisyah Putri',
        birthDate: '2024-03-01',
        sex: 'F',
        villageCode: '3216062005',
        measuredAt: '2026-11-20',
        weightKg: 8.4,
        heightCm: 74.5,
        method: 'recumbent',
      }),
    });
  });

  it('reads Excel day serials and date-times as days; refuses days that do not exist', () => {
    expect(parseDay('46346')).toBe('2026-11-20');
    expect(parseDay('2026-11-20 00:00:00')).toBe('2026-11-20');
    expect(parseDay('29/02/2025')).toBeNull();
    expect(parseDay('29/02/2024')).toBe('2024-02-29');
  });

  it('resolves a village name, and checks a name given beside a code', () => {
    const h = ['Nama Anak', 'JK', 'Tgl Lahir', 'Desa/Kel', 'Tanggal Pengukuran', 'Berat'];
    expect(parse(h, ['A', 'L', '01/01/2025', 'Setiadarma', '01/11/2026', '9'])).toMatchObject({ row: { villageCode: '3216062005' } });
    expect(parse(h, ['A', 'L', '01/01/2025', 'Nowhere', '01/11/2026', '9'])).toEqual({ problems: [{ field: 'villageName', reason: 'there is no village "Nowhere"' }] });
    const both = [...h, 'Kode Desa'];
    expect(parse(both, ['A', 'L', '01/01/2025', 'Sukamaju', '01/11/2026', '9', '3216062005'])).toEqual({
      problems: [{ field: 'villageName', reason: '"Sukamaju" is not the name of village 3216062005' }],
    });
  });

  it.each([
    [0, '123', 'nik'],
    [2, '31/02/2024', 'birthDate'],
    [3, 'X', 'sex'],
    [4, '3216', 'villageCode'],
    [5, '2026/11/20x', 'measuredAt'],
    [6, '0,2', 'weightKg'],
    [7, 'abc', 'heightCm'],
    [8, 'duduk', 'method'],
    [1, '', 'name'],
  ])('column %i = %j is refused as %s', (i, value, field) => {
    const values = [...good];
    values[i] = value;
    const parsed = parse(HEADERS, values);
    expect('problems' in parsed && parsed.problems.map((p) => p.field)).toContain(field);
  });

  describe('names that would display as something else, or as nothing (the API\'s rule)', () => {
    const H = [...HEADERS, 'Nama Ibu'];
    const row = (name: string, mother: string) => {
      const values = [...good, mother];
      values[1] = name;
      return parse(H, values);
    };
    it.each([
      ['a right-to-left override in the child\'s name', 'Budi\u202Egnaliw', 'Siti', 'name', 'must not contain bidirectional override characters'],
      ['an isolate in the mother\'s name', 'Aisyah', '\u2066Siti\u2069 Aminah', 'motherName', 'must not contain bidirectional override characters'],
      ['a child\'s name of zero-width spaces', '\u200B\u200B\u200B', 'Siti', 'name', 'must contain a visible character'],
      ['a mother\'s name of a word joiner and a Hangul filler', 'Aisyah', '\u2060\u3164', 'motherName', 'must contain a visible character'],
    ])('%s: the row is refused, naming the field', (_, name, mother, field, reason) => {
      expect(row(name, mother)).toEqual({ problems: [{ field, reason }] });
    });

    it('ordinary names with marks and joiners still pass', () => {
      expect(row('Nyoman Ayu Su\u00E9ndri', "Ma'ruf\u200DAisyah")).toMatchObject({ row: { name: 'Nyoman Ayu Su\u00E9ndri', motherName: "Ma'ruf\u200DAisyah" } });
    });
  });

  it('reads a posyandu register: one reading per filled month, problems named with their month', () => {
    const { layout, missing } = detectLayout(
      ['NO', 'NIK', 'NAMA ANAK', 'TANGGAL LAHIR', 'JENIS KELAMIN', 'JANUARI 2026', '', '', '', '', 'FEBRUARI 2026', '', '', '', ''],
      ['', '', '', '', '', 'TGL UKUR', 'UMUR', 'BERAT', 'TINGGI', 'CARA UKUR', 'TGL UKUR', 'UMUR', 'BERAT', 'TINGGI', 'CARA UKUR'],
      { formGives: ['villageCode'] },
    );
    expect([layout.kind, missing]).toEqual(['register', []]);
    const row = ['1', '', 'Gilang', '12/01/2025', 'L', '14/01/2026', '12', '8,1', '71', 'terlentang', '11/02/2026', '13', '8,3', 'x', 'terlentang'];
    const readings = readingsOf(layout, row);
    expect(readings.map((r) => r.label)).toEqual(['JANUARI 2026', 'FEBRUARI 2026']);
    const withForm = { ...ctx, defaults: { villageCode: '3216062005', posyandu: 'Mawar' } };
    expect(parseReading(readings[0], withForm)).toMatchObject({ row: { measuredAt: '2026-01-14', villageCode: '3216062005', posyandu: 'Mawar', weightKg: 8.1 } });
    expect(parseReading(readings[1], withForm)).toEqual({ problems: [{ field: 'heightCm', reason: 'FEBRUARI 2026: must be a number from 38 to 150' }] });
  });

  it('sniffs one delimiter per file from its header line', () => {
    expect(sniffDelimiter('NIK;Nama Anak;Tgl Lahir;Berat')).toBe(';');
    expect(sniffDelimiter('NIK,Nama Anak,"Desa; Kel",Berat')).toBe(',');
    expect(sniffDelimiter('NIK\tNama Anak\tBerat')).toBe('\t');
  });
});
