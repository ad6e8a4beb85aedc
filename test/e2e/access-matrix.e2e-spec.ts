import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { ALL_ROLES, type Role } from '../../src/modules/identity/role.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { bearer, buildWideActors, buildWorld, passwordOf, nikFor, REGENCY_A, REGENCY_B, type RegencyWorld, type WideActors, type World } from '../support/world.js';

/**
 * item: a record by id (another regency's: 404); list: filtered to the caller's regency;
 * create: writes into a regency named in the body or path (another: 403); global: not regional.
 */
type Kind = 'item' | 'list' | 'create' | 'global';

interface RouteCase {
  route: string;
  method: 'get' | 'post' | 'patch' | 'put';
  path: (w: RegencyWorld) => string;
  headers?: Record<string, string>;
  /** Send the body as multipart fields with a small CSV as `file`. */
  multipart?: boolean;
  body?: (w: RegencyWorld) => object;
  roles: readonly Role[];
  kind: Kind;
  /** Where the answer embeds a child, and what shape of child it is: checked per role. */
  embeds?: { shape: 'subject' | 'beneficiary' | 'history' | 'timeline'; pick: (body: Record<string, unknown>) => unknown[] };
}

/** What each role may see of an embedded child (SubjectProjection), by the keys present. */
const COMMON = ['id', 'targetGroup', 'ageBand', 'villageCode', 'villageName', 'districtName'];
const SUBJECT_KEYS: Record<'full' | 'limited', string[]> = {
  full: [...COMMON, 'firstName', 'name', 'sex', 'birthDate', 'regencyCode'],
  limited: [...COMMON, 'firstName'],
};
const BENEFICIARY_BASE = ['code', 'targetGroup', 'ageBand', 'villageCode', 'villageName', 'districtName'];
const BENEFICIARY_KEYS: Record<'full' | 'limited' | 'pseudonym', string[]> = {
  full: [...BENEFICIARY_BASE, 'name', 'subjectId'],
  limited: [...BENEFICIARY_BASE, 'firstName', 'subjectId'],
  pseudonym: BENEFICIARY_BASE,
};
const PROJECTION: Record<Role, 'full' | 'limited' | 'pseudonym'> = {
  admin: 'full',
  case_manager: 'full',
  auditor: 'full',
  dpo: 'full',
  viewer: 'limited',
  opd_liaison: 'limited',
  csr_partner: 'pseudonym',
  // A family-assistance team member reads visits, not cases: nothing of the case reaches it.
  tpk: 'limited',
};
const CASE_WORKERS: readonly Role[] = ['admin', 'case_manager', 'auditor'];
/** The audit of the matrix's audited case: none of it may reach a role that does not work the case. */
const AUDIT_FINDINGS = { causes: ['POVERTY'], recommendations: [{ action: 'PKH', opdCode: 'DINKES' }], experts: [{ specialty: 'SpA', name: 'dr. Ratna Wulandari, Sp.A' }] };
const items = (b: Record<string, unknown>) => (b.items as Record<string, unknown>[]) ?? [];

function embeddedProblems(c: RouteCase, role: Role, body: Record<string, unknown>): string[] {
  if (!c.embeds) return [];
  const problems: string[] = [];
  const found = c.embeds.pick(body).filter((x): x is Record<string, unknown> => x !== null && typeof x === 'object');
  if (!found.length) problems.push(`${role}: nothing embedded to check`);
  const projection = PROJECTION[role];
  for (const e of found) {
    if (c.embeds.shape === 'history') {
      const audit = e as { type?: string; payload?: Record<string, unknown> };
      if (audit.type !== 'RECORD_AUDIT') continue;
      const keys = Object.keys(audit.payload ?? {}).sort();
      const want = CASE_WORKERS.includes(role) ? ['auditedAt', 'causes', 'cycle', 'experts', 'recommendations'] : ['auditedAt', 'cycle'];
      if (JSON.stringify(keys) !== JSON.stringify(want)) problems.push(`${role}: audit payload has ${keys.join(',')}, want ${want.join(',')}`);
      if (!CASE_WORKERS.includes(role) && /POVERTY|Ratna|PKH/.test(JSON.stringify(body))) problems.push(`${role}: audit findings leaked`);
      continue;
    }
    if (c.embeds.shape === 'timeline') {
      // The child (a CSR partner: the beneficiary), and the case's audit without its findings for anyone who does not work the case.
      const want = projection === 'pseudonym' ? BENEFICIARY_KEYS.pseudonym : SUBJECT_KEYS[projection];
      const keys = Object.keys(e).sort();
      if (JSON.stringify(keys) !== JSON.stringify([...want].sort())) problems.push(`${role}: timeline child has ${keys.join(',')}, want ${[...want].sort().join(',')}`);
      const audits = items(body).filter((i) => i.kind === 'case' && i.event === 'RECORD_AUDIT');
      // A CSR partner and a TPK member see no case at all; the others see its audit.
      const seesCases = projection !== 'pseudonym' && role !== 'tpk';
      if (audits.length !== (seesCases ? 1 : 0)) problems.push(`${role}: ${audits.length} audit entries in the timeline`);
      for (const a of audits) {
        const payloadKeys = Object.keys((a.details as { payload?: object }).payload ?? {}).sort();
        const wantKeys = CASE_WORKERS.includes(role) ? ['auditedAt', 'causes', 'cycle', 'experts', 'recommendations'] : ['auditedAt', 'cycle'];
        if (JSON.stringify(payloadKeys) !== JSON.stringify(wantKeys)) problems.push(`${role}: timeline audit payload has ${payloadKeys.join(',')}`);
      }
      if (!CASE_WORKERS.includes(role) && /POVERTY|Ratna/.test(JSON.stringify(body))) problems.push(`${role}: audit findings leaked into the timeline`);
      continue;
    }
    const want = c.embeds.shape === 'subject' ? SUBJECT_KEYS[projection === 'pseudonym' ? 'limited' : projection] : BENEFICIARY_KEYS[projection];
    const keys = Object.keys(e).sort();
    if (JSON.stringify(keys) !== JSON.stringify([...want].sort())) problems.push(`${role}: ${c.embeds.shape} has ${keys.join(',')}, want ${[...want].sort().join(',')}`);
  }
  if (c.embeds.shape === 'history' && !found.some((e) => (e as { type?: string }).type === 'RECORD_AUDIT')) problems.push(`${role}: no audit entry in the history`);
  if (projection !== 'full' && /birthDate|"nik"|"sex"/.test(JSON.stringify(body))) problems.push(`${role}: a birth date, NIK or sex reached a ${projection} reader`);
  return problems;
}

let n = 0;
const uniq = () => ++n;
const districtOf = (w: RegencyWorld) => (w.regencyCode === REGENCY_A.code ? REGENCY_A.district : REGENCY_B.district);
const READ_SUBJECTS = ['admin', 'case_manager', 'auditor', 'dpo'] as const;
const WRITE_SUBJECTS = ['admin', 'case_manager'] as const;
const READ_SPONSORS = ['admin', 'case_manager', 'auditor', 'viewer', 'csr_partner'] as const;
const READ_CASES = ['admin', 'case_manager', 'auditor', 'viewer'] as const;

/** Subjects without a case, and open cases, per regency: each write below uses up one. */
const pools: Record<string, { subjects: string[]; cases: string[]; tasks: string[]; proposals: string[]; families: string[]; active: string; extra: string[] }> = {};
/** Per regency: a TPK team of the world's tpk user over its village, a family there, a bride-to-be, a visit, a dead-lettered FHIR export. */
const prevention: Record<string, { team: string; family: string; catin: string; visit: string; fhirExport: string }> = {};
const take = (w: RegencyWorld, kind: 'subjects' | 'cases' | 'tasks' | 'proposals' | 'families') => {
  const id = pools[w.regencyCode][kind].shift();
  if (!id) throw new Error(`the ${kind} pool of ${w.regencyCode} ran dry`);
  return id;
};
const importOf: Record<string, string> = {};
/** 8 Aksi, per regency: a draft document (versions go on in draft) and ready ones, each sent back to draft once. */
const aksi: Record<string, { draft: string; ready: string[]; withFile: string }> = {};
const takeAksi = (w: RegencyWorld) => {
  const id = aksi[w.regencyCode].ready.shift();
  if (!id) throw new Error(`the aksi pool of ${w.regencyCode} ran dry`);
  return id;
};
const AKSI_READERS = ['admin', 'case_manager', 'auditor', 'opd_liaison', 'viewer'] as const;
const AKSI_ACTORS = ['admin', 'case_manager', 'opd_liaison'] as const;
const AKSI_CYCLE = { uploadDeadline: '2030-05-15', verificationDate: '2030-05-20', assessmentDate: '2030-05-28' };
const caseOf = (w: RegencyWorld) => pools[w.regencyCode].cases[pools[w.regencyCode].cases.length - 1];
const taskOf = (w: RegencyWorld) => pools[w.regencyCode].tasks[pools[w.regencyCode].tasks.length - 1];
const READ_TASKS = ['admin', 'case_manager', 'auditor', 'viewer', 'opd_liaison'] as const;
const READ_INTERVENTIONS = ['admin', 'case_manager', 'auditor', 'viewer', 'csr_partner'] as const;
const SPONSOR_REPORT_READERS = ['admin', 'case_manager', 'viewer', 'csr_partner'] as const;
const READ_FAMILIES = ['admin', 'case_manager', 'auditor', 'tpk'] as const;
const WRITE_FAMILIES = ['admin', 'case_manager', 'tpk'] as const;
const READ_TEAMS = ['admin', 'case_manager', 'auditor', 'viewer', 'tpk'] as const;
const RULE_READERS = ['admin', 'case_manager', 'auditor', 'viewer'] as const;
const PREVALENCE_READERS = ['admin', 'case_manager', 'auditor', 'viewer'] as const;
const kkFor = (w: RegencyWorld) => `${districtOf(w)}${String(7_000_000_000 + uniq()).slice(-10)}`;

/** Every route of the API but login and health, which are public. */
const ROUTES: RouteCase[] = [
  { route: 'GET /users/me', method: 'get', path: () => '/api/v1/users/me', roles: ALL_ROLES, kind: 'global' },
  { route: 'GET /regions', method: 'get', path: (w) => `/api/v1/regions?parent=${w.regencyCode}`, roles: ALL_ROLES, kind: 'global' },
  {
    route: 'POST /users',
    method: 'post',
    path: () => '/api/v1/users',
    body: (w) => ({ username: `user${uniq()}`, password: 'a-long-password', displayName: 'U', role: 'viewer', regencyCode: w.regencyCode }),
    roles: ['admin'],
    kind: 'create',
  },
  { route: 'GET /users', method: 'get', path: () => '/api/v1/users?limit=200', roles: ['admin'], kind: 'list' },
  { route: 'GET /users/:id', method: 'get', path: (w) => `/api/v1/users/${w.targetUserId}`, roles: ['admin'], kind: 'item' },
  {
    route: 'PATCH /users/:id',
    method: 'patch',
    path: (w) => `/api/v1/users/${w.targetUserId}`,
    body: () => ({ displayName: `renamed ${uniq()}` }),
    roles: ['admin'],
    kind: 'item',
  },
  {
    route: 'POST /opds',
    method: 'post',
    path: () => '/api/v1/opds',
    body: (w) => ({ regencyCode: w.regencyCode, code: `OPD${uniq()}`, name: 'Dinas' }),
    roles: ['admin'],
    kind: 'create',
  },
  {
    route: 'POST /opds/seed',
    method: 'post',
    path: () => '/api/v1/opds/seed',
    body: (w) => ({ regencyCode: w.regencyCode }),
    roles: ['admin'],
    kind: 'create',
  },
  { route: 'GET /opds', method: 'get', path: (w) => `/api/v1/opds?limit=200&regencyCode=${w.regencyCode}`, roles: ALL_ROLES, kind: 'list' },
  { route: 'GET /opds/:id', method: 'get', path: (w) => `/api/v1/opds/${w.opdId}`, roles: ALL_ROLES, kind: 'item' },
  {
    route: 'PATCH /opds/:id',
    method: 'patch',
    path: (w) => `/api/v1/opds/${w.opdId}`,
    body: () => ({ name: `Dinas Kesehatan ${uniq()}` }),
    roles: ['admin'],
    kind: 'item',
  },
  {
    route: 'POST /sponsors',
    method: 'post',
    path: () => '/api/v1/sponsors',
    body: (w) => ({ name: `PT ${uniq()}`, type: 'bumn', regencyCodes: [w.regencyCode] }),
    roles: ['admin'],
    kind: 'create',
  },
  { route: 'GET /sponsors', method: 'get', path: () => '/api/v1/sponsors?limit=200', roles: READ_SPONSORS, kind: 'list' },
  { route: 'GET /sponsors/:id', method: 'get', path: (w) => `/api/v1/sponsors/${w.sponsorId}`, roles: READ_SPONSORS, kind: 'item' },
  {
    route: 'POST /subjects',
    method: 'post',
    path: () => '/api/v1/subjects',
    body: (w) => ({
      targetGroup: 'BADUTA',
      name: `Anak ${uniq()}`,
      sex: 'F',
      birthDate: '2026-01-15',
      nik: nikFor(districtOf(w), '150126'),
      villageCode: w.village,
    }),
    roles: WRITE_SUBJECTS,
    kind: 'create',
  },
  { route: 'GET /subjects', method: 'get', path: (w) => `/api/v1/subjects?limit=200&villageCode=${w.village}`, roles: READ_SUBJECTS, kind: 'list' },
  { route: 'GET /subjects?q', method: 'get', path: () => '/api/v1/subjects?limit=200&q=anak', roles: READ_SUBJECTS, kind: 'list' },
  { route: 'GET /subjects/:id', method: 'get', path: (w) => `/api/v1/subjects/${w.subjectId}`, roles: READ_SUBJECTS, kind: 'item' },
  {
    route: 'PATCH /subjects/:id',
    method: 'patch',
    path: (w) => `/api/v1/subjects/${w.subjectId}`,
    body: () => ({ address: `Jl. Melati ${uniq()}` }),
    roles: WRITE_SUBJECTS,
    kind: 'item',
  },
  {
    route: 'POST /cases',
    method: 'post',
    path: () => '/api/v1/cases',
    body: (w) => ({ subjectId: take(w, 'subjects'), identifiedAt: '2026-11-01', source: 'manual' }),
    roles: ['admin', 'case_manager'],
    kind: 'item',
  },
  { route: 'GET /cases', method: 'get', path: () => '/api/v1/cases?limit=200', roles: READ_CASES, kind: 'list', embeds: { shape: 'subject', pick: (b) => items(b).map((i) => i.subject) } },
  { route: 'GET /cases/:id', method: 'get', path: (w) => `/api/v1/cases/${caseOf(w)}`, roles: READ_CASES, kind: 'item', embeds: { shape: 'subject', pick: (b) => [b.subject] } },
  { route: 'GET /cases/:id/history', method: 'get', path: (w) => `/api/v1/cases/${caseOf(w)}/history`, roles: READ_CASES, kind: 'item' },
  {
    route: 'GET /cases/:id/history (audited)',
    method: 'get',
    path: (w) => `/api/v1/cases/${pools[w.regencyCode].extra[1]}/history`,
    roles: READ_CASES,
    kind: 'item',
    embeds: { shape: 'history', pick: items },
  },
  {
    route: 'POST /cases/:id/events (CLOSE)',
    method: 'post',
    path: (w) => `/api/v1/cases/${take(w, 'cases')}/events`,
    headers: { 'If-Match': '1' },
    body: () => ({ type: 'CLOSE', reason: 'duplicate', note: 'matrix' }),
    roles: ['admin', 'case_manager'],
    kind: 'item',
  },
  {
    route: 'POST /cases/:id/events (RECORD_AUDIT)',
    method: 'post',
    path: (w) => `/api/v1/cases/${take(w, 'cases')}/events`,
    headers: { 'If-Match': '1' },
    body: () => ({
      type: 'RECORD_AUDIT',
      auditedAt: '2026-11-10',
      cycle: '2026-S2',
      causes: ['POVERTY'],
      recommendations: [{ action: 'PKH', opdCode: 'DINKES' }],
      experts: [{ specialty: 'SpA' }],
    }),
    roles: ['auditor', 'case_manager'],
    kind: 'item',
  },
  {
    route: 'PATCH /cases/:id/assignee',
    method: 'patch',
    path: (w) => `/api/v1/cases/${caseOf(w)}/assignee`,
    body: (w) => ({ userId: w.userIds.case_manager }),
    roles: ['admin', 'case_manager'],
    kind: 'item',
  },
  { route: 'GET /sla-policies/:regencyCode', method: 'get', path: (w) => `/api/v1/sla-policies/${w.regencyCode}`, roles: READ_CASES, kind: 'create' },
  {
    route: 'PUT /sla-policies/:regencyCode',
    method: 'put',
    path: (w) => `/api/v1/sla-policies/${w.regencyCode}`,
    body: () => ({ days: { identified: 30, audited: 14, intervened: 30, remeasured: 7 } }),
    roles: ['admin'],
    kind: 'create',
  },
  {
    route: 'POST /subjects/:id/measurements',
    method: 'post',
    path: (w) => `/api/v1/subjects/${w.subjectId}/measurements`,
    body: () => ({ measuredAt: '2026-11-01', weightKg: 10 + uniq() / 100, method: 'standing' }),
    roles: WRITE_SUBJECTS,
    kind: 'item',
  },
  { route: 'GET /subjects/:id/growth', method: 'get', path: (w) => `/api/v1/subjects/${w.subjectId}/growth`, roles: ['admin', 'case_manager', 'auditor'], kind: 'item' },
  {
    route: 'POST /imports/eppgbm',
    method: 'post',
    path: () => '/api/v1/imports/eppgbm',
    body: (w) => ({ regencyCode: w.regencyCode }),
    multipart: true,
    roles: ['admin', 'case_manager'],
    kind: 'create',
  },
  { route: 'GET /imports/:id', method: 'get', path: (w) => `/api/v1/imports/${importOf[w.regencyCode]}`, roles: ['admin', 'case_manager'], kind: 'item' },
  {
    route: 'GET /imports/:id/rejections.csv',
    method: 'get',
    path: (w) => `/api/v1/imports/${importOf[w.regencyCode]}/rejections.csv`,
    roles: ['admin', 'case_manager'],
    kind: 'item',
  },
  { route: 'GET /catalogues/causes', method: 'get', path: () => '/api/v1/catalogues/causes', roles: ALL_ROLES, kind: 'global' },
  {
    route: 'POST /cases/:id/tasks',
    method: 'post',
    path: (w) => `/api/v1/cases/${caseOf(w)}/tasks`,
    body: () => ({ opdCode: 'DINKES', action: `Kunjungan ${uniq()}` }),
    roles: ['case_manager'],
    kind: 'item',
  },
  { route: 'GET /tasks', method: 'get', path: () => '/api/v1/tasks?limit=200', roles: READ_TASKS, kind: 'list', embeds: { shape: 'subject', pick: (b) => items(b).map((i) => i.subject) } },
  { route: 'GET /tasks/:id', method: 'get', path: (w) => `/api/v1/tasks/${taskOf(w)}`, roles: READ_TASKS, kind: 'item', embeds: { shape: 'subject', pick: (b) => [b.subject] } },
  { route: 'GET /tasks/:id/history', method: 'get', path: (w) => `/api/v1/tasks/${taskOf(w)}/history`, roles: READ_TASKS, kind: 'item' },
  {
    route: 'POST /tasks/:id/events (ACKNOWLEDGE)',
    method: 'post',
    path: (w) => `/api/v1/tasks/${take(w, 'tasks')}/events`,
    headers: { 'If-Match': '1' },
    body: () => ({ type: 'ACKNOWLEDGE' }),
    roles: ['opd_liaison'],
    kind: 'item',
  },
  {
    route: 'POST /tasks/:id/events (CANCEL)',
    method: 'post',
    path: (w) => `/api/v1/tasks/${take(w, 'tasks')}/events`,
    headers: { 'If-Match': '1' },
    body: () => ({ type: 'CANCEL', reason: 'matrix' }),
    roles: ['admin', 'case_manager'],
    kind: 'item',
  },
  { route: 'GET /escalations', method: 'get', path: () => '/api/v1/escalations?limit=200', roles: READ_TASKS, kind: 'global' },
  { route: 'GET /reports/overdue', method: 'get', path: () => '/api/v1/reports/overdue?groupBy=village', roles: READ_TASKS, kind: 'global' },
  { route: 'GET /notifications', method: 'get', path: () => '/api/v1/notifications', roles: ALL_ROLES, kind: 'global' },
  { route: 'GET /notification-deliveries', method: 'get', path: () => '/api/v1/notification-deliveries', roles: ['admin'], kind: 'global' },
  {
    route: 'POST /webhooks',
    method: 'post',
    path: () => '/api/v1/webhooks',
    body: (w) => ({ url: `https://hooks.example.org/${w.regencyCode}/${uniq()}`, regencyCode: w.regencyCode }),
    roles: ['admin'],
    kind: 'create',
  },
  { route: 'GET /webhooks', method: 'get', path: () => '/api/v1/webhooks', roles: ['admin'], kind: 'list' },
  { route: 'GET /catalogues/interventions', method: 'get', path: () => '/api/v1/catalogues/interventions', roles: ALL_ROLES, kind: 'global' },
  {
    route: 'POST /catalogues/interventions',
    method: 'post',
    path: () => '/api/v1/catalogues/interventions',
    body: (w) => ({
      code: `LOKAL_${uniq()}`,
      name: 'Program lokal',
      nameEn: 'Local programme',
      kind: 'sensitif',
      targetGroups: ['BALITA'],
      defaultDays: 30,
      cadenceDays: 7,
      unit: 'paket',
      opdCode: 'DINKES',
      regencyCode: w.regencyCode,
    }),
    roles: ['admin'],
    kind: 'create',
  },
  {
    route: 'POST /cases/:id/offers',
    method: 'post',
    path: (w) => `/api/v1/cases/${caseOf(w)}/offers`,
    body: (w) => ({ sponsorId: w.sponsorId }),
    roles: ['case_manager'],
    kind: 'item',
  },
  {
    route: 'GET /offers',
    method: 'get',
    path: () => '/api/v1/offers?limit=200',
    roles: ['admin', 'case_manager', 'csr_partner'],
    kind: 'list',
    embeds: { shape: 'beneficiary', pick: (b) => items(b).map((i) => i.beneficiary) },
  },
  {
    route: 'POST /interventions',
    method: 'post',
    path: () => '/api/v1/interventions',
    body: (w) => ({ caseId: caseOf(w), sponsorId: w.sponsorId, catalogueCode: 'JAMBAN', plannedStart: '2026-12-01', budgetIdr: 1_000_000 }),
    roles: ['case_manager', 'csr_partner'],
    kind: 'item',
  },
  {
    route: 'GET /interventions',
    method: 'get',
    path: () => '/api/v1/interventions?limit=200',
    roles: READ_INTERVENTIONS,
    kind: 'list',
    embeds: { shape: 'beneficiary', pick: (b) => items(b).map((i) => i.beneficiary) },
  },
  {
    route: 'GET /interventions/:id',
    method: 'get',
    path: (w) => `/api/v1/interventions/${pools[w.regencyCode].active}`,
    roles: READ_INTERVENTIONS,
    kind: 'item',
    embeds: { shape: 'beneficiary', pick: (b) => [b.beneficiary] },
  },
  {
    route: 'GET /interventions/:id/history',
    method: 'get',
    path: (w) => `/api/v1/interventions/${pools[w.regencyCode].active}/history`,
    roles: READ_INTERVENTIONS,
    kind: 'item',
  },
  {
    route: 'GET /interventions/:id/deliveries',
    method: 'get',
    path: (w) => `/api/v1/interventions/${pools[w.regencyCode].active}/deliveries`,
    roles: READ_INTERVENTIONS,
    kind: 'item',
  },
  {
    route: 'POST /interventions/:id/deliveries',
    method: 'post',
    path: (w) => `/api/v1/interventions/${pools[w.regencyCode].active}/deliveries`,
    headers: { 'Idempotency-Key': 'matrix-delivery-0001' },
    body: () => ({ deliveredAt: '2026-11-23T03:00:00.000Z', quantity: 1, unit: 'unit' }),
    roles: ['case_manager', 'csr_partner'],
    kind: 'item',
  },
  {
    route: 'POST /interventions/:id/events (REJECT)',
    method: 'post',
    path: (w) => `/api/v1/interventions/${take(w, 'proposals')}/events`,
    headers: { 'If-Match': '1' },
    body: () => ({ type: 'REJECT', reason: 'matrix' }),
    roles: ['case_manager'],
    kind: 'item',
  },
  {
    route: 'GET /sponsors/:id/report',
    method: 'get',
    path: (w) => `/api/v1/sponsors/${w.sponsorId}/report?from=2026-11-01&to=2026-12-31`,
    roles: SPONSOR_REPORT_READERS,
    kind: 'item',
    // Each beneficiary of the report also carries its interventions, deliveries and outcome band.
    embeds: {
      shape: 'beneficiary',
      pick: (b) => ((b.beneficiaries as Record<string, unknown>[]) ?? []).map(({ interventions: _i, deliveries: _d, outcomeBand: _o, ...child }) => child),
    },
  },
  { route: 'GET /sponsors/:id/report.csv', method: 'get', path: (w) => `/api/v1/sponsors/${w.sponsorId}/report.csv`, roles: SPONSOR_REPORT_READERS, kind: 'item' },
  {
    route: 'POST /subjects/:id/consents',
    method: 'post',
    path: (w) => `/api/v1/subjects/${w.subjectId}/consents`,
    body: (w) => ({ guardianName: 'Ibu', guardianRelation: 'ibu', purpose: 'share_with_sponsor', sponsorId: w.sponsorId, evidenceRef: 'form', givenAt: '2026-11-01' }),
    roles: WRITE_SUBJECTS,
    kind: 'item',
  },
  { route: 'GET /subjects/:id/consents', method: 'get', path: (w) => `/api/v1/subjects/${w.subjectId}/consents`, roles: READ_SUBJECTS, kind: 'item' },
  {
    route: 'POST /families',
    method: 'post',
    path: () => '/api/v1/families',
    body: (w) => ({ familyCardNumber: kkFor(w), headName: 'Kepala Keluarga', villageCode: w.village }),
    roles: WRITE_FAMILIES,
    kind: 'create',
  },
  { route: 'GET /families', method: 'get', path: () => '/api/v1/families?limit=200', roles: READ_FAMILIES, kind: 'list' },
  { route: 'GET /families/:id', method: 'get', path: (w) => `/api/v1/families/${prevention[w.regencyCode].family}`, roles: READ_FAMILIES, kind: 'item' },
  {
    route: 'PATCH /families/:id',
    method: 'patch',
    path: (w) => `/api/v1/families/${prevention[w.regencyCode].family}`,
    body: () => ({ welfarePriority: uniq() % 5 }),
    roles: WRITE_FAMILIES,
    kind: 'item',
  },
  {
    route: 'POST /families/:id/assessments',
    method: 'post',
    path: (w) => `/api/v1/families/${take(w, 'families')}/assessments`,
    body: () => ({
      year: 2026,
      round: 2,
      referenceDate: '2026-11-20',
      factors: { airTidakLayak: true, jambanTidakLayak: false, terlaluMuda: false, terlaluTua: false, terlaluDekat: false, terlaluBanyak: false, nonKbModern: false },
    }),
    roles: WRITE_FAMILIES,
    kind: 'item',
  },
  { route: 'GET /krs-policies/:regencyCode', method: 'get', path: (w) => `/api/v1/krs-policies/${w.regencyCode}`, roles: RULE_READERS, kind: 'create' },
  { route: 'POST /krs-policies/:regencyCode', method: 'post', path: (w) => `/api/v1/krs-policies/${w.regencyCode}`, body: () => ({ rule: 'ANY_FACTOR' }), roles: ['admin'], kind: 'create' },
  {
    route: 'POST /imports/families',
    method: 'post',
    path: () => '/api/v1/imports/families',
    multipart: true,
    body: (w) => ({ regencyCode: w.regencyCode }),
    roles: ['admin', 'case_manager'],
    kind: 'create',
  },
  {
    route: 'POST /tpk-teams',
    method: 'post',
    path: () => '/api/v1/tpk-teams',
    body: (w) => ({ villageCode: w.village, name: `TPK ${uniq()}`, members: [] }),
    roles: ['admin', 'case_manager'],
    kind: 'create',
  },
  { route: 'GET /tpk-teams', method: 'get', path: () => '/api/v1/tpk-teams?limit=200', roles: READ_TEAMS, kind: 'list' },
  { route: 'GET /tpk-teams/:id', method: 'get', path: (w) => `/api/v1/tpk-teams/${prevention[w.regencyCode].team}`, roles: READ_TEAMS, kind: 'item' },
  {
    route: 'PATCH /tpk-teams/:id',
    method: 'patch',
    path: (w) => `/api/v1/tpk-teams/${prevention[w.regencyCode].team}`,
    body: () => ({ skRef: `SK ${uniq()}` }),
    roles: ['admin', 'case_manager'],
    kind: 'item',
  },
  {
    route: 'POST /visits',
    method: 'post',
    path: () => '/api/v1/visits',
    body: (w) => ({ id: randomUUID(), familyId: prevention[w.regencyCode].family, targetGroup: 'PUS', kind: 'RUMAH', actions: ['KIE'], visitedOn: '2026-11-22' }),
    roles: ['tpk'],
    kind: 'item',
  },
  { route: 'GET /visits', method: 'get', path: () => '/api/v1/visits?limit=200', roles: READ_FAMILIES, kind: 'list' },
  { route: 'GET /visits/due', method: 'get', path: () => '/api/v1/visits/due', roles: READ_FAMILIES, kind: 'global' },
  {
    route: 'POST /subjects/:id/screenings',
    method: 'post',
    path: (w) => `/api/v1/subjects/${prevention[w.regencyCode].catin}/screenings`,
    body: () => ({ plannedMarriageDate: '2027-02-01', weightKg: 50, heightCm: 156, muacCm: 24, hbGdl: 12.1, smoker: false }),
    roles: WRITE_FAMILIES,
    kind: 'item',
  },
  { route: 'GET /subjects/:id/screenings', method: 'get', path: (w) => `/api/v1/subjects/${prevention[w.regencyCode].catin}/screenings`, roles: READ_FAMILIES, kind: 'item' },
  { route: 'GET /screening-tables/:regencyCode', method: 'get', path: (w) => `/api/v1/screening-tables/${w.regencyCode}`, roles: RULE_READERS, kind: 'create' },
  {
    route: 'POST /screening-tables/:regencyCode',
    method: 'post',
    path: (w) => `/api/v1/screening-tables/${w.regencyCode}`,
    body: () => ({ muacBelowCm: 23.5, hbBelowGdl: 11.5, bmiBelow: 18.5, ageBelowYears: 20, smokingIsRisk: true }),
    roles: ['admin'],
    kind: 'create',
  },
  {
    route: 'GET /reports/tpk',
    method: 'get',
    path: (w) => `/api/v1/reports/tpk?month=2026-11&villageCode=${w.village}`,
    roles: ['admin', 'case_manager', 'auditor', 'viewer', 'tpk'],
    kind: 'item',
  },
  // Early warning (issue 23): the watch and SKDN of a village (another regency's village: 404), and the KMS standard per regency.
  {
    route: 'GET /reports/early-warning',
    method: 'get',
    path: (w) => `/api/v1/reports/early-warning?month=2026-11&villageCode=${w.village}`,
    roles: ['admin', 'case_manager', 'auditor', 'viewer', 'tpk'],
    kind: 'item',
  },
  {
    route: 'GET /reports/skdn',
    method: 'get',
    path: (w) => `/api/v1/reports/skdn?month=2026-11&villageCode=${w.village}`,
    roles: ['admin', 'case_manager', 'auditor', 'viewer', 'tpk'],
    kind: 'item',
  },
  { route: 'GET /kms-standards/:regencyCode', method: 'get', path: (w) => `/api/v1/kms-standards/${w.regencyCode}`, roles: ['admin', 'case_manager', 'auditor', 'viewer'], kind: 'create' },
  {
    route: 'PUT /kms-standards/:regencyCode',
    method: 'put',
    path: (w) => `/api/v1/kms-standards/${w.regencyCode}`,
    body: () => ({
      kbm: [{ fromMonths: 0, grams: 800 }, { fromMonths: 11, grams: 200 }],
      redLineWaz: -3,
      orangeLineWaz: 1,
      maxGapDays: 45,
      falteringDropWaz: 0.67,
      falteringWindowDays: 92,
      lostAfterDays: 60,
      source: 'access matrix',
    }),
    roles: ['admin'],
    kind: 'create',
  },
  {
    route: 'PUT /fhir-settings/:regencyCode',
    method: 'put',
    path: (w) => `/api/v1/fhir-settings/${w.regencyCode}`,
    // A public address by IP (TEST-NET-3): no name to resolve in a test.
    body: () => ({ enabled: false, baseUrl: 'https://203.0.113.10/fhir-r4/v1', tokenUrl: 'https://203.0.113.10/oauth2/v1/accesstoken', clientId: 'c', clientSecret: 's', organizationId: '100026342' }),
    roles: ['admin'],
    kind: 'create',
  },
  { route: 'GET /fhir-settings/:regencyCode', method: 'get', path: (w) => `/api/v1/fhir-settings/${w.regencyCode}`, roles: ['admin'], kind: 'create' },
  {
    // The audited child: a DINKES task (the world's liaison's OPD), the world's sponsor's intervention, a village of the world's TPK team.
    route: 'GET /subjects/:id/timeline',
    method: 'get',
    path: (w) => `/api/v1/subjects/${pools[w.regencyCode].extra[0]}/timeline`,
    headers: { 'X-Purpose': 'access matrix' },
    roles: ['admin', 'case_manager', 'auditor', 'viewer', 'opd_liaison', 'csr_partner', 'tpk'],
    kind: 'item',
    embeds: { shape: 'timeline', pick: (b) => [b.subject ?? b.beneficiary] },
  },
  {
    route: 'GET /fhir/Patient/:subjectId/$everything',
    method: 'get',
    path: (w) => `/api/v1/fhir/Patient/${w.subjectId}/$everything`,
    headers: { 'X-Purpose': 'access matrix' },
    roles: READ_SUBJECTS,
    kind: 'item',
  },
  // The export status list is the admin's and the auditor's, of their own regency only (kind list checks no other regency's row leaks).
  { route: 'GET /fhir-exports', method: 'get', path: () => '/api/v1/fhir-exports?limit=200', roles: ['admin', 'auditor'], kind: 'list' },
  {
    // Only the admin of the export's regency may put it back; the one allowed cell (admin, own) is the only call that reaches the export.
    route: 'POST /fhir-exports/:id/retry',
    method: 'post',
    path: (w) => `/api/v1/fhir-exports/${prevention[w.regencyCode].fhirExport}/retry`,
    roles: ['admin'],
    kind: 'item',
  },
  // Lokus (issue 18 part 4): a decree is written into the regency its villages name (another's: 403); the list and the watch of another regency: 404.
  {
    route: 'POST /lokus',
    method: 'post',
    path: () => '/api/v1/lokus',
    body: (w) => ({ year: 2026, villageCodes: [w.village], decreeRef: `SK Bupati ${uniq()}` }),
    roles: ['admin', 'case_manager'],
    kind: 'create',
  },
  { route: 'GET /lokus', method: 'get', path: (w) => `/api/v1/lokus?year=2026&regencyCode=${w.regencyCode}`, roles: ['admin', 'case_manager', 'auditor', 'viewer', 'tpk'], kind: 'item' },
  {
    route: 'GET /reports/lokus-watch',
    method: 'get',
    path: (w) => `/api/v1/reports/lokus-watch?regencyCode=${w.regencyCode}`,
    roles: ['admin', 'case_manager', 'auditor', 'viewer', 'tpk'],
    kind: 'item',
  },
  // Convergence (issue 18 part 2): another regency's subject, package or region answers 404.
  {
    route: 'GET /subjects/:id/convergence',
    method: 'get',
    path: (w) => `/api/v1/subjects/${pools[w.regencyCode].extra[0]}/convergence`,
    headers: { 'X-Purpose': 'access matrix' },
    roles: ['admin', 'case_manager', 'auditor', 'viewer', 'opd_liaison', 'tpk'],
    kind: 'item',
  },
  {
    route: 'GET /reports/convergence',
    method: 'get',
    path: (w) => `/api/v1/reports/convergence?level=desa&period=2026-11&code=${w.regencyCode}`,
    roles: ['admin', 'case_manager', 'auditor', 'viewer', 'opd_liaison'],
    kind: 'item',
  },
  { route: 'GET /convergence-packages/:regencyCode', method: 'get', path: (w) => `/api/v1/convergence-packages/${w.regencyCode}`, roles: ['admin', 'case_manager', 'auditor', 'viewer'], kind: 'item' },
  {
    route: 'PUT /convergence-packages/:regencyCode',
    method: 'put',
    path: (w) => `/api/v1/convergence-packages/${w.regencyCode}`,
    body: () => ({
      groups: [{ targetGroup: 'BADUTA', items: [{ code: 'PEMANTAUAN_PERTUMBUHAN', name: 'Penimbangan', kind: 'spesifik', windowDays: 31, dueDays: 31, evidence: [{ kind: 'measurement' }] }] }],
      source: 'access matrix',
    }),
    roles: ['admin'],
    kind: 'item',
  },
  // Prevalence (issue 18 part 3): aggregates of a region code; another regency's code answers 404.
  { route: 'GET /reports/prevalence', method: 'get', path: (w) => `/api/v1/reports/prevalence?level=desa&code=${w.regencyCode}&from=2026-10&to=2026-11`, roles: PREVALENCE_READERS, kind: 'item' },
  { route: 'GET /reports/hotspots', method: 'get', path: (w) => `/api/v1/reports/hotspots?level=kecamatan&period=2026-11&code=${w.regencyCode}`, roles: PREVALENCE_READERS, kind: 'item' },
  { route: 'PUT /prevalence-targets/:code/:year', method: 'put', path: (w) => `/api/v1/prevalence-targets/${w.regencyCode}/2026`, body: () => ({ value: 14, basis: 'rpjmd' }), roles: ['admin'], kind: 'item' },
  { route: 'GET /prevalence-targets/:code', method: 'get', path: (w) => `/api/v1/prevalence-targets/${w.regencyCode}`, roles: PREVALENCE_READERS, kind: 'item' },
  { route: 'PUT /target-populations/:code/:year', method: 'put', path: (w) => `/api/v1/target-populations/${w.regencyCode}/2026`, body: () => ({ children0to59: 1000 }), roles: ['admin'], kind: 'item' },
  { route: 'GET /target-populations/:code', method: 'get', path: (w) => `/api/v1/target-populations/${w.regencyCode}`, roles: PREVALENCE_READERS, kind: 'item' },
  {
    route: 'POST /survey-figures',
    method: 'post',
    path: () => '/api/v1/survey-figures',
    body: (w) => ({ source: 'SKI', year: 2000 + (uniq() % 100), regionCode: w.regencyCode, value: 20.5 }),
    roles: ['admin'],
    kind: 'item',
  },
  { route: 'GET /survey-figures', method: 'get', path: () => '/api/v1/survey-figures', roles: PREVALENCE_READERS, kind: 'global' },
  // Master Ansit (issue 19 part 3): a village, a regency's completeness or sheet of another regency answers 404; the world's liaison is DINKES's, owner of DS_ANAK_DIUKUR.
  { route: 'GET /ansit/indicators', method: 'get', path: (w) => `/api/v1/ansit/indicators?regencyCode=${w.regencyCode}`, roles: ['admin', 'case_manager', 'auditor', 'viewer', 'opd_liaison'], kind: 'item' },
  {
    route: 'POST /ansit/indicators',
    method: 'post',
    path: () => '/api/v1/ansit/indicators',
    body: () => ({ code: `AM_${uniq()}`, name: 'Indikator matriks', kind: 'supply', sheet: 'Kesehatan', unit: '%', numerator: 'x', ownerOpdCode: 'DINKES' }),
    roles: ['admin'],
    kind: 'global',
  },
  { route: 'GET /ansit/:year/completeness', method: 'get', path: (w) => `/api/v1/ansit/2026/completeness?regencyCode=${w.regencyCode}`, roles: ['admin', 'case_manager', 'auditor', 'viewer', 'opd_liaison'], kind: 'item' },
  { route: 'GET /ansit/:year/export.xlsx', method: 'get', path: (w) => `/api/v1/ansit/2026/export.xlsx?regencyCode=${w.regencyCode}`, roles: ['admin', 'case_manager', 'auditor', 'viewer', 'opd_liaison'], kind: 'item' },
  { route: 'GET /ansit/:year/:villageCode', method: 'get', path: (w) => `/api/v1/ansit/2026/${w.village}`, roles: ['admin', 'case_manager', 'auditor', 'viewer', 'opd_liaison'], kind: 'item' },
  {
    route: 'PUT /ansit/:year/:villageCode',
    method: 'put',
    path: (w) => `/api/v1/ansit/2026/${w.village}`,
    body: () => ({ values: [{ indicatorCode: 'DS_ANAK_DIUKUR', value: 12 }] }),
    roles: ['admin', 'case_manager', 'opd_liaison'],
    kind: 'item',
  },
  // 8 Aksi (issue 19 parts 1-2): the cycle is open to province users; the evidence documents are the regency's.
  { route: 'PUT /aksi/:year/cycle', method: 'put', path: (w) => `/api/v1/aksi/2030/cycle?regionCode=${w.regencyCode}`, body: () => AKSI_CYCLE, roles: ['admin'], kind: 'item' },
  { route: 'GET /aksi/:year/cycle', method: 'get', path: (w) => `/api/v1/aksi/2030/cycle?regionCode=${w.regencyCode}`, roles: AKSI_READERS, kind: 'item' },
  {
    route: 'POST /aksi/:year/documents',
    method: 'post',
    path: () => '/api/v1/aksi/2030/documents',
    body: (w) => ({ action: 2, type: 'activity_plan', title: 'matrix', ownerOpdId: w.opdId, regencyCode: w.regencyCode }),
    roles: ['admin', 'case_manager'],
    kind: 'create',
  },
  { route: 'GET /aksi/:year/documents', method: 'get', path: (w) => `/api/v1/aksi/2030/documents?regencyCode=${w.regencyCode}`, roles: AKSI_READERS, kind: 'list' },
  { route: 'GET /aksi/documents/:id', method: 'get', path: (w) => `/api/v1/aksi/documents/${aksi[w.regencyCode].draft}`, roles: AKSI_READERS, kind: 'item' },
  {
    route: 'POST /aksi/documents/:id/events (REVISE)',
    method: 'post',
    path: (w) => `/api/v1/aksi/documents/${takeAksi(w)}/events`,
    headers: { 'If-Match': '3' },
    body: () => ({ type: 'REVISE' }),
    roles: AKSI_ACTORS,
    kind: 'item',
  },
  { route: 'POST /aksi/documents/:id/versions', method: 'post', path: (w) => `/api/v1/aksi/documents/${aksi[w.regencyCode].draft}/versions`, multipart: true, roles: AKSI_ACTORS, kind: 'item' },
  { route: 'GET /aksi/documents/:id/versions/:n', method: 'get', path: (w) => `/api/v1/aksi/documents/${aksi[w.regencyCode].withFile}/versions/1`, roles: AKSI_READERS, kind: 'item' },
  // 8 Aksi readiness and score (part 4): aggregates of a regency, open to its province.
  { route: 'GET /aksi/:year', method: 'get', path: (w) => `/api/v1/aksi/2030?regionCode=${w.regencyCode}`, roles: AKSI_READERS, kind: 'item' },
  {
    route: 'PUT /aksi/:year/scores',
    method: 'put',
    path: () => '/api/v1/aksi/2030/scores',
    body: (w) => ({ regionCode: w.regencyCode, panelist: 'matrix', scores: { documents: 70 } }),
    roles: ['admin', 'case_manager'],
    kind: 'item',
  },
];

function expected(c: RouteCase, role: Role, own: boolean): number | 'ok' {
  if (!c.roles.includes(role)) return 403;
  if (own || c.kind === 'global' || c.kind === 'list') return 'ok';
  return c.kind === 'item' ? 404 : 403;
}

/**
 * Province and national users (aggregates only, issue 18 part 5): a viewer and an admin of province
 * 32 (both world regencies), a national viewer, a viewer of province 31 (neither). Every route is
 * refused to them (403) unless it is @WideScope; append an aggregate route of yours here.
 */
type WideActor = keyof WideActors['tokens'];
const WIDE_ACTORS: readonly WideActor[] = ['provinceViewer', 'provinceAdmin', 'nationalViewer', 'otherProvinceViewer'];
const WIDE_OPEN: Record<string, readonly WideActor[]> = {
  'GET /users/me': WIDE_ACTORS,
  'GET /regions': WIDE_ACTORS,
  'GET /catalogues/causes': WIDE_ACTORS,
  'GET /catalogues/interventions': WIDE_ACTORS,
  'GET /reports/overdue': WIDE_ACTORS,
  'GET /reports/skdn': WIDE_ACTORS,
  'GET /lokus': WIDE_ACTORS,
  'GET /reports/lokus-watch': WIDE_ACTORS,
  'GET /reports/convergence': WIDE_ACTORS,
  'GET /reports/prevalence': WIDE_ACTORS,
  'GET /reports/hotspots': WIDE_ACTORS,
  'GET /prevalence-targets/:code': WIDE_ACTORS,
  'GET /target-populations/:code': WIDE_ACTORS,
  'GET /survey-figures': WIDE_ACTORS,
  'PUT /prevalence-targets/:code/:year': ['provinceAdmin'],
  'PUT /target-populations/:code/:year': ['provinceAdmin'],
  'POST /survey-figures': ['provinceAdmin'],
  'GET /convergence-packages/:regencyCode': WIDE_ACTORS,
  // A province admin administers the users of its province and of its regencies.
  'POST /users': ['provinceAdmin'],
  'GET /users': ['provinceAdmin'],
  'GET /users/:id': ['provinceAdmin'],
  'PATCH /users/:id': ['provinceAdmin'],
  'GET /ansit/:year/completeness': WIDE_ACTORS,
  // The assessment cycle: a province admin sets the province's or a regency's in it; everyone reads it.
  'PUT /aksi/:year/cycle': ['provinceAdmin'],
  'GET /aksi/:year/cycle': WIDE_ACTORS,
  'GET /aksi/:year': WIDE_ACTORS,
  'PUT /aksi/:year/scores': ['provinceAdmin'],
};
/** Open routes on a record or region of province 32, which the province-31 viewer does not see. */
const WIDE_NOT_FOUND_ELSEWHERE = new Set(['GET /reports/skdn', 'GET /lokus', 'GET /reports/lokus-watch', 'GET /reports/convergence', 'GET /convergence-packages/:regencyCode', 'GET /reports/prevalence', 'GET /reports/hotspots', 'GET /prevalence-targets/:code', 'GET /target-populations/:code', 'PUT /prevalence-targets/:code/:year', 'PUT /target-populations/:code/:year', 'GET /aksi/:year/cycle', 'PUT /aksi/:year/cycle']);
WIDE_NOT_FOUND_ELSEWHERE.add('GET /ansit/:year/completeness');
WIDE_NOT_FOUND_ELSEWHERE.add('GET /aksi/:year');
WIDE_NOT_FOUND_ELSEWHERE.add('PUT /aksi/:year/scores');
const WIDE_REASONS = ['a province or national user sees aggregates only, never records by name', 'the role viewer may not do this'];
const WIDE_PREFIX: Record<WideActor, string> = { provinceViewer: '32', provinceAdmin: '32', nationalViewer: '', otherProvinceViewer: '31' };
const aggregateWithin = (actor: WideActor, code: string) => code.startsWith(WIDE_PREFIX[actor]);

function expectedWide(c: RouteCase, actor: WideActor, open: boolean): number | 'ok' {
  if (!open) return 403;
  return actor === 'otherProvinceViewer' && WIDE_NOT_FOUND_ELSEWHERE.has(c.route) ? 404 : 'ok';
}

function ownedBy(w: RegencyWorld): Set<string> {
  const pool = pools[w.regencyCode];
  const p = prevention[w.regencyCode];
  return new Set([
    w.opdId, w.sponsorId, w.subjectId, w.targetUserId, ...Object.values(w.userIds), ...pool.subjects, ...pool.cases, ...pool.tasks, ...pool.proposals,
    ...pool.families, pool.active, ...pool.extra, p.team, p.family, p.catin, p.visit, p.fhirExport,
  ]);
}

describe('access matrix: every route x every role x (own regency, other regency, no token, expired token, disabled user)', () => {
  let t: TestApp;
  let world: World;
  let wide: WideActors;
  const send = (c: RouteCase, target: RegencyWorld, headers: Record<string, string>) => {
    const req = t.http()[c.method](c.path(target)).set({ ...c.headers, ...headers });
    if (c.multipart) {
      for (const [k, v] of Object.entries(c.body?.(target) ?? {})) req.field(k, String(v));
      return req.attach('file', Buffer.from('Nama Anak,Tanggal Lahir,JK,Desa,Tanggal Ukur,Berat\n'), 'e.csv');
    }
    return c.body ? req.send(c.body(target)) : req;
  };

  beforeAll(async () => {
    t = await createTestApp({ LOGIN_RATE_LIMIT: '1000' });
    world = await buildWorld(t);
    wide = await buildWideActors(t, world.nationalToken);
    // Each route that uses up a record takes 8 + 2 + 8 + 8 of regency A's (8 roles: matrix, no token, expired, disabled).
    for (const [w, size] of [[world.a, 60], [world.b, 20]] as const) {
      const cm = bearer(w.tokens.case_manager);
      const subjects: string[] = [];
      for (let i = 0; i < size * 2; i++) {
        const res = await t
          .http()
          .post('/api/v1/subjects')
          .set(cm)
          .send({ targetGroup: 'BALITA', name: `Anak pool ${i}`, sex: 'M', birthDate: '2024-01-01', villageCode: w.village });
        subjects.push(res.body.id);
      }
      const cases: string[] = [];
      for (const subjectId of subjects.splice(0, size)) {
        const res = await t.http().post('/api/v1/cases').set(cm).send({ subjectId, identifiedAt: '2026-11-01', source: 'manual' });
        cases.push(res.body.id);
      }
      const tasks: string[] = [];
      for (let i = 0; i < size * 2; i++) {
        const res = await t.http().post(`/api/v1/cases/${cases[cases.length - 1]}/tasks`).set(cm).send({ opdCode: 'DINKES', action: `Tugas pool ${i}` });
        tasks.push(res.body.id);
      }
      // An audited case with an approved intervention (deliveries), and proposals to refuse.
      const child = await t.http().post('/api/v1/subjects').set(cm).send({ targetGroup: 'BALITA', name: 'Anak audit', sex: 'M', birthDate: '2024-01-01', villageCode: w.village });
      const audited = (await t.http().post('/api/v1/cases').set(cm).send({ subjectId: child.body.id, identifiedAt: '2026-11-01', source: 'manual' })).body.id as string;
      await t
        .http()
        .post(`/api/v1/cases/${audited}/events`)
        .set(cm)
        .set('If-Match', '1')
        .send({ type: 'RECORD_AUDIT', auditedAt: '2026-11-10', cycle: '2026-S2', ...AUDIT_FINDINGS });
      const proposal = { caseId: audited, sponsorId: w.sponsorId, catalogueCode: 'JAMBAN', plannedStart: '2026-12-01', budgetIdr: 1_000_000 };
      const active = (await t.http().post('/api/v1/interventions').set(cm).send(proposal)).body.id as string;
      await t.http().post(`/api/v1/interventions/${active}/events`).set(cm).set('If-Match', '1').send({ type: 'APPROVE' });
      const proposals: string[] = [];
      for (let i = 0; i < size; i++) proposals.push((await t.http().post('/api/v1/interventions').set(cm).send(proposal)).body.id);
      // TPK: the world's tpk user in a team over the village, a family there (and a pool to assess), a bride-to-be, a visit.
      const team = await t
        .http()
        .post('/api/v1/tpk-teams')
        .set(cm)
        .send({ villageCode: w.village, name: 'TPK matrix', members: [{ userId: w.userIds.tpk, tpkRole: 'bidan' }], coordinatorUserId: w.userIds.tpk });
      const families: string[] = [];
      for (let i = 0; i < (w === world.a ? 35 : 11); i++) {
        const f = await t.http().post('/api/v1/families').set(cm).send({ familyCardNumber: kkFor(w), headName: `Kepala ${i}`, villageCode: w.village });
        families.push(f.body.id);
      }
      const catin = await t.http().post('/api/v1/subjects').set(cm).send({ targetGroup: 'CATIN', name: 'Calon pengantin', sex: 'F', birthDate: '2000-01-01', villageCode: w.village });
      const visited = await t
        .http()
        .post('/api/v1/visits')
        .set(bearer(w.tokens.tpk))
        .send({ id: randomUUID(), familyId: families[0], targetGroup: 'PUS', kind: 'RUMAH', actions: ['KIE'], visitedOn: '2026-11-21' });
      // FHIR: the export switched on (a public address by IP: nothing is sent, the delivery is off in tests), one reading queued, its export dead-lettered.
      const fhirOn = { enabled: true, baseUrl: 'https://203.0.113.10/fhir-r4/v1', tokenUrl: 'https://203.0.113.10/oauth2/v1/accesstoken', clientId: 'c', clientSecret: 's', organizationId: '100026342' };
      await t.http().put(`/api/v1/fhir-settings/${w.regencyCode}`).set(bearer(w.tokens.admin)).send(fhirOn).expect(200);
      const measured = await t.http().post('/api/v1/subjects').set(cm).send({ targetGroup: 'BALITA', name: 'Anak FHIR', sex: 'M', birthDate: '2024-01-01', villageCode: w.village });
      const reading = await t.http().post(`/api/v1/subjects/${measured.body.id}/measurements`).set(cm).send({ measuredAt: '2026-11-20', weightKg: 13.5, heightCm: 93, method: 'standing' });
      const [queued] = await t.sql<{ id: string }>(`SELECT id FROM fhir_exports WHERE measurement_id = $1`, [reading.body.id]);
      await t.sql(`UPDATE fhir_exports SET status = 'dead', attempts = 1, next_attempt_at = NULL, last_error = 'the receiver refused the bundle (400)' WHERE id = $1`, [queued.id]);
      prevention[w.regencyCode] = { team: team.body.id, family: families.shift()!, catin: catin.body.id, visit: visited.body.id, fhirExport: queued.id };
      pools[w.regencyCode] = { subjects, cases, tasks, proposals, families, active, extra: [child.body.id, audited, measured.body.id, reading.body.id] };
      const started = await t
        .http()
        .post('/api/v1/imports/eppgbm')
        .set(cm)
        .field('regencyCode', w.regencyCode)
        .attach('file', Buffer.from('Nama Anak,Tanggal Lahir,JK,Desa,Tanggal Ukur,Berat\n'), 'e.csv');
      importOf[w.regencyCode] = started.body.id;
      // 8 Aksi: the 2030 cycle, a draft document, and ready ones (a file, marked ready: version 3) to send back to draft.
      await t.http().put('/api/v1/aksi/2030/cycle').set(bearer(w.tokens.admin)).send(AKSI_CYCLE).expect(200);
      const aksiDoc = async () =>
        (await t.http().post('/api/v1/aksi/2030/documents').set(cm).send({ action: 1, type: 'other', title: 'matrix', ownerOpdId: w.opdId }).expect(201)).body.id as string;
      const ready: string[] = [];
      for (let i = 0; i < (w === world.a ? 34 : 12); i++) {
        const id = await aksiDoc();
        await t.http().post(`/api/v1/aksi/documents/${id}/versions`).set(cm).attach('file', Buffer.from(`matrix ${i}`), 'm.pdf').expect(201);
        await t.http().post(`/api/v1/aksi/documents/${id}/events`).set(cm).set('If-Match', '2').send({ type: 'MARK_READY' }).expect(200);
        ready.push(id);
      }
      aksi[w.regencyCode] = { draft: await aksiDoc(), ready, withFile: ready[0] };
    }
    // Some 500 requests of set-up: on a machine shared with other runs this outlasts the default minute.
  }, 600_000);
  afterAll(async () => {
    await t?.close();
  });

  it.each(ROUTES.map((c) => [c.route, c] as const))('%s: allowed cells succeed, all others are refused', async (_, c) => {
    const mismatches: string[] = [];
    const foreign = ownedBy(world.b);
    for (const role of ALL_ROLES) {
      for (const own of [true, false]) {
        const target = own ? world.a : world.b;
        const res = await send(c, target, bearer(world.a.tokens[role]));
        const want = expected(c, role, own);
        const got = res.status;
        const okay = want === 'ok' ? got >= 200 && got < 300 : got === want;
        if (!okay) mismatches.push(`${role} ${own ? 'own' : 'other'}: want ${want}, got ${got} ${JSON.stringify(res.body)}`);
        if (okay && own && want === 'ok') mismatches.push(...embeddedProblems(c, role, res.body));
        if (want === 'ok' && c.kind === 'list' && okay) {
          const items = res.body.items as { id: string; regencyCode?: string; regencyCodes?: string[] }[];
          expect(Array.isArray(items)).toBe(true);
          const leaked = items.filter(
            (i) => foreign.has(i.id) || (i.regencyCode !== undefined && i.regencyCode !== world.a.regencyCode) || i.regencyCodes?.includes(world.b.regencyCode),
          );
          if (leaked.length) mismatches.push(`${role} ${own ? 'own' : 'other'}: list leaked ${JSON.stringify(leaked)}`);
          if (own && c.route !== 'GET /users' && items.length === 0) mismatches.push(`${role}: list of own regency is empty`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it.each(ROUTES.map((c) => [c.route, c] as const))('%s: province and national users are refused unless it is open to them', async (_, c) => {
    const mismatches: string[] = [];
    for (const actor of WIDE_ACTORS) {
      const open = WIDE_OPEN[c.route]?.includes(actor) ?? false;
      // A refused route is tried on regency A only: its path may use up a pooled record.
      for (const target of open ? [world.a, world.b] : [world.a]) {
        const res = await send(c, target, bearer(wide.tokens[actor]));
        const want = expectedWide(c, actor, open);
        const okay = want === 'ok' ? res.status >= 200 && res.status < 300 : res.status === want;
        if (!okay) mismatches.push(`${actor} ${target.regencyCode}: want ${want}, got ${res.status} ${JSON.stringify(res.body)}`);
        if (want === 403 && okay && !WIDE_REASONS.includes(res.body.message)) mismatches.push(`${actor}: refused with ${res.body.message}`);
        if (okay && want === 'ok') {
          // Nothing of another province, and for the province-31 viewer nothing of the world at all.
          const items = (res.body.items ?? res.body.groups ?? []) as { regencyCode?: string | null; provinceCode?: string | null }[];
          const outside = items.filter((i) => (i.regencyCode && !aggregateWithin(actor, i.regencyCode)) || (i.provinceCode && !aggregateWithin(actor, i.provinceCode)));
          if (outside.length) mismatches.push(`${actor}: answer reaches outside its region ${JSON.stringify(outside)}`);
          if (actor === 'otherProvinceViewer' && c.route === 'GET /reports/overdue' && items.length) mismatches.push(`${actor}: overdue groups of province 32`);
          if (/"nik"|birthDate|Anak pool|Anak audit/.test(JSON.stringify(res.body))) mismatches.push(`${actor}: a child's name, NIK or birth date in ${c.route}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('a CSR partner sees only its own sponsor', async () => {
    const other = await t
      .http()
      .post('/api/v1/sponsors')
      .set(bearer(world.nationalToken))
      .send({ name: 'PT Lain', type: 'company', regencyCodes: [world.a.regencyCode] });
    const list = await t.http().get('/api/v1/sponsors').set(bearer(world.a.tokens.csr_partner)).expect(200);
    expect(list.body.items.map((s: { id: string }) => s.id)).toEqual([world.a.sponsorId]);
    await t.http().get(`/api/v1/sponsors/${other.body.id}`).set(bearer(world.a.tokens.csr_partner)).expect(404);
    await t.http().get(`/api/v1/sponsors/${other.body.id}`).set(bearer(world.a.tokens.case_manager)).expect(200);
  });

  it('a national admin sees and acts in every regency', async () => {
    const h = bearer(world.nationalToken);
    const subjects = await t.http().get('/api/v1/subjects?limit=200').set(h).expect(200);
    const regencies = new Set(subjects.body.items.map((s: { regencyCode: string }) => s.regencyCode));
    expect(regencies).toEqual(new Set([world.a.regencyCode, world.b.regencyCode]));
    await t.http().get(`/api/v1/subjects/${world.b.subjectId}`).set(h).expect(200);
    await t.http().get(`/api/v1/users/${world.b.targetUserId}`).set(h).expect(200);
    const users = await t.http().get('/api/v1/users?limit=200').set(h).expect(200);
    expect(users.body.items.some((u: { regencyCode: string }) => u.regencyCode === world.b.regencyCode)).toBe(true);
  });

  it('no token: every route answers 401', async () => {
    for (const c of ROUTES) {
      const res = await send(c, world.a, {});
      expect([c.route, res.status, res.body.error]).toEqual([c.route, 401, 'UNAUTHENTICATED']);
      const garbage = await send(c, world.a, { Authorization: 'Bearer not.a.token' });
      expect([c.route, garbage.status]).toEqual([c.route, 401]);
    }
  });

  it('expired token: every route x role answers 401', async () => {
    t.clock.advance(8 * 3600 * 1000 + 1000);
    try {
      for (const c of ROUTES) {
        for (const role of ALL_ROLES) {
          const res = await send(c, world.a, bearer(world.a.tokens[role]));
          expect([c.route, role, res.status, res.body.message]).toEqual([c.route, role, 401, 'the token has expired']);
        }
      }
    } finally {
      t.clock.advance(-(8 * 3600 * 1000 + 1000));
    }
  });

  it('disabled user: existing tokens stop working at once, and stay dead after re-enabling', async () => {
    for (const role of ALL_ROLES) {
      await t.http().patch(`/api/v1/users/${world.a.userIds[role]}`).set(bearer(world.nationalToken)).send({ active: false }).expect(200);
    }
    for (const c of ROUTES) {
      for (const role of ALL_ROLES) {
        const res = await send(c, world.a, bearer(world.a.tokens[role]));
        expect([c.route, role, res.status]).toEqual([c.route, role, 401]);
      }
    }
    const login = await t.http().post('/api/v1/auth/login').send({ username: 'viewer.a', password: passwordOf('viewer.a') });
    expect(login.status).toBe(401);
    await t.http().patch(`/api/v1/users/${world.a.userIds.viewer}`).set(bearer(world.nationalToken)).send({ active: true }).expect(200);
    await t.http().get('/api/v1/users/me').set(bearer(world.a.tokens.viewer)).expect(401);
    await t.http().post('/api/v1/auth/login').send({ username: 'viewer.a', password: passwordOf('viewer.a') }).expect(200);
  });
});
