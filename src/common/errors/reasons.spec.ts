import { describe, expect, it } from '@jest/globals';
import { getMetadataStorage } from 'class-validator';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import '../../app.module.js'; // loads every DTO, so the metadata storage holds all their rules
import { parseCaseCommand } from '../../modules/cases/dto/case-event.dto.js';
import { parseTaskCommand } from '../../modules/tasks/dto/task.dto.js';
import { DomainError } from './domain-error.js';
import { hasIndonesian, inIndonesian, isLibraryWording, languageOf } from './reasons.js';

const problems = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof DomainError) return (e.details as { fields: { field: string; reason: string }[] }).fields;
    throw e;
  }
  throw new Error('expected a refusal');
};

describe('field reasons', () => {
  it('gives one reason per field, the most basic first', () => {
    expect(problems(() => parseTaskCommand({ type: 'COMPLETE' }))).toEqual([
      { field: 'note', reason: 'is required' },
      { field: 'evidence', reason: 'is required' },
    ]);
    expect(problems(() => parseCaseCommand({ type: 'RESOLVE' }))).toEqual([{ field: 'note', reason: 'is required' }]);
    expect(problems(() => parseTaskCommand({ type: 'COMPLETE', note: 'x', evidence: 'foto' }))).toEqual([{ field: 'evidence', reason: 'must be a list' }]);
    expect(problems(() => parseTaskCommand({ type: 'COMPLETE', note: 'x', evidence: [] }))).toEqual([{ field: 'evidence', reason: 'must list at least one item' }]);
    expect(
      problems(() =>
        parseCaseCommand({ type: 'RECORD_REMEASUREMENT', measuredAt: '2026-11-20', heightCm: 76, weightKg: '10,6', method: 'standing' }),
      ),
    ).toEqual([{ field: 'weightKg', reason: 'must be a number, written with a decimal point (10.6), not a comma' }]);
    expect(
      problems(() => parseCaseCommand({ type: 'RECORD_REMEASUREMENT', measuredAt: '2026-11-20', heightCm: 200, method: 'standing', extra: 1 })),
    ).toEqual([
      { field: 'extra', reason: 'is not a field of this request' },
      { field: 'heightCm', reason: 'must be at most 150' },
    ]);
  });

  it('names a nested field by its path and stops at a parent that is wrong as a whole', () => {
    const audit = { type: 'RECORD_AUDIT', auditedAt: '2026-11-20', cycle: '2026-S2', causes: ['INADEQUATE_INTAKE'], experts: [{ specialty: 'SpA' }] };
    expect(problems(() => parseCaseCommand({ ...audit, recommendations: [{ action: 'PMT', opdCode: 'dinkes' }] }))).toEqual([
      { field: 'recommendations.0.opdCode', reason: 'must be an OPD code such as DINKES' },
    ]);
    expect(problems(() => parseCaseCommand({ ...audit, recommendations: 'PMT' }))).toEqual([{ field: 'recommendations', reason: 'must be a list' }]);
  });

  it('has an Indonesian wording for every message a DTO declares', () => {
    const missing = new Set<string>();
    // The storage's map is private in its types; reading it is the only way to list every rule.
    const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<unknown, { message?: unknown; target: unknown; propertyName: string }[]> };
    for (const rules of storage.validationMetadatas.values()) {
      for (const rule of rules) {
        if (typeof rule.message !== 'string' || isLibraryWording(rule.message)) continue;
        const reason = rule.message.replace(/^(each value in |nested property )?\S+ (?=must|is|should)/, '');
        if (!hasIndonesian(reason)) missing.add(`${rule.target instanceof Function ? rule.target.name : String(rule.target)}.${rule.propertyName}: ${reason}`);
      }
    }
    expect([...missing]).toEqual([]);
  });

  it('has an Indonesian wording for every reason a service gives', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : f.endsWith('.ts') && !f.endsWith('.spec.ts') ? [join(dir, f)] : []));
    const reasons: string[] = [];
    for (const file of files('src')) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/ValidationFailed\.field\([^,]+,\s*(['`])((?:(?!\1).)*)\1/g)) reasons.push(m[2]);
      if (file.endsWith('nik.ts')) for (const m of text.matchAll(/return '([^']+)'/g)) reasons.push(m[1]);
    }
    expect(reasons.length).toBeGreaterThan(40);
    // A template's ${…} stands for a regency code or a list in every message that has one.
    const untranslated = reasons.map((r) => r.replace(/\$\{[^}]+\}/g, '3216')).filter((r) => !hasIndonesian(r));
    expect(untranslated).toEqual([]);
  });

  it('puts reasons into Indonesian and keeps the parts that are data', () => {
    expect(inIndonesian('is required')).toBe('wajib diisi');
    expect(inIndonesian('must be at most 2000 characters')).toBe('paling banyak 2000 karakter');
    expect(inIndonesian('must be one of SpA, SpOG, GIZI, PSIKOLOG, OTHER')).toBe('harus salah satu dari SpA, SpOG, GIZI, PSIKOLOG, OTHER');
    expect(inIndonesian('names no OPD of regency 3216')).toBe('tidak menyebut OPD kabupaten/kota 3216');
    expect(inIndonesian('a reason nobody wrote a translation for')).toBe('a reason nobody wrote a translation for');
  });

  it('reads the language from Accept-Language', () => {
    expect(languageOf(undefined)).toBe('en');
    expect(languageOf('id')).toBe('id');
    expect(languageOf('id-ID,id;q=0.9,en-US;q=0.8,en;q=0.7')).toBe('id');
    expect(languageOf('en-US,en;q=0.9,id;q=0.8')).toBe('en');
    expect(languageOf('fr')).toBe('en');
  });
});
