import { describe, expect, it } from '@jest/globals';
import { mapHeaders, parseRow } from './eppgbm-row.js';

const HEADERS = ['NIK Anak', 'Nama Anak', 'Tanggal Lahir', 'JK', 'Desa', 'Tanggal Ukur', 'Berat', 'Tinggi', 'Cara Ukur'];
const good = ['3216064103240002', 'Aisyah  Putri', '01/03/2024', 'P', '32.16.06.2005', '20/11/2026', '8,4', '74.5', 'Terlentang'];

describe('e-PPGBM rows', () => {
  const { columns, missing } = mapHeaders(HEADERS);

  it('maps headers whatever their case and spacing, and names the missing ones', () => {
    expect(missing).toEqual([]);
    expect(mapHeaders([' nama ANAK ', 'tgl_lahir', 'Jenis Kelamin']).missing).toEqual(['villageCode', 'measuredAt']);
    expect(mapHeaders(['Nama Balita'], { 'Nama Balita': 'name' }).columns).toEqual(['name']);
  });

  it('reads dates, decimal commas, dotted village codes and the measuring position', () => {
    expect(parseRow(columns, good)).toEqual({
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
    const parsed = parseRow(columns, values);
    expect('problems' in parsed && parsed.problems.map((p) => p.field)).toContain(field);
  });
});
