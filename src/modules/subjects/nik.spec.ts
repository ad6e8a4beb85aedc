import { describe, expect, it } from '@jest/globals';
import { nikProblem } from './nik.js';

const districts = new Set(['321606', '110101']);
const isDistrict = (c: string) => districts.has(c);

describe('nikProblem', () => {
  it.each([
    ['3216064101200002', 'a woman born 1 Jan 2020'],
    ['3216060101200002', 'a man born 1 Jan 2020'],
    ['3216062902000001', '29 Feb 2000'],
    ['3216067112990001', 'a woman born 31 Dec 1999'],
  ])('accepts %s (%s)', (nik) => {
    expect(nikProblem(nik, isDistrict)).toBeNull();
  });

  it.each([
    ['321606410120000', 'must be exactly 16 digits'],
    ['32160641012000021', 'must be exactly 16 digits'],
    ['32160641012000a2', 'must be exactly 16 digits'],
    ['9999994101200002', 'kecamatan'],
    ['3216063201200002', 'birth date'],
    ['3216060013200002', 'birth date'],
    ['3216063002200002', 'birth date'],
    ['3216060001200002', 'birth date'],
    ['3216064101200000', 'serial'],
  ])('refuses %s: %s', (nik, reason) => {
    expect(nikProblem(nik, isDistrict)).toContain(reason);
  });
});
