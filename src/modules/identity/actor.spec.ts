import { describe, expect, it } from '@jest/globals';
import { Forbidden } from '../../common/errors/domain-error.js';
import { actorOf, aggregateInScope, aggregatePrefix, aggregatesOnly, inScope, regencyScope, targetRegency, villageInScope } from './actor.js';
import type { Role } from './role.js';

const user = (role: Role, regencyCode: string | null, provinceCode: string | null = null) =>
  actorOf({ id: '00000000-0000-4000-8000-000000000001', username: 'u', displayName: 'U', role, regencyCode, provinceCode, opdId: null, sponsorId: null });

describe('actor scope', () => {
  const regencyViewer = user('viewer', '3216');
  const provinceViewer = user('viewer', null, '32');
  const provinceAdmin = user('admin', null, '32');
  const nationalViewer = user('viewer', null);
  const nationalAdmin = user('admin', null);
  const nationalDpo = user('dpo', null);

  it('names the level from the binding', () => {
    expect([regencyViewer, provinceViewer, nationalViewer, nationalAdmin].map((a) => a.level)).toEqual(['regency', 'province', 'nation', 'nation']);
    // A province code beside a regency (which the database refuses) never widens a regency user.
    expect(user('viewer', '3216', '32')).toMatchObject({ level: 'regency', provinceCode: null });
  });

  it('aggregatePrefix: the regency, the province, or the nation', () => {
    expect([regencyViewer, provinceViewer, provinceAdmin, nationalViewer, nationalAdmin].map(aggregatePrefix)).toEqual(['3216', '32', '32', '', '']);
    expect(aggregateInScope(provinceViewer, '3273')).toBe(true);
    expect(aggregateInScope(provinceViewer, '3273011001')).toBe(true);
    expect(aggregateInScope(provinceViewer, '3171')).toBe(false);
    expect(aggregateInScope(provinceViewer, '31')).toBe(false);
    expect(aggregateInScope(regencyViewer, '3273')).toBe(false);
    expect(aggregateInScope(nationalViewer, '3171')).toBe(true);
  });

  it('province users and national viewers read aggregates only: the by-name helpers refuse them', () => {
    for (const a of [provinceViewer, provinceAdmin, nationalViewer]) {
      expect(aggregatesOnly(a)).toBe(true);
      expect(() => regencyScope(a)).toThrow(Forbidden);
      expect(() => targetRegency(a, '3216')).toThrow(Forbidden);
      expect(inScope(a, '3216')).toBe(false);
      expect(villageInScope(a, '3216062005')).toBe(false);
    }
  });

  it('the national admin and DPO keep every regency, as before', () => {
    for (const a of [nationalAdmin, nationalDpo]) {
      expect(aggregatesOnly(a)).toBe(false);
      expect(regencyScope(a)).toBeNull();
      expect(inScope(a, '3171')).toBe(true);
      expect(targetRegency(a, '3171')).toBe('3171');
    }
    expect(aggregatesOnly(regencyViewer)).toBe(false);
    expect(regencyScope(regencyViewer)).toBe('3216');
  });
});
