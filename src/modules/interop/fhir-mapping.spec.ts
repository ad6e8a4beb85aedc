import { describe, expect, it } from '@jest/globals';
import type { Bundle, Encounter, Observation, Patient, RelatedPerson } from '@medplum/fhirtypes';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ChildForExport, type ExportSettings, growthCollection, localDay, MappingRefused, readingBundle, type ReadingForExport } from './fhir-mapping.js';
import { bundleProblems } from './fhir-validation.js';

const GOLDEN = join(process.cwd(), 'test/fixtures/fhir');
const settings: ExportSettings = { organizationId: '100026342', zscoreSystem: null };

const child: ChildForExport = {
  subjectId: '019ad1e2-5b1c-7c3e-8a51-3f0c2d4b6a71',
  patientId: null,
  nik: '3216064103240002',
  motherNik: null,
  sex: 'F',
  birthDate: '2024-03-01',
  villageCode: '3216062005',
  posyandu: 'Posyandu Melati 3',
};

const lying: ReadingForExport = {
  measurementId: '019ad1e3-0a00-7000-8000-000000000001',
  regencyCode: '3216',
  measuredOn: '2025-11-20',
  method: 'recumbent',
  weightKg: 8.4,
  heightCm: 74.5,
  headCm: null,
  muacCm: null,
  haz: -2.31,
  waz: -1.5,
  whz: -0.4,
  status: { haz: 'pendek', waz: 'normal', whz: 'gizi_baik' },
};

/** Compares with the stored golden bundle; GOLDEN_UPDATE=1 writes it (review the diff before committing). */
function golden(name: string, bundle: Bundle): void {
  const file = join(GOLDEN, `${name}.json`);
  const text = `${JSON.stringify(bundle, null, 2)}\n`;
  if (process.env.GOLDEN_UPDATE === '1') writeFileSync(file, text);
  // A missing golden file is a failure, not a new golden file: it would pass whatever the mapping made.
  if (!existsSync(file)) throw new Error(`${file} is missing: write it with GOLDEN_UPDATE=1 and review it`);
  expect(bundle).toEqual(JSON.parse(readFileSync(file, 'utf8')));
}

const resources = <T>(b: Bundle, type: string) => (b.entry ?? []).map((e) => e.resource).filter((r) => r?.resourceType === type) as T[];
const codes = (b: Bundle) => resources<Observation>(b, 'Observation').map((o) => o.code.coding![0].code);

describe('FHIR mapping of a growth reading', () => {
  it('a lying reading: length 8306-3 and weight 29463-7 in kg/cm, an AMB encounter on the local day at the posyandu', () => {
    const b = readingBundle(lying, child, settings);
    golden('reading-lying', b);
    expect(bundleProblems(b, { method: 'recumbent' })).toEqual([]);
    expect(b.type).toBe('transaction');
    expect(codes(b)).toEqual(['29463-7', '8306-3']);
    const [enc] = resources<Encounter>(b, 'Encounter');
    expect(enc).toMatchObject({ status: 'finished', class: { code: 'AMB' }, serviceProvider: { reference: 'Organization/100026342' } });
    expect(enc.period).toEqual({ start: '2025-11-20T00:00:00+07:00', end: '2025-11-20T23:59:59+07:00' });
    expect(enc.subject).toEqual({ reference: 'Patient?identifier=https://fhir.kemkes.go.id/id/nik|3216064103240002' });
    const location = b.entry!.find((e) => e.resource?.resourceType === 'Location')!;
    expect(enc.location![0].location.reference).toBe(location.fullUrl);
    expect(location.resource).toMatchObject({ name: 'Posyandu Melati 3' });
    for (const e of b.entry!) expect(e.request).toMatchObject({ method: 'POST', ifNoneExist: expect.stringMatching(/^identifier=http:\/\/sys-ids\.kemkes\.go\.id\//) });
    // Nothing personal beyond the NIK the platform identifies the child by: no name, no address, no mother's name.
    expect(JSON.stringify(b)).not.toMatch(/"name":"(?!Posyandu)|Aisyah|address":\{"line/);
  });

  it('a standing reading: height 8308-9, never the lying code', () => {
    const b = readingBundle({ ...lying, measurementId: '019ad1e3-0a00-7000-8000-000000000002', method: 'standing', heightCm: 88.2, weightKg: 12.1 }, child, settings);
    golden('reading-standing', b);
    expect(bundleProblems(b, { method: 'standing' })).toEqual([]);
    expect(codes(b)).toEqual(['29463-7', '8308-9']);
  });

  it('MUAC 56072-2 and head circumference 8287-5, both in cm; z-scores only in the local CodeSystem when switched on', () => {
    const r = { ...lying, measurementId: '019ad1e3-0a00-7000-8000-000000000003', headCm: 44.5, muacCm: 12.2 };
    const plain = readingBundle(r, child, settings);
    expect(codes(plain)).toEqual(['29463-7', '8306-3', '8287-5', '56072-2']);
    const withZ = readingBundle(r, child, { ...settings, zscoreSystem: 'https://tuntas.bekasikab.go.id/fhir/CodeSystem/growth' });
    golden('reading-muac-head-zscores', withZ);
    expect(bundleProblems(withZ, { method: 'recumbent' })).toEqual([]);
    for (const o of resources<Observation>(plain, 'Observation').slice(2)) expect(o.valueQuantity).toMatchObject({ unit: 'cm', code: 'cm', system: 'http://unitsofmeasure.org' });
    const z = resources<Observation>(withZ, 'Observation').at(-1)!;
    expect(z.component!.map((c) => [c.code.coding![0].code, c.valueQuantity!.value, c.interpretation![0].coding![0].code])).toEqual([
      ['HAZ', -2.31, 'pendek'],
      ['WAZ', -1.5, 'normal'],
      ['WHZ', -0.4, 'gizi_baik'],
    ]);
    expect(JSON.stringify(plain)).not.toContain('HAZ');
  });

  it('a child without NIK: a Patient identified by the mother’s NIK (nik-ibu) and birth date, the mother as a RelatedPerson (MTH)', () => {
    const b = readingBundle({ ...lying, measurementId: '019ad1e3-0a00-7000-8000-000000000004' }, { ...child, nik: null, motherNik: '3216065508950003', posyandu: null }, settings);
    golden('reading-child-without-nik', b);
    expect(bundleProblems(b, { method: 'recumbent' })).toEqual([]);
    const [patient] = resources<Patient>(b, 'Patient');
    const [mother] = resources<RelatedPerson>(b, 'RelatedPerson');
    expect(patient.identifier).toEqual([{ system: 'https://fhir.kemkes.go.id/id/nik-ibu', value: '3216065508950003' }]);
    expect(patient).toMatchObject({ birthDate: '2024-03-01', gender: 'female', multipleBirthInteger: 1 });
    expect(patient.name).toBeUndefined();
    expect(mother.relationship![0].coding![0].code).toBe('MTH');
    expect(mother.identifier).toContainEqual({ system: 'https://fhir.kemkes.go.id/id/nik', value: '3216065508950003' });
    const patientEntry = b.entry!.find((e) => e.resource === patient)!;
    expect(patientEntry.request!.ifNoneExist).toBe('identifier=https://fhir.kemkes.go.id/id/nik-ibu|3216065508950003&birthdate=2024-03-01');
    expect(resources<Encounter>(b, 'Encounter')[0].subject!.reference).toBe(patientEntry.fullUrl);
    // Without a posyandu, the encounter happens at the child's village.
    expect(resources<{ name: string }>(b, 'Location')[0].name).toBe('Desa/Kelurahan 3216062005');
  });

  it('references the platform’s own Patient id when it is known', () => {
    const b = readingBundle(lying, { ...child, patientId: 'P02478375538' }, settings);
    expect(resources<Encounter>(b, 'Encounter')[0].subject).toEqual({ reference: 'Patient/P02478375538' });
    expect(bundleProblems(b)).toEqual([]);
  });

  it('is the same bundle every time: identifiers and urns are stable per reading, so a replay creates nothing', () => {
    expect(readingBundle(lying, child, settings)).toEqual(readingBundle(lying, child, settings));
    const corrected = readingBundle(lying, child, settings, { correction: true });
    const enc = corrected.entry!.find((e) => e.resource?.resourceType === 'Encounter')!;
    expect(enc.request).toEqual({ method: 'PUT', url: 'Encounter?identifier=http://sys-ids.kemkes.go.id/encounter/100026342|019ad1e3-0a00-7000-8000-000000000001' });
    expect(bundleProblems(corrected)).toEqual([]);
  });

  it('keeps the regency’s zone: WITA and WIT readings carry +08:00 and +09:00', () => {
    expect(localDay('2025-11-20', '7371').start).toBe('2025-11-20T00:00:00+08:00');
    expect(localDay('2025-11-20', '9171').end).toBe('2025-11-20T23:59:59+09:00');
  });

  it('refuses a child neither the platform nor a NIK can identify, and a length without its method', () => {
    expect(() => readingBundle(lying, { ...child, nik: null }, settings)).toThrow(MappingRefused);
    expect(() => readingBundle({ ...lying, method: null }, child, settings)).toThrow(/without its method/);
  });

  it('a growth collection ($everything) validates, with one Location for readings at the same posyandu', () => {
    const b = growthCollection(child, [lying, { ...lying, measurementId: '019ad1e3-0a00-7000-8000-000000000009', measuredOn: '2025-12-18' }], settings, '2026-11-23T10:00:00+07:00');
    expect(b.type).toBe('collection');
    expect(bundleProblems(b)).toEqual([]);
    expect(resources(b, 'Location')).toHaveLength(1);
    expect(resources(b, 'Encounter')).toHaveLength(2);
    expect(resources<Patient>(b, 'Patient')[0].identifier![0]).toEqual({ system: 'https://fhir.kemkes.go.id/id/nik', value: '3216064103240002' });
  });
});

describe('FHIR bundle validation', () => {
  it('refuses a broken bundle, with the reasons: both length and height, a unit "kilogram"', () => {
    const b = readingBundle(lying, child, settings);
    const obs = resources<Observation>(b, 'Observation');
    obs[0].valueQuantity = { ...obs[0].valueQuantity, unit: 'kilogram', code: 'kilogram' };
    const height = structuredClone(b.entry!.find((e) => e.resource === obs[1])!);
    (height.resource as Observation).code = { coding: [{ system: 'http://loinc.org', code: '8308-9' }] };
    height.fullUrl = 'urn:uuid:6f1c1c1e-8b43-5a8e-9c1e-2d1a4c7e9b10';
    b.entry!.push(height);
    const reasons = bundleProblems(b, { method: 'recumbent' }).map((p) => p.reason);
    expect(reasons).toContain('must be the UCUM unit "kg", not "kilogram"');
    expect(reasons).toContain('must be "kg", not "kilogram"');
    expect(reasons).toContain('a reading is a length (8306-3, lying) or a height (8308-9, standing), never both');
    expect(reasons).toContain('the reading was measured recumbent: its code is 8306-3, not 8308-9');
  });

  it('refuses what base FHIR R4 refuses (checked by @medplum/core), and our invariants: offsets, references, statuses', () => {
    const b = readingBundle(lying, child, settings);
    const [enc] = resources<Encounter>(b, 'Encounter');
    enc.period = { start: '2025-11-20' };
    (enc as unknown as { status: string }).status = 'in-progress';
    const [weight] = resources<Observation>(b, 'Observation');
    weight.encounter = { reference: 'urn:uuid:00000000-0000-5000-8000-000000000000' };
    (weight.valueQuantity as unknown as { value: string }).value = '8,4';
    (weight as unknown as { colour: string }).colour = 'red';
    const problems = bundleProblems(b);
    const text = problems.map((p) => `${p.path}: ${p.reason}`);
    expect(text).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/value\[x\]\.value: Invalid JSON type: expected number/),
        expect.stringMatching(/colour.*Invalid additional property/),
        expect.stringContaining('period.start: "2025-11-20" must be a local time with its offset'),
        expect.stringContaining('status: an exported encounter is finished'),
        expect.stringContaining('encounter: urn:uuid:00000000-0000-5000-8000-000000000000 is not an entry of this bundle'),
      ]),
    );
  });
});
