import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Ready for Citus, distributed by regency_code (issue 22, part 6): after the migrations, every
 * table is either a reference table (named here, with why: small, national, or shared by every
 * regency) or district-scoped (it has regency_code). A district table's primary and unique keys
 * lead with regency_code, and its foreign keys to other district tables include it, so that
 * `create_distributed_table(t, 'regency_code')` and `create_reference_table(t)` would hold.
 *
 * What does not hold yet is listed below as data, each with its reason. The check fails on a new
 * table nobody classified, on a new key that breaks the rule, and on a listed exception that has
 * been fixed (so the list only shrinks).
 */

/** Replicated to every node in Citus: small, national, or read by every regency's rows. */
const REFERENCE_TABLES: Record<string, string> = {
  migrations: 'TypeORM bookkeeping, one row per migration',
  case_causes: 'national catalogue of stunting causes (a few dozen rows)',
  intervention_catalogue: 'national and regency catalogue of interventions (hundreds of rows), read by every regency',
  sponsors: 'CSR sponsors work across regencies (sponsor_regencies says where)',
  users: 'national and regency users (thousands): every table names its actor with a foreign key to users',
  opds: 'about nine agencies per regency (4,600 rows nationally); users and tasks point at them',
  webhooks: 'a handful per regency; notifications point at them',
  rate_limits: "the login limiter's counters, keyed by a hash of the client address (and username): national, every replica shares them",
  prevalence_rules: 'one national row of counting rules (issue 18)',
  aksi_cycles: 'one assessment timetable per year and province or regency (a few hundred rows a year), read by every regency of a province',
  ansit_indicators: 'the Master Ansit catalogue (issue 19): national indicators and a few per regency, read by every village grid',
  prevalence_freezes: 'one row per frozen bulan timbang month, national',
  prevalence_targets: 'targets per region code at every level, nation to regency (a few thousand rows), read by every level',
  target_populations: 'target populations per region code at every level (tens of thousands of rows), read by roll-ups',
  survey_figures: 'published SSGI/SKI figures per province, regency or nation: small, public',
};

/** The uuid-keyed aggregates: moving to (regency_code, id) keys is one migration across them all. */
const UUID_KEY =
  'keyed by its uuid v7 id alone; leading with regency_code means (regency_code, id) here and in every foreign key ' +
  'that points at it, one wide migration together with the workflow kernel statements (issue 13), left for the Citus step';
const UUID_FK = 'points at a uuid-keyed district table by id alone; it gains regency_code when that table is re-keyed (see the primary keys above)';

/** Known violations, by constraint or index name. */
const EXCEPTIONS: Record<string, string> = {
  subjects_pkey: UUID_KEY,
  cases_pkey: UUID_KEY,
  measurements_pkey: UUID_KEY,
  imports_pkey: UUID_KEY,
  tasks_pkey: UUID_KEY,
  escalations_pkey: UUID_KEY,
  notifications_pkey: UUID_KEY,
  interventions_pkey: UUID_KEY,
  deliveries_pkey: UUID_KEY,
  consents_pkey: UUID_KEY,
  fhir_exports_pkey: UUID_KEY,
  pk_case_history: 'keyed (case_id, seq): becomes (regency_code, case_id, seq) with the cases re-key',
  pk_task_history: 'keyed (task_id, seq): becomes (regency_code, task_id, seq) with the tasks re-key',
  pk_intervention_history: 'keyed (intervention_id, seq): becomes (regency_code, intervention_id, seq) with the interventions re-key',
  pk_case_offers: 'keyed (case_id, sponsor_id): becomes (regency_code, case_id, sponsor_id) with the cases re-key',
  pk_step_deadlines: 'keyed (aggregate_type, aggregate_id) by the sweep and the kernel (issue 13): gains regency_code with the aggregates',
  ux_escalations_rung: 'one rung fires once per (aggregate_type, aggregate_id, step_seq, level): gains regency_code with the aggregates',
  ux_measurements_reading: 'one reading per (subject_id, day, weight, height, method): gains regency_code with the subjects re-key',
  ux_cases_open_subject: 'one open case per subject (partial unique index): gains regency_code with the subjects re-key',
  fk_cases_subject: UUID_FK,
  fk_case_history_case: UUID_FK,
  fk_measurements_subject: UUID_FK,
  fk_measurements_case: UUID_FK,
  fk_tasks_case: UUID_FK,
  fk_tasks_replaces: UUID_FK,
  fk_task_history_task: UUID_FK,
  fk_notifications_escalation: UUID_FK,
  fk_case_offers_case: UUID_FK,
  fk_interventions_case: UUID_FK,
  fk_intervention_history_intervention: UUID_FK,
  fk_deliveries_intervention: UUID_FK,
  fk_consents_subject: UUID_FK,
  fk_fhir_exports_measurement: UUID_FK,
  // Prevention (issue 17): the same uuid-keyed shape as the aggregates above, re-keyed with them.
  families_pkey: UUID_KEY,
  family_members_pkey: UUID_KEY,
  krs_assessments_pkey: UUID_KEY,
  tpk_teams_pkey: UUID_KEY,
  accompaniments_pkey: UUID_KEY,
  visits_pkey: UUID_KEY,
  catin_screenings_pkey: UUID_KEY,
  pk_tpk_members: 'keyed (team_id, user_id): becomes (regency_code, team_id, user_id) with the tpk_teams re-key',
  pk_accompaniment_history: 'keyed (accompaniment_id, seq): becomes (regency_code, accompaniment_id, seq) with the accompaniments re-key',
  ux_family_members_subject: 'a subject belongs to at most one family (partial unique index): gains regency_code with the subjects re-key',
  ux_accompaniments_open: 'one open accompaniment per subject and group (partial unique index): gains regency_code with the subjects re-key',
  fk_family_members_family: UUID_FK,
  fk_family_members_subject: UUID_FK,
  fk_krs_assessments_family: UUID_FK,
  fk_tpk_members_team: UUID_FK,
  fk_accompaniments_subject: UUID_FK,
  fk_accompaniments_family: UUID_FK,
  fk_accompaniment_history: UUID_FK,
  fk_visits_team: UUID_FK,
  fk_visits_family: UUID_FK,
  fk_visits_subject: UUID_FK,
  fk_visits_accompaniment: UUID_FK,
  fk_catin_screenings_subject: UUID_FK,
  // Early warning and referrals (issue 23): the same uuid-keyed shape, re-keyed with the subjects.
  growth_flags_pkey: UUID_KEY,
  fk_growth_flags_subject: UUID_FK,
  fk_growth_flags_raised_by: UUID_FK,
  fk_growth_flags_cleared_by: UUID_FK,
  fk_tasks_subject: UUID_FK,
  ux_growth_flags_open: 'one open flag of a kind per child (partial unique index): gains regency_code with the subjects re-key',
  ux_tasks_open_referral: 'one open referral per child (partial unique index): gains regency_code with the subjects re-key',
  // Satu data (issue 18): lokus decrees are uuid-keyed like the aggregates; the prevalence summaries are keyed by a region code.
  lokus_sets_pkey: UUID_KEY,
  fk_lokus_sets_replaced_by: UUID_FK,
  fk_lokus_villages_set: UUID_FK,
  'table:prevalence_child_months': 'keyed (period, subject_id) with the village code: gains regency_code with the subjects re-key',
  'table:prevalence_counts': 'counts per village or regency code: distributed by left(region_code, 4) once it is a column of its own',
  'table:prevalence_snapshots': 'frozen counts per village or regency code: distributed by left(region_code, 4) with the counts',
  // 8 Aksi evidence documents (issue 19): uuid-keyed like the aggregates, re-keyed with them.
  aksi_documents_pkey: UUID_KEY,
  pk_aksi_document_history: 'keyed (document_id, seq): becomes (regency_code, document_id, seq) with the documents re-key',
  fk_aksi_document_history: UUID_FK,
  'table:aksi_document_versions': "a document's file versions, reached through document_id; gains regency_code with the documents re-key",
  // Tables without regency_code that are not reference tables.
  'table:import_rejections': 'rows of an import, reached through import_id; gains regency_code with the imports re-key',
  'table:idempotency_keys': "keyed (user_id, key), a user's retries; gains the regency_code of the request's aggregate with the re-key",
};

interface Key {
  table: string;
  name: string;
  kind: 'p' | 'u' | 'f' | 'i';
  columns: string[];
  refTable: string | null;
  refColumns: string[];
}

describe('Citus readiness: district tables are keyed by regency_code', () => {
  let t: TestApp;
  let tables: { name: string; district: boolean }[];
  let keys: Key[];

  beforeAll(async () => {
    t = await createTestApp();
    tables = (
      await t.sql<{ name: string; district: boolean }>(
        `SELECT c.relname AS name, EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'regency_code' AND NOT a.attisdropped) AS district
           FROM pg_class c
          WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
          ORDER BY 1`,
      )
    ).map((r) => ({ name: r.name, district: r.district === true || (r.district as unknown) === 't' }));
    const cols = (rel: string, nums: string) => `ARRAY(SELECT a.attname::text FROM unnest(${nums}) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = ${rel} AND a.attnum = k.n ORDER BY k.o)`;
    keys = await t.sql<Key>(
      `SELECT c.conrelid::regclass::text AS table, c.conname AS name, c.contype AS kind,
              ${cols('c.conrelid', 'c.conkey')} AS columns,
              CASE WHEN c.contype = 'f' THEN c.confrelid::regclass::text END AS "refTable",
              CASE WHEN c.contype = 'f' THEN ${cols('c.confrelid', 'c.confkey')} ELSE '{}' END AS "refColumns"
         FROM pg_constraint c
        WHERE c.connamespace = 'public'::regnamespace AND c.contype IN ('p', 'u', 'f')
       UNION ALL
       SELECT i.indrelid::regclass::text, x.relname, 'i', ${cols('i.indrelid', 'i.indkey::int2[]')}, NULL, '{}'
         FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid
        WHERE i.indisunique AND x.relnamespace = 'public'::regnamespace
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u'))`,
    );
  });

  afterAll(async () => {
    await t?.close();
  });

  it('names every violation as a listed exception, and lists no fixed one', () => {
    const district = new Set(tables.filter((x) => x.district).map((x) => x.name));
    const violations: string[] = [];
    for (const table of tables) {
      if (REFERENCE_TABLES[table.name]) continue;
      if (!table.district) violations.push(`table:${table.name}`);
    }
    for (const k of keys) {
      if (!district.has(k.table) || REFERENCE_TABLES[k.table]) continue;
      if (k.kind === 'f') {
        if (!k.refTable || !district.has(k.refTable) || REFERENCE_TABLES[k.refTable]) continue;
        const at = k.columns.indexOf('regency_code');
        if (at < 0 || k.refColumns[at] !== 'regency_code') violations.push(k.name);
      } else if (k.columns[0] !== 'regency_code') {
        violations.push(k.name);
      }
    }
    const unlisted = violations.filter((v) => !EXCEPTIONS[v]);
    const fixed = Object.keys(EXCEPTIONS).filter((e) => !violations.includes(e));
    expect({ unlisted, fixed }).toEqual({ unlisted: [], fixed: [] });
  });

  it('has no reference table that points at a district table', () => {
    const district = new Set(tables.filter((x) => x.district && !REFERENCE_TABLES[x.name]).map((x) => x.name));
    const wrongWay = keys.filter((k) => k.kind === 'f' && REFERENCE_TABLES[k.table] && k.refTable && district.has(k.refTable)).map((k) => k.name);
    expect(wrongWay).toEqual([]);
  });

  it('keeps the compliant district tables compliant', () => {
    const compliant = tables.filter((x) => x.district && !REFERENCE_TABLES[x.name]).map((x) => x.name).filter((name) => !keys.some((k) => k.table === name && EXCEPTIONS[k.name]));
    // audit_log, audit_heads, sla_policies and sponsor_regencies already lead with regency_code.
    expect(compliant).toEqual(expect.arrayContaining(['audit_heads', 'audit_log', 'sla_policies', 'sponsor_regencies']));
    expect(Object.keys(REFERENCE_TABLES).every((name) => tables.some((x) => x.name === name))).toBe(true);
  });
});
