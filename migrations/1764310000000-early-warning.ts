import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Early warning (issue 23): each weighing's KMS trend code (N, T, 2T, O, B), the warnings it
 * raised, and the version of the standard that scored it; the standard as a versioned table per
 * regency with the national defaults as its first row ('*'); the flags a weighing raises and the
 * weighing that ends them.
 */
export class EarlyWarning1764310000000 implements MigrationInterface {
  name = 'EarlyWarning1764310000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE measurements
      ADD COLUMN trend text CONSTRAINT ck_measurements_trend CHECK (trend IN ('N', 'T', '2T', 'O', 'B')),
      ADD COLUMN warnings text[] NOT NULL DEFAULT '{}',
      ADD COLUMN kms_version integer`);

    // A child flagged 2T, BGM or faltering gets one follow-up TPK visit: an accompaniment of BALITA.
    await q.query(`ALTER TABLE accompaniments DROP CONSTRAINT ck_accompaniments_group`);
    await q.query(`ALTER TABLE accompaniments ADD CONSTRAINT ck_accompaniments_group CHECK (target_group IN ('CATIN', 'BUMIL', 'NIFAS', 'BADUTA', 'BALITA'))`);

    await q.query(`
      CREATE TABLE kms_standards (
        regency_code text NOT NULL CONSTRAINT ck_kms_standards_regency CHECK (regency_code = '*' OR regency_code ~ '^[0-9]{4}$'),
        version integer NOT NULL CONSTRAINT ck_kms_standards_version CHECK (version >= 1),
        body jsonb NOT NULL,
        source text,
        created_by uuid CONSTRAINT fk_kms_standards_created_by REFERENCES users (id),
        created_at timestamptz NOT NULL,
        CONSTRAINT pk_kms_standards PRIMARY KEY (regency_code, version)
      )`);
    // Buku KIA (Kemenkes, 2023 edition), the weight chart's KBM row; Standar Pemantauan Pertumbuhan Balita (Kemenkes 2006).
    // The red/orange lines as WAZ are not verified (Permenkes 2/2020 categories): data, not code.
    await q.query(
      `INSERT INTO kms_standards (regency_code, version, body, source, created_by, created_at) VALUES ('*', 1, $1::jsonb, $2, NULL, now())`,
      [
        JSON.stringify({
          kbm: [
            { fromMonths: 0, grams: 800 },
            { fromMonths: 2, grams: 900 },
            { fromMonths: 3, grams: 800 },
            { fromMonths: 4, grams: 600 },
            { fromMonths: 5, grams: 500 },
            { fromMonths: 6, grams: 400 },
            { fromMonths: 8, grams: 300 },
            { fromMonths: 11, grams: 200 },
          ],
          redLineWaz: -3,
          orangeLineWaz: 1,
          maxGapDays: 45,
          falteringDropWaz: 0.67,
          falteringWindowDays: 92,
          lostAfterDays: 60,
        }),
        'Buku KIA (Kemenkes 2023) KBM; Standar Pemantauan Pertumbuhan Balita (Kemenkes 2006); lines unverified (Permenkes 2/2020 BB/U -3 SD, +1 SD)',
      ],
    );

    await q.query(`
      CREATE TABLE growth_flags (
        id uuid PRIMARY KEY,
        regency_code text NOT NULL CONSTRAINT ck_growth_flags_regency CHECK (regency_code ~ '^[0-9]{4}$'),
        village_code text NOT NULL,
        subject_id uuid NOT NULL CONSTRAINT fk_growth_flags_subject REFERENCES subjects (id),
        kind text NOT NULL CONSTRAINT ck_growth_flags_kind CHECK (kind IN ('2T', 'BGM', 'above_orange', 'faltering')),
        raised_by uuid NOT NULL CONSTRAINT fk_growth_flags_raised_by REFERENCES measurements (id),
        raised_on date NOT NULL,
        cleared_by uuid CONSTRAINT fk_growth_flags_cleared_by REFERENCES measurements (id),
        cleared_on date,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT ck_growth_flags_cleared CHECK ((cleared_by IS NULL) = (cleared_on IS NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX ux_growth_flags_open ON growth_flags (subject_id, kind) WHERE cleared_by IS NULL`);
    await q.query(`CREATE INDEX ix_growth_flags_subject ON growth_flags (subject_id, raised_on)`);
    await q.query(`CREATE INDEX ix_growth_flags_village ON growth_flags (regency_code, village_code, raised_on)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE growth_flags`);
    await q.query(`DROP TABLE kms_standards`);
    await q.query(`ALTER TABLE measurements DROP COLUMN kms_version, DROP COLUMN warnings, DROP COLUMN trend`);
    await q.query(`ALTER TABLE accompaniments DROP CONSTRAINT ck_accompaniments_group`);
    await q.query(`ALTER TABLE accompaniments ADD CONSTRAINT ck_accompaniments_group CHECK (target_group IN ('CATIN', 'BUMIL', 'NIFAS', 'BADUTA'))`);
  }
}
