import { beforeAll, describe, expect, it } from '@jest/globals';
import { RegionsService } from './regions.service.js';

/** Village names resolve against idn-area-data itself: no hand-made table. */
describe('village names', () => {
  const regions = new RegionsService();
  beforeAll(async () => {
    await regions.onModuleInit();
  });

  it('finds a village whatever its case, spacing and Desa/Kelurahan prefix', () => {
    for (const typed of ['Setiadarma', 'SETIADARMA', 'Desa Setia Darma', 'desa  setiadarma', 'Kel. Setiadarma']) {
      expect(regions.villageByName('3216', typed)).toEqual({ code: '3216062005' });
    }
  });

  it('names every candidate when a name is shared by villages of several kecamatan, and takes the Kec to tell them apart', () => {
    const shared = regions.villageByName('3201', 'Pabuaran');
    expect('problem' in shared && shared.problem).toMatch(/"Pabuaran" names 5 villages in Kabupaten Bogor: Pabuaran \(Kec\. Cibinong, 3201011012\);/);
    expect(regions.villageByName('3201', 'Pabuaran', 'Kec. Cibinong')).toEqual({ code: '3201011012' });
    expect(regions.villageByName('3201', 'Pabuaran', 'CIBINONG')).toEqual({ code: '3201011012' });
  });

  it('suggests the nearest names for a misspelling, and never looks outside the regency', () => {
    const typo = regions.villageByName('3216', 'Setiadharma');
    expect('problem' in typo && typo.problem).toContain('did you mean Setiadarma (Kec. Tambun Selatan, 3216062005)');
    const elsewhere = regions.villageByName('3216', 'Pabuaran Mekar');
    expect('problem' in elsewhere).toBe(true);
  });

  it('checks a name beside a code, and a Kab/Kota name against the import regency', () => {
    expect(regions.villageNameProblem('3216062005', 'SETIA DARMA')).toBeNull();
    expect(regions.villageNameProblem('3216062005', 'Sukamaju')).toContain('(Setiadarma)');
    expect(regions.regencyNameProblem('3216', 'KAB. BEKASI')).toBeNull();
    expect(regions.regencyNameProblem('3216', 'Bekasi')).toBeNull();
    expect(regions.regencyNameProblem('3216', 'Kota Bekasi')).toContain('is not Kabupaten Bekasi');
    expect(regions.regencyNameProblem('3275', 'KOTA BEKASI')).toBeNull();
    expect(regions.regencyNameProblem('3275', 'Kab. Bekasi')).not.toBeNull();
  });
});
