import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Register prevalence (domain-wave2 §4): the winning reading of each child and month, counts per
 * village and regency kept current by a statement trigger on measurements (set-based, in the
 * writing transaction), bulan timbang snapshots with revisions, targets, target populations and
 * survey figures as their own series.
 */
/**
 * Per insert statement: the statement's best reading per child-month; new child-months inserted
 * and counted in one statement (the usual case: an import of a new month); only when some were
 * stored already, those are locked and replaced where the new reading ranks higher. (Version 2, in
 * the prevalence-net-deltas migration, leaves a count whose net change is nothing untouched.)
 */
export const PREVALENCE_AFTER_MEASUREMENTS_V1 = `
      CREATE FUNCTION prevalence_after_measurements() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        r prevalence_rules;
        c_subject uuid[]; c_period text[]; c_village text[]; c_plausible boolean[]; c_band smallint[];
        c_on date[]; c_at timestamptz[]; c_id uuid[];
        d_village text[]; d_period text[]; d_band smallint[]; d_n integer[];
      BEGIN
        SELECT * INTO r FROM prevalence_rules;
        WITH c AS (
          SELECT DISTINCT ON (n.subject_id, to_char(n.measured_on, 'YYYY-MM'))
                 to_char(n.measured_on, 'YYYY-MM') AS period, n.subject_id, s.village_code,
                 prevalence_plausible(n.haz, n.method, n.flags, r.max_abs_haz) AS plausible, n.haz, n.measured_on, n.created_at, n.id
            FROM new_rows n JOIN subjects s ON s.id = n.subject_id
           WHERE s.target_group IN ('BALITA', 'BADUTA') AND n.age_days <= r.max_age_days AND n.length_height_cm IS NOT NULL
           ORDER BY n.subject_id, to_char(n.measured_on, 'YYYY-MM'), 4 DESC, n.measured_on DESC, n.created_at DESC, n.id DESC),
        b AS (SELECT period, subject_id, village_code, plausible, prevalence_band(plausible, haz, r.stunted_below, r.severe_below) AS band,
                     measured_on, created_at, id FROM c),
        ins AS (
          INSERT INTO prevalence_child_months (period, subject_id, village_code, plausible, band, measured_on, recorded_at, measurement_id)
          SELECT * FROM b ORDER BY 1, 2
          ON CONFLICT DO NOTHING RETURNING period, subject_id, village_code, band),
        stored AS (SELECT b.* FROM b LEFT JOIN ins ON ins.period = b.period AND ins.subject_id = b.subject_id WHERE ins.subject_id IS NULL),
        added AS (SELECT village_code, period, band, count(*)::int AS n FROM ins GROUP BY 1, 2, 3)
        SELECT (SELECT array_agg(subject_id) FROM stored), (SELECT array_agg(period) FROM stored), (SELECT array_agg(village_code) FROM stored),
               (SELECT array_agg(plausible) FROM stored), (SELECT array_agg(band) FROM stored), (SELECT array_agg(measured_on) FROM stored),
               (SELECT array_agg(created_at) FROM stored), (SELECT array_agg(id) FROM stored),
               (SELECT array_agg(village_code) FROM added), (SELECT array_agg(period) FROM added), (SELECT array_agg(band) FROM added),
               (SELECT array_agg(n) FROM added)
          INTO c_subject, c_period, c_village, c_plausible, c_band, c_on, c_at, c_id, d_village, d_period, d_band, d_n;

        IF c_subject IS NULL THEN
          IF d_village IS NULL THEN RETURN NULL; END IF;
          WITH delta AS (SELECT * FROM unnest(d_village, d_period, d_band, d_n) AS d(village_code, period, band, n)),
          regions AS (
            SELECT 10::smallint AS digits, village_code AS region_code, period, band, n FROM delta
            UNION ALL SELECT 4::smallint, left(village_code, 4), period, band, n FROM delta)
          INSERT INTO prevalence_counts AS p (digits, region_code, period, measured, stunted, severe, implausible)
          SELECT digits, region_code, period,
                 coalesce(sum(n) FILTER (WHERE band >= 0), 0), coalesce(sum(n) FILTER (WHERE band >= 1), 0),
                 coalesce(sum(n) FILTER (WHERE band = 2), 0), coalesce(sum(n) FILTER (WHERE band = -1), 0)
            FROM regions GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
          ON CONFLICT (digits, region_code, period) DO UPDATE
            SET measured = p.measured + excluded.measured, stunted = p.stunted + excluded.stunted,
                severe = p.severe + excluded.severe, implausible = p.implausible + excluded.implausible;
          RETURN NULL;
        END IF;

        -- Child-months stored before: locked (the latest committed version), then replaced when this
        -- statement's reading ranks higher.
        WITH c AS (SELECT * FROM unnest(c_period, c_subject, c_village, c_plausible, c_band, c_on, c_at, c_id)
                     AS c(period, subject_id, village_code, plausible, band, measured_on, recorded_at, measurement_id)),
        o AS (SELECT t.period, t.subject_id, t.village_code, t.band, t.plausible, t.measured_on, t.recorded_at, t.measurement_id
                FROM prevalence_child_months t JOIN c ON c.period = t.period AND c.subject_id = t.subject_id
               ORDER BY t.period, t.subject_id FOR UPDATE OF t),
        u AS (UPDATE prevalence_child_months t
                 SET village_code = c.village_code, plausible = c.plausible, band = c.band, measured_on = c.measured_on,
                     recorded_at = c.recorded_at, measurement_id = c.measurement_id
                FROM c JOIN o ON o.period = c.period AND o.subject_id = c.subject_id
               WHERE t.period = c.period AND t.subject_id = c.subject_id
                 AND (c.plausible, c.measured_on, c.recorded_at, c.measurement_id) > (o.plausible, o.measured_on, o.recorded_at, o.measurement_id)
              RETURNING o.village_code AS old_village, o.band AS old_band, t.period, t.village_code, t.band),
        delta AS (
          SELECT village_code, period, band, n FROM unnest(d_village, d_period, d_band, d_n) AS d(village_code, period, band, n)
          UNION ALL SELECT village_code, period, band, 1 FROM u
          UNION ALL SELECT old_village, period, old_band, -1 FROM u),
        regions AS (
          SELECT 10::smallint AS digits, village_code AS region_code, period, band, n FROM delta
          UNION ALL SELECT 4::smallint, left(village_code, 4), period, band, n FROM delta)
        INSERT INTO prevalence_counts AS p (digits, region_code, period, measured, stunted, severe, implausible)
        SELECT digits, region_code, period,
               coalesce(sum(n) FILTER (WHERE band >= 0), 0), coalesce(sum(n) FILTER (WHERE band >= 1), 0),
               coalesce(sum(n) FILTER (WHERE band = 2), 0), coalesce(sum(n) FILTER (WHERE band = -1), 0)
          FROM regions GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (digits, region_code, period) DO UPDATE
          SET measured = p.measured + excluded.measured, stunted = p.stunted + excluded.stunted,
              severe = p.severe + excluded.severe, implausible = p.implausible + excluded.implausible;
        RETURN NULL;
      END $$`;

export class Prevalence1764410000000 implements MigrationInterface {
  name = 'Prevalence1764410000000';

  async up(q: QueryRunner): Promise<void> {
    // The counting rules as data (one row): unverified thresholds stay editable without a release.
    await q.query(`
      CREATE TABLE prevalence_rules (
        id boolean PRIMARY KEY DEFAULT true CONSTRAINT ck_prevalence_rules_single CHECK (id),
        rule_version integer NOT NULL,
        max_age_days integer NOT NULL,
        max_abs_haz double precision NOT NULL,
        stunted_below double precision NOT NULL,
        severe_below double precision NOT NULL,
        min_measured integer NOT NULL,
        freeze_after_days integer NOT NULL,
        snapshot_months integer[] NOT NULL
      )`);
    // 60 months = 1826.25 days: a child of 1826 days is 59 months old.
    await q.query(`INSERT INTO prevalence_rules VALUES (true, 1, 1826, 6, -2, -3, 20, 30, '{2,8}')`);

    await q.query(`
      CREATE FUNCTION prevalence_plausible(haz double precision, method text, flags text[], max_abs_haz double precision) RETURNS boolean
        LANGUAGE sql IMMUTABLE AS $$ SELECT haz IS NOT NULL AND abs(haz) <= max_abs_haz AND method IS NOT NULL AND NOT ('height_drop' = ANY (flags)) $$`);
    // -1 implausible (excluded), 0 not stunted, 1 stunted, 2 severely stunted.
    await q.query(`
      CREATE FUNCTION prevalence_band(plausible boolean, haz double precision, stunted_below double precision, severe_below double precision)
        RETURNS smallint LANGUAGE sql IMMUTABLE AS $$
        SELECT (CASE WHEN NOT plausible THEN -1 WHEN haz < severe_below THEN 2 WHEN haz < stunted_below THEN 1 ELSE 0 END)::smallint $$`);

    // One row per child and month: the latest plausible reading (else the latest implausible one),
    // with the village the child lived in when it was written.
    await q.query(`
      CREATE TABLE prevalence_child_months (
        period text COLLATE "C" NOT NULL, -- to_char(measured_on, 'YYYY-MM'), written by the trigger only
        subject_id uuid NOT NULL,
        village_code text COLLATE "C" NOT NULL,
        plausible boolean NOT NULL,
        band smallint NOT NULL,
        measured_on date NOT NULL,
        recorded_at timestamptz NOT NULL,
        measurement_id uuid NOT NULL,
        CONSTRAINT pk_prevalence_child_months PRIMARY KEY (period, subject_id)
      )`);
    // Sums of child-months per village (10 digits) and regency (4 digits) and month.
    await q.query(`
      CREATE TABLE prevalence_counts (
        digits smallint NOT NULL CONSTRAINT ck_prevalence_counts_digits CHECK (digits IN (4, 10)),
        region_code text COLLATE "C" NOT NULL,
        period text COLLATE "C" NOT NULL,
        measured integer NOT NULL,
        stunted integer NOT NULL,
        severe integer NOT NULL,
        implausible integer NOT NULL,
        CONSTRAINT pk_prevalence_counts PRIMARY KEY (digits, region_code, period)
      )`);

    await q.query(PREVALENCE_AFTER_MEASUREMENTS_V1);
    await q.query(`
      CREATE TRIGGER tr_measurements_prevalence AFTER INSERT ON measurements
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION prevalence_after_measurements()`);

    // Rebuilds the child-months and their counts from every stored reading: for readings stored
    // before this migration, after a change of prevalence_rules, or after rows were loaded with
    // triggers off (bench/reports-seed.mjs). Writes to measurements wait while it runs; frozen
    // snapshots are never touched.
    await q.query(`
      CREATE FUNCTION refresh_prevalence() RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        LOCK TABLE measurements IN SHARE MODE;
        DELETE FROM prevalence_counts;
        DELETE FROM prevalence_child_months;
        INSERT INTO prevalence_child_months (period, subject_id, village_code, plausible, band, measured_on, recorded_at, measurement_id)
        SELECT c.period, c.subject_id, c.village_code, c.plausible, prevalence_band(c.plausible, c.haz, r.stunted_below, r.severe_below),
               c.measured_on, c.created_at, c.id
          FROM prevalence_rules r,
               LATERAL (SELECT DISTINCT ON (m.subject_id, to_char(m.measured_on, 'YYYY-MM'))
                               m.subject_id, to_char(m.measured_on, 'YYYY-MM') AS period, s.village_code,
                               prevalence_plausible(m.haz, m.method, m.flags, r.max_abs_haz) AS plausible, m.haz, m.measured_on, m.created_at, m.id
                          FROM measurements m JOIN subjects s ON s.id = m.subject_id
                         WHERE s.target_group IN ('BALITA', 'BADUTA') AND m.age_days <= r.max_age_days AND m.length_height_cm IS NOT NULL
                         ORDER BY m.subject_id, to_char(m.measured_on, 'YYYY-MM'), 4 DESC, m.measured_on DESC, m.created_at DESC, m.id DESC) c;
        INSERT INTO prevalence_counts (digits, region_code, period, measured, stunted, severe, implausible)
        SELECT d.digits, left(village_code, d.digits), period, count(*) FILTER (WHERE band >= 0), count(*) FILTER (WHERE band >= 1),
               count(*) FILTER (WHERE band = 2), count(*) FILTER (WHERE band = -1)
          FROM prevalence_child_months, (VALUES (4::smallint), (10::smallint)) AS d(digits)
         GROUP BY 1, 2, 3;
      END $$`);
    await q.query(`SELECT refresh_prevalence()`);

    // Frozen bulan timbang figures per village and regency. Revision 0 is the figure as frozen; later
    // revisions record what late data changed. Rows are never updated.
    await q.query(`
      CREATE TABLE prevalence_snapshots (
        id uuid PRIMARY KEY,
        digits smallint NOT NULL,
        region_code text COLLATE "C" NOT NULL,
        period text COLLATE "C" NOT NULL,
        revision integer NOT NULL,
        revision_of uuid CONSTRAINT fk_prevalence_snapshots_revision_of REFERENCES prevalence_snapshots (id),
        measured integer NOT NULL,
        stunted integer NOT NULL,
        severe integer NOT NULL,
        implausible integer NOT NULL,
        frozen_at timestamptz NOT NULL,
        computed_at timestamptz NOT NULL,
        rule_version integer NOT NULL,
        CONSTRAINT ux_prevalence_snapshots UNIQUE (digits, region_code, period, revision),
        CONSTRAINT ck_prevalence_snapshots_revision CHECK ((revision = 0) = (revision_of IS NULL))
      )`);
    // One row per frozen period: claimed first, so a second instance freezing at once does nothing.
    await q.query(`
      CREATE TABLE prevalence_freezes (
        period text COLLATE "C" PRIMARY KEY,
        frozen_at timestamptz NOT NULL,
        computed_at timestamptz NOT NULL,
        rule_version integer NOT NULL
      )`);

    await q.query(`
      CREATE TABLE prevalence_targets (
        region_code text COLLATE "C" NOT NULL CONSTRAINT ck_prevalence_targets_code CHECK (region_code ~ '^([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{10})?$'),
        year integer NOT NULL,
        value numeric(5, 2) NOT NULL CONSTRAINT ck_prevalence_targets_value CHECK (value BETWEEN 0 AND 100),
        basis text NOT NULL CONSTRAINT ck_prevalence_targets_basis CHECK (basis IN ('perpres', 'rpjmn', 'rpjmd', 'rkpd')),
        set_by uuid NOT NULL CONSTRAINT fk_prevalence_targets_set_by REFERENCES users (id),
        set_at timestamptz NOT NULL,
        CONSTRAINT pk_prevalence_targets PRIMARY KEY (region_code, year)
      )`);
    await q.query(`
      CREATE TABLE target_populations (
        region_code text COLLATE "C" NOT NULL CONSTRAINT ck_target_populations_code CHECK (region_code ~ '^([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{10})?$'),
        year integer NOT NULL,
        children_0_to_59 integer NOT NULL CONSTRAINT ck_target_populations_children CHECK (children_0_to_59 >= 0),
        set_by uuid NOT NULL CONSTRAINT fk_target_populations_set_by REFERENCES users (id),
        set_at timestamptz NOT NULL,
        CONSTRAINT pk_target_populations PRIMARY KEY (region_code, year)
      )`);
    await q.query(`
      CREATE TABLE survey_figures (
        id uuid PRIMARY KEY,
        source text NOT NULL CONSTRAINT ck_survey_figures_source CHECK (source IN ('SSGI', 'SKI', 'RISKESDAS')),
        year integer NOT NULL,
        region_code text COLLATE "C" NOT NULL CONSTRAINT ck_survey_figures_code CHECK (region_code ~ '^([0-9]{2}|[0-9]{4})?$'),
        value numeric(5, 2) NOT NULL CONSTRAINT ck_survey_figures_value CHECK (value BETWEEN 0 AND 100),
        ci_low numeric(5, 2),
        ci_high numeric(5, 2),
        note text,
        created_by uuid NOT NULL CONSTRAINT fk_survey_figures_created_by REFERENCES users (id),
        created_at timestamptz NOT NULL,
        CONSTRAINT ux_survey_figures UNIQUE (source, year, region_code)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER tr_measurements_prevalence ON measurements`);
    await q.query(`DROP FUNCTION refresh_prevalence()`);
    await q.query(`DROP FUNCTION prevalence_after_measurements()`);
    for (const t of ['survey_figures', 'target_populations', 'prevalence_targets', 'prevalence_freezes', 'prevalence_snapshots', 'prevalence_counts', 'prevalence_child_months', 'prevalence_rules']) {
      await q.query(`DROP TABLE ${t}`);
    }
    await q.query(`DROP FUNCTION prevalence_band(boolean, double precision, double precision, double precision)`);
    await q.query(`DROP FUNCTION prevalence_plausible(double precision, text, text[], double precision)`);
  }
}
