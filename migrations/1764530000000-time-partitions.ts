import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Time partitions (issue 22, part 5): audit_log, the workflow histories and measurements become
 * `PARTITION BY RANGE` of their time column, one partition per calendar month (UTC for the
 * timestamptz columns), named `<table>_pYYYYMM`, plus `<table>_default`.
 *
 * - The DEFAULT partition is the safety net: a row whose month has no partition (a reading typed
 *   in years late, or months after the partition job stopped) still inserts. ensure_time_partitions
 *   then creates that month and moves its rows out of the default, so the default stays empty and
 *   queries on a covered range prune it.
 * - Keys must contain the partition column: the primary keys become (…, at) / (id, measured_on).
 *   Uniqueness of a history's (aggregate, seq) is held by the aggregate's version (the kernel's
 *   optimistic UPDATE gives seq), of audit_log's (regency_code, seq) by the chain head's row lock.
 * - Foreign keys to a reading reference (id, measured_on): fhir_exports gains measured_on, and
 *   growth_flags already carries the reading's day (raised_on, cleared_on).
 */

/** A partitioned table: its time column and what it is rebuilt with (the names are those of the earlier migrations). */
interface Def {
  table: string;
  column: string;
  /** Primary key (and unique constraints) before and after: the partition column is appended. */
  keys: { name: string; before: string; after: string }[];
  indexes: string[];
  fks: string[];
  triggers: string[];
}

const HISTORIES: [table: string, key: string, parent: string, fkName: string, truncate: boolean][] = [
  ['case_history', 'case_id', 'cases', 'fk_case_history_case', true],
  ['task_history', 'task_id', 'tasks', 'fk_task_history_task', true],
  ['intervention_history', 'intervention_id', 'interventions', 'fk_intervention_history_intervention', false],
  ['accompaniment_history', 'accompaniment_id', 'accompaniments', 'fk_accompaniment_history', false],
  ['aksi_document_history', 'document_id', 'aksi_documents', 'fk_aksi_document_history', false],
];

const DEFS: Def[] = [
  {
    table: 'audit_log',
    column: 'at',
    keys: [{ name: 'pk_audit_log', before: 'PRIMARY KEY (regency_code, seq)', after: 'PRIMARY KEY (regency_code, seq, at)' }],
    indexes: [
      `CREATE INDEX ix_audit_log_subject ON audit_log (subject_id, at) WHERE subject_id IS NOT NULL`,
      `CREATE INDEX ix_audit_log_listed ON audit_log USING gin ((details -> 'subjectIds')) WHERE details ? 'subjectIds'`,
      `CREATE INDEX ix_audit_log_actor ON audit_log (actor_id, at)`,
      `CREATE INDEX ix_audit_log_regency_at ON audit_log (regency_code, at)`,
      `CREATE INDEX ix_audit_log_at ON audit_log (at)`,
    ],
    fks: [],
    triggers: [
      `CREATE TRIGGER tr_audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`,
      `CREATE TRIGGER tr_audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`,
      `REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC`,
    ],
  },
  {
    table: 'measurements',
    column: 'measured_on',
    keys: [
      { name: 'measurements_pkey', before: 'PRIMARY KEY (id)', after: 'PRIMARY KEY (id, measured_on)' },
      {
        name: 'ux_measurements_reading',
        before: 'UNIQUE NULLS NOT DISTINCT (subject_id, measured_on, weight_kg, height_cm, method)',
        after: 'UNIQUE NULLS NOT DISTINCT (subject_id, measured_on, weight_kg, height_cm, method)',
      },
    ],
    indexes: [],
    fks: [
      `ALTER TABLE measurements ADD CONSTRAINT fk_measurements_case FOREIGN KEY (case_id) REFERENCES cases (id)`,
      `ALTER TABLE measurements ADD CONSTRAINT fk_measurements_created_by FOREIGN KEY (created_by) REFERENCES users (id)`,
      `ALTER TABLE measurements ADD CONSTRAINT fk_measurements_subject FOREIGN KEY (subject_id) REFERENCES subjects (id)`,
    ],
    triggers: [
      `CREATE TRIGGER tr_measurements_prevalence AFTER INSERT ON measurements
         REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION prevalence_after_measurements()`,
    ],
  },
  ...HISTORIES.map(([table, key, parent, fkName, truncate]): Def => ({
    table,
    column: 'at',
    keys: [{ name: `pk_${table}`, before: `PRIMARY KEY (${key}, seq)`, after: `PRIMARY KEY (${key}, seq, at)` }],
    indexes: [],
    fks: [
      `ALTER TABLE ${table} ADD CONSTRAINT ${fkName} FOREIGN KEY (${key}) REFERENCES ${parent} (id)`,
      `ALTER TABLE ${table} ADD CONSTRAINT fk_${table}_actor FOREIGN KEY (actor_id) REFERENCES users (id)`,
    ],
    triggers: [
      `CREATE TRIGGER tr_${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION ${table}_append_only()`,
      ...(truncate ? [`CREATE TRIGGER tr_${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION ${table}_append_only()`] : []),
    ],
  })),
];

/** The foreign keys that point at a reading, before and after (a partitioned table is referenced by a key holding its partition column). */
const READING_FKS = [
  {
    table: 'fhir_exports',
    name: 'fk_fhir_exports_measurement',
    before: 'FOREIGN KEY (measurement_id) REFERENCES measurements (id)',
    after: 'FOREIGN KEY (measurement_id, measured_on) REFERENCES measurements (id, measured_on)',
  },
  {
    table: 'growth_flags',
    name: 'fk_growth_flags_raised_by',
    before: 'FOREIGN KEY (raised_by) REFERENCES measurements (id)',
    after: 'FOREIGN KEY (raised_by, raised_on) REFERENCES measurements (id, measured_on)',
  },
  {
    table: 'growth_flags',
    name: 'fk_growth_flags_cleared_by',
    before: 'FOREIGN KEY (cleared_by) REFERENCES measurements (id)',
    after: 'FOREIGN KEY (cleared_by, cleared_on) REFERENCES measurements (id, measured_on)',
  },
];

/** How many months ahead the migration makes (the scheduled job keeps TIME_PARTITIONS_MONTHS_AHEAD). */
const AHEAD = 3;

/** The month of each row (UTC for timestamptz), as an expression over `col`. */
const MONTH_OF = (def: { column: string }, alias = '') => (def.column === 'at' ? `date_trunc('month', ${alias}at AT TIME ZONE 'UTC')::date` : `date_trunc('month', ${alias}${def.column})::date`);

export class TimePartitions1764530000000 implements MigrationInterface {
  name = 'TimePartitions1764530000000';

  async up(q: QueryRunner): Promise<void> {
    // The partitioned tables and their time columns, as data: the job, retention and the tests read it.
    await q.query(`
      CREATE FUNCTION time_partitioned_tables() RETURNS TABLE (table_name text, column_name text) LANGUAGE sql IMMUTABLE AS $$
        VALUES ${DEFS.map((d) => `('${d.table}', '${d.column}')`).join(', ')}
      $$`);
    // One month's partition of a table, bounded in UTC for timestamptz columns. Rows of that month
    // waiting in the default partition are moved into it (what references them is re-checked).
    await q.query(`
      CREATE FUNCTION create_time_partition(tbl text, month date) RETURNS boolean LANGUAGE plpgsql AS $$
      DECLARE
        col text := (SELECT column_name FROM time_partitioned_tables() WHERE table_name = tbl);
        part text := format('%s_p%s', tbl, to_char(month, 'YYYYMM'));
        dflt text := tbl || '_default';
        lo text;
        hi text;
        waiting boolean;
        fk record;
        fks text[][] := '{}';
      BEGIN
        IF col IS NULL THEN RAISE EXCEPTION '% is not time-partitioned', tbl; END IF;
        month := date_trunc('month', month)::date;
        IF to_regclass(part) IS NOT NULL THEN RETURN false; END IF;
        IF col = 'at' THEN
          lo := (month::timestamp AT TIME ZONE 'UTC')::text;
          hi := ((month + interval '1 month')::timestamp AT TIME ZONE 'UTC')::text;
        ELSE
          lo := month::text;
          hi := (month + interval '1 month')::date::text;
        END IF;
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE %I >= %L AND %I < %L)', dflt, col, lo, col, hi) INTO waiting;
        IF NOT waiting THEN
          EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)', part, tbl, lo, hi);
          RETURN true;
        END IF;
        -- Rows of this month sit in the default partition: a new partition may not overlap them, so
        -- they move. The keys that point at them are dropped and added again (checked) around it.
        FOR fk IN SELECT c.conrelid::regclass::text AS rel, c.conname, pg_get_constraintdef(c.oid) AS def FROM pg_constraint c
                   WHERE c.contype = 'f' AND c.confrelid = tbl::regclass AND c.conparentid = 0 LOOP
          EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', fk.rel, fk.conname);
          fks := fks || ARRAY[[fk.rel, fk.conname, fk.def]];
        END LOOP;
        EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part, tbl);
        EXECUTE format('ALTER TABLE %I DISABLE TRIGGER USER', dflt);
        EXECUTE format('WITH moved AS (DELETE FROM %I WHERE %I >= %L AND %I < %L RETURNING *) INSERT INTO %I SELECT * FROM moved',
                       dflt, col, lo, col, hi, part);
        EXECUTE format('ALTER TABLE %I ENABLE TRIGGER USER', dflt);
        EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', tbl, part, lo, hi);
        FOR i IN 1 .. coalesce(array_length(fks, 1), 0) LOOP
          EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', fks[i][1], fks[i][2], fks[i][3]);
        END LOOP;
        RETURN true;
      END $$`);
    // The partitions of the month of \`at\` and the months_ahead after it, and of every month with
    // rows in a default partition, for every partitioned table. Safe to run on every replica at
    // once: one runs, the others wait on the lock and find everything made.
    await q.query(`
      CREATE FUNCTION ensure_time_partitions(months_ahead integer, at timestamptz DEFAULT now()) RETURNS integer LANGUAGE plpgsql AS $$
      DECLARE
        t record;
        m date;
        made integer := 0;
        first date := date_trunc('month', at AT TIME ZONE 'UTC')::date;
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('tuntas.time_partitions'));
        -- Making a partition locks its table: behind a long report it would hold every insert up
        -- in the lock queue. Give up instead (the months ahead leave time for the next run).
        PERFORM set_config('lock_timeout', '10s', true);
        FOR t IN SELECT * FROM time_partitioned_tables() LOOP
          FOR m IN
            SELECT generate_series(first, first + make_interval(months => greatest(months_ahead, 0)), interval '1 month')::date
            UNION
            SELECT * FROM time_partition_waiting(t.table_name, t.column_name)
            ORDER BY 1
          LOOP
            IF create_time_partition(t.table_name, m) THEN made := made + 1; END IF;
          END LOOP;
        END LOOP;
        RETURN made;
      END $$`);
    // The months with rows in a table's default partition.
    await q.query(`
      CREATE FUNCTION time_partition_waiting(tbl text, col text) RETURNS SETOF date LANGUAGE plpgsql AS $$
      BEGIN
        IF col = 'at' THEN
          RETURN QUERY EXECUTE format('SELECT DISTINCT date_trunc(''month'', at AT TIME ZONE ''UTC'')::date FROM %I', tbl || '_default');
        ELSE
          RETURN QUERY EXECUTE format('SELECT DISTINCT date_trunc(''month'', %I)::date FROM %I', col, tbl || '_default');
        END IF;
      END $$`);

    await q.query(`ALTER TABLE fhir_exports ADD COLUMN measured_on date`);
    await q.query(`UPDATE fhir_exports e SET measured_on = m.measured_on FROM measurements m WHERE m.id = e.measurement_id`);
    await q.query(`ALTER TABLE fhir_exports ALTER COLUMN measured_on SET NOT NULL`);
    for (const fk of READING_FKS) await q.query(`ALTER TABLE ${fk.table} DROP CONSTRAINT ${fk.name}`);

    for (const def of DEFS) {
      const old = `${def.table}__unpartitioned`;
      await q.query(`ALTER TABLE ${def.table} RENAME TO ${old}`);
      for (const k of def.keys) await q.query(`ALTER TABLE ${old} DROP CONSTRAINT ${k.name}`);
      for (const ix of def.indexes) await q.query(`DROP INDEX ${/INDEX (\w+)/.exec(ix)![1]}`);
      await q.query(`CREATE TABLE ${def.table} (LIKE ${old} INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY RANGE (${def.column})`);
      await q.query(`CREATE TABLE ${def.table}_default PARTITION OF ${def.table} DEFAULT`);
      // Every month from the oldest row's to the newest's, without gaps: a range query inside them prunes the default.
      await q.query(
        `SELECT create_time_partition($1, m::date) FROM (SELECT min(${MONTH_OF(def)}) AS lo, max(${MONTH_OF(def)}) AS hi FROM ${old}) b,
                generate_series(b.lo, b.hi, interval '1 month') m`,
        [def.table],
      );
      await q.query(`INSERT INTO ${def.table} SELECT * FROM ${old}`);
      await q.query(`DROP TABLE ${old}`);
      for (const k of def.keys) await q.query(`ALTER TABLE ${def.table} ADD CONSTRAINT ${k.name} ${k.after}`);
      for (const sql of [...def.indexes, ...def.fks, ...def.triggers]) await q.query(sql);
    }
    for (const fk of READING_FKS) await q.query(`ALTER TABLE ${fk.table} ADD CONSTRAINT ${fk.name} ${fk.after}`);
    await q.query(`SELECT ensure_time_partitions($1)`, [AHEAD]);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const fk of READING_FKS) await q.query(`ALTER TABLE ${fk.table} DROP CONSTRAINT ${fk.name}`);
    for (const def of [...DEFS].reverse()) {
      const old = `${def.table}__partitioned`;
      await q.query(`ALTER TABLE ${def.table} RENAME TO ${old}`);
      for (const k of def.keys) await q.query(`ALTER TABLE ${old} DROP CONSTRAINT ${k.name}`);
      for (const ix of def.indexes) await q.query(`DROP INDEX ${/INDEX (\w+)/.exec(ix)![1]}`);
      await q.query(`CREATE TABLE ${def.table} (LIKE ${old} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
      await q.query(`INSERT INTO ${def.table} SELECT * FROM ${old}`);
      await q.query(`DROP TABLE ${old}`);
      for (const k of def.keys) await q.query(`ALTER TABLE ${def.table} ADD CONSTRAINT ${k.name} ${k.before}`);
      for (const sql of [...def.indexes, ...def.fks, ...def.triggers]) await q.query(sql);
    }
    for (const fk of READING_FKS) await q.query(`ALTER TABLE ${fk.table} ADD CONSTRAINT ${fk.name} ${fk.before}`);
    await q.query(`ALTER TABLE fhir_exports DROP COLUMN measured_on`);
    await q.query(`DROP FUNCTION ensure_time_partitions(integer, timestamptz)`);
    await q.query(`DROP FUNCTION time_partition_waiting(text, text)`);
    await q.query(`DROP FUNCTION create_time_partition(text, date)`);
    await q.query(`DROP FUNCTION time_partitioned_tables()`);
  }
}
