import { describe, expect, it } from '@jest/globals';
import { completeness } from './completeness.js';

const ind = (code: string) => ({ code, name: code, kind: 'sasaran', ownerOpdCode: 'DINKES' });
const V = [
  { villageCode: '3216062001', districtCode: '321606', districtName: 'Tambun Selatan' },
  { villageCode: '3216062002', districtCode: '321606', districtName: 'Tambun Selatan' },
  { villageCode: '3216012001', districtCode: '321601', districtName: 'Setu' },
];

describe('Master Ansit completeness', () => {
  it('counts filled cells over indicators × villages; a village missing a value keeps the indicator open', () => {
    const filled = new Set(['A|3216062001', 'A|3216062002', 'A|3216012001', 'B|3216062001', 'B|3216012001', 'X|3216062001']);
    const c = completeness([ind('A'), ind('B'), ind('C')], V, filled);
    expect(c).toMatchObject({ villages: 3, indicators: 3, cells: 9, filled: 5, ratio: 0.5556, indicatorsDone: 1 });
    expect(c.byIndicator.map((i) => [i.code, i.villagesFilled, i.done])).toEqual([
      ['A', 3, true],
      ['B', 2, false], // 3216062002 has no B
      ['C', 0, false],
    ]);
    expect(c.byKecamatan).toEqual([
      { districtCode: '321601', districtName: 'Setu', villages: 1, cells: 3, filled: 2, ratio: 0.6667 },
      { districtCode: '321606', districtName: 'Tambun Selatan', villages: 2, cells: 6, filled: 3, ratio: 0.5 },
    ]);
  });

  it('a regency without villages or indicators has no ratio and nothing done', () => {
    expect(completeness([ind('A')], [], new Set())).toMatchObject({ cells: 0, filled: 0, ratio: null, indicatorsDone: 0 });
    expect(completeness([], V, new Set())).toMatchObject({ cells: 0, ratio: null, byKecamatan: [{ filled: 0, cells: 0, ratio: null }, { filled: 0 }] });
  });
});
