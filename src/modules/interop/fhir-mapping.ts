import type { Bundle, BundleEntry, Encounter, Location, Observation, ObservationComponent, Patient, Quantity, Reference, RelatedPerson } from '@medplum/fhirtypes';
import { createHash } from 'node:crypto';
import { utcOffsetHours } from '../escalation/working-days.js';

/** Identifier systems of SATUSEHAT (domain brief §7.1); facility-local ones carry the Organization id. */
export const NIK_SYSTEM = 'https://fhir.kemkes.go.id/id/nik';
export const MOTHER_NIK_SYSTEM = 'https://fhir.kemkes.go.id/id/nik-ibu';
export const LOINC = 'http://loinc.org';
export const UCUM = 'http://unitsofmeasure.org';
const CATEGORY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/observation-category';
const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const ROLE_CODE = 'http://terminology.hl7.org/CodeSystem/v3-RoleCode';
/** Kemendagri region codes, for the posyandu's village. */
export const VILLAGE_SYSTEM = 'https://kodewilayah.kemendagri.go.id/desa';

export const localSystem = (resource: string, organizationId: string) => `http://sys-ids.kemkes.go.id/${resource}/${organizationId}`;

/** The growth readings Tuntas exports, with their LOINC code and UCUM unit. */
export const READINGS = {
  weight: { code: '29463-7', display: 'Body weight', unit: 'kg' },
  length: { code: '8306-3', display: 'Body height --lying', unit: 'cm' },
  height: { code: '8308-9', display: 'Body height --standing', unit: 'cm' },
  head: { code: '8287-5', display: 'Head Occipital-frontal circumference by Tape measure', unit: 'cm' },
  // MUAC: a public LOINC code not confirmed by SATUSEHAT terminology (brief wave 2 §5), so no display is claimed.
  muac: { code: '56072-2', display: undefined, unit: 'cm' },
} as const;
export type ReadingKind = keyof typeof READINGS;

export interface ExportSettings {
  /** The regency's Organization id on the receiving platform (SATUSEHAT: its IHS Organization id). */
  organizationId: string;
  /** URL of the regency's local CodeSystem for z-scores and the Permenkes category; null: not exported. */
  zscoreSystem: string | null;
}

export interface ReadingForExport {
  measurementId: string;
  regencyCode: string;
  measuredOn: string;
  method: 'recumbent' | 'standing' | null;
  weightKg: number | null;
  /** As measured, before the 0.7 cm rule: the code says how it was measured. */
  heightCm: number | null;
  headCm: number | null;
  muacCm: number | null;
  haz: number | null;
  waz: number | null;
  whz: number | null;
  status: { haz: string | null; waz: string | null; whz: string | null };
}

export interface ChildForExport {
  subjectId: string;
  /** The platform's own Patient id, where known: referenced as Patient/{id}. */
  patientId: string | null;
  nik: string | null;
  motherNik: string | null;
  sex: 'M' | 'F';
  birthDate: string;
  villageCode: string;
  posyandu: string | null;
}

/** A reading that cannot become a bundle, and why. */
export class MappingRefused extends Error {}

/**
 * One reading as a FHIR R4 `transaction` Bundle: the posyandu as a Location, an Encounter and
 * one Observation per value, each created only if its stable identifier is new (`ifNoneExist`),
 * so a replay creates nothing. A correction updates the same resources (conditional PUT).
 * The child is referenced, not sent: by the platform's id, else by NIK; a child without one is
 * sent once as a Patient identified by the mother's NIK, with the mother as a RelatedPerson.
 * Nothing else about the child (no name, no address) leaves Tuntas.
 */
export function readingBundle(reading: ReadingForExport, child: ChildForExport, settings: ExportSettings, opts: { correction?: boolean } = {}): Bundle {
  const org = settings.organizationId;
  const urn = (role: string) => `urn:uuid:${stableUuid(`${reading.measurementId}/${role}`)}`;
  const entries: BundleEntry[] = [];

  let subject: Reference<Patient>;
  if (child.patientId) subject = { reference: `Patient/${child.patientId}` };
  else if (child.nik) subject = { reference: `Patient?identifier=${NIK_SYSTEM}|${child.nik}` };
  else if (child.motherNik) {
    const patientUrl = urn('patient');
    const mother: RelatedPerson = {
      resourceType: 'RelatedPerson',
      identifier: [
        { system: localSystem('relatedperson', org), value: `${child.subjectId}-MTH` },
        { system: NIK_SYSTEM, value: child.motherNik },
      ],
      active: true,
      patient: { reference: patientUrl },
      relationship: [{ coding: [{ system: ROLE_CODE, code: 'MTH', display: 'mother' }] }],
    };
    const patient: Patient = {
      resourceType: 'Patient',
      identifier: [{ system: MOTHER_NIK_SYSTEM, value: child.motherNik }],
      active: true,
      gender: child.sex === 'M' ? 'male' : 'female',
      birthDate: child.birthDate,
      // Tuntas records no birth order of twins: a child is taken as a single birth.
      multipleBirthInteger: 1,
      link: [{ other: { reference: urn('mother') }, type: 'seealso' }],
    };
    // Siblings share the mother's NIK: the birth date tells them apart.
    entries.push(entry(patientUrl, patient, `&birthdate=${child.birthDate}`));
    entries.push(entry(urn('mother'), mother));
    subject = { reference: patientUrl };
  } else {
    throw new MappingRefused('the child has neither a NIK nor a mother’s NIK: the platform cannot know who it is');
  }

  entries.push(...readingEntries(reading, child, settings, subject, opts.correction ?? false));
  return { resourceType: 'Bundle', type: 'transaction', entry: entries };
}

/** The posyandu, the Encounter and the Observations of one reading about `subject`. */
function readingEntries(reading: ReadingForExport, child: ChildForExport, settings: ExportSettings, subject: Reference<Patient>, correction: boolean, lenient = false): BundleEntry[] {
  const org = settings.organizationId;
  const urn = (role: string) => `urn:uuid:${stableUuid(`${reading.measurementId}/${role}`)}`;
  const entries: BundleEntry[] = [];
  const location: Location = child.posyandu
    ? {
        resourceType: 'Location',
        identifier: [{ system: localSystem('location', org), value: `posyandu-${child.villageCode}-${slug(child.posyandu)}` }],
        status: 'active',
        name: child.posyandu,
        description: 'Posyandu',
        mode: 'instance',
        address: { use: 'work', country: 'ID', extension: [villageExtension(child.villageCode)] },
        managingOrganization: { reference: `Organization/${org}` },
      }
    : {
        resourceType: 'Location',
        identifier: [{ system: localSystem('location', org), value: `desa-${child.villageCode}` }],
        status: 'active',
        name: `Desa/Kelurahan ${child.villageCode}`,
        mode: 'kind',
        address: { use: 'work', country: 'ID', extension: [villageExtension(child.villageCode)] },
        managingOrganization: { reference: `Organization/${org}` },
      };
  const locationUrl = `urn:uuid:${stableUuid(`location/${location.identifier![0].value}`)}`;
  entries.push(entry(locationUrl, location));

  const { start, end } = localDay(reading.measuredOn, reading.regencyCode);
  const encounterUrl = urn('encounter');
  const encounter: Encounter = {
    resourceType: 'Encounter',
    identifier: [{ system: localSystem('encounter', org), value: reading.measurementId }],
    status: 'finished',
    class: { system: ACT_CODE, code: 'AMB', display: 'ambulatory' },
    subject,
    period: { start, end },
    location: [{ location: { reference: locationUrl, display: location.name } }],
    serviceProvider: { reference: `Organization/${org}` },
  };
  entries.push(entry(encounterUrl, encounter, '', correction));

  const observation = (kind: ReadingKind, value: number): Observation => {
    const r = READINGS[kind];
    return {
      resourceType: 'Observation',
      identifier: [{ system: localSystem('observation', org), value: `${reading.measurementId}-${kind}` }],
      status: 'final',
      category: [{ coding: [{ system: CATEGORY_SYSTEM, code: 'vital-signs', display: 'Vital Signs' }] }],
      code: { coding: [{ system: LOINC, code: r.code, ...(r.display ? { display: r.display } : {}) }] },
      subject,
      encounter: { reference: encounterUrl },
      effectiveDateTime: start,
      valueQuantity: { value, unit: r.unit, system: UCUM, code: r.unit },
    };
  };
  const values: [ReadingKind, number | null][] = [
    ['weight', reading.weightKg],
    [reading.method === 'standing' ? 'height' : 'length', reading.heightCm],
    ['head', reading.headCm],
    ['muac', reading.muacCm],
  ];
  // A collection leaves out what a transaction refuses: a length or height whose method is unknown.
  if (reading.heightCm !== null && reading.method === null && !lenient) throw new MappingRefused('a length or height without its method (lying or standing)');
  for (const [kind, value] of values) {
    if (kind !== 'weight' && kind !== 'head' && kind !== 'muac' && reading.method === null) continue;
    if (value !== null) entries.push(entry(urn(kind), observation(kind, value), '', correction));
  }

  if (settings.zscoreSystem) {
    const system = settings.zscoreSystem;
    const components: ObservationComponent[] = [];
    for (const index of ['haz', 'waz', 'whz'] as const) {
      const z = reading[index];
      if (z === null) continue;
      const status = reading.status[index];
      components.push({
        code: { coding: [{ system, code: index.toUpperCase() }] },
        valueQuantity: zQuantity(z),
        ...(status ? { interpretation: [{ coding: [{ system, code: status }] }] } : {}),
      });
    }
    if (components.length) {
      const z: Observation = {
        ...observation('weight', 0),
        identifier: [{ system: localSystem('observation', org), value: `${reading.measurementId}-zscores` }],
        category: [{ coding: [{ system: CATEGORY_SYSTEM, code: 'exam', display: 'Exam' }] }],
        code: { coding: [{ system, code: 'WHO-ZSCORES', display: 'WHO growth z-scores and Permenkes 2/2020 category' }] },
        valueQuantity: undefined,
        component: components,
      };
      delete z.valueQuantity;
      entries.push(entry(urn('zscores'), z, '', correction));
    }
  }
  return entries;
}

/**
 * A child's growth as a `collection` Bundle (an `$everything`-style export): the Patient as
 * Tuntas knows it (identifiers, sex, birth date) and each reading's Encounter and Observations.
 */
export function growthCollection(child: ChildForExport, readings: ReadingForExport[], settings: ExportSettings, timestamp: string): Bundle {
  const patientUrl = `urn:uuid:${stableUuid(`${child.subjectId}/patient`)}`;
  const identifier = [
    ...(child.nik ? [{ system: NIK_SYSTEM, value: child.nik }] : []),
    ...(!child.nik && child.motherNik ? [{ system: MOTHER_NIK_SYSTEM, value: child.motherNik }] : []),
    { system: localSystem('patient', settings.organizationId), value: child.subjectId },
  ];
  const patient: Patient = {
    resourceType: 'Patient',
    ...(child.patientId ? { id: child.patientId } : {}),
    identifier,
    gender: child.sex === 'M' ? 'male' : 'female',
    birthDate: child.birthDate,
  };
  const entries: BundleEntry[] = [{ fullUrl: patientUrl, resource: patient }];
  const locations = new Set<string>();
  for (const r of readings) {
    for (const e of readingEntries(r, child, settings, { reference: patientUrl }, false, true)) {
      if (e.resource!.resourceType === 'Location') {
        if (locations.has(e.fullUrl!)) continue;
        locations.add(e.fullUrl!);
      }
      entries.push({ fullUrl: e.fullUrl, resource: e.resource });
    }
  }
  return { resourceType: 'Bundle', type: 'collection', timestamp, entry: entries };
}

/** An entry created only if its first identifier is new; `update`: a conditional PUT of the same resource. */
function entry(
  fullUrl: string,
  resource: (Encounter | Observation | Location | Patient | RelatedPerson) & { identifier?: { system?: string; value?: string }[] },
  extraQuery = '',
  update = false,
): BundleEntry {
  const id = resource.identifier![0];
  const query = `identifier=${id.system}|${id.value}${extraQuery}`;
  return {
    fullUrl,
    resource,
    request: update ? { method: 'PUT', url: `${resource.resourceType}?${query}` } : { method: 'POST', url: resource.resourceType, ifNoneExist: query },
  };
}

function zQuantity(z: number): Quantity {
  return { value: Math.round(z * 100) / 100, unit: 'SD', system: UCUM, code: '{SD}' };
}

function villageExtension(villageCode: string) {
  return {
    url: 'https://fhir.kemkes.go.id/r4/StructureDefinition/administrativeCode',
    extension: [
      { url: 'province', valueCode: villageCode.slice(0, 2) },
      { url: 'city', valueCode: villageCode.slice(0, 4) },
      { url: 'district', valueCode: villageCode.slice(0, 6) },
      { url: 'village', valueCode: villageCode },
    ],
  };
}

/**
 * The reading's calendar day in its regency's zone (WIB/WITA/WIT), with the offset. Tuntas keeps
 * the day of a reading, not its hour: the Encounter spans that local day and the Observations
 * carry its start.
 */
export function localDay(day: string, regencyCode: string): { start: string; end: string } {
  const offset = `+${String(utcOffsetHours(regencyCode)).padStart(2, '0')}:00`;
  return { start: `${day}T00:00:00${offset}`, end: `${day}T23:59:59${offset}` };
}

/** A name-based UUID (the RFC 9562 version 5 layout over SHA-1): the same reading gets the same urn every time. */
export function stableUuid(name: string): string {
  const h = createHash('sha1').update('tuntas-fhir/').update(name).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

function slug(name: string): string {
  return name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'posyandu';
}
