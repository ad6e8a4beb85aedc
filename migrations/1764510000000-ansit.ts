import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Master Ansit (domain-wave2 §3): the indicator catalogue as data (national rows with a null
 * regency, a regency's own rows beside them) and the values entered per year, village and
 * indicator with their provenance. Engine values are computed on read, never stored here.
 *
 * Seeded: the Data Sasaran sheet of the Aksi Bangda app (families, KRS families, children
 * measured, pendek, sangat pendek), the only sheet whose columns were retrieved. The 64 coverage
 * indicators (29 esensial + 35 supply, SE Mendagri 400.5/8476/SJ) were not itemised in any source
 * found: a district or the national admin adds them as data (status to_complete until checked).
 */
export class Ansit1764510000000 implements MigrationInterface {
  name = 'Ansit1764510000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ansit_indicators (
        id uuid PRIMARY KEY,
        -- null: a national indicator, every regency's; else one regency's own.
        regency_code text CONSTRAINT ck_ansit_indicators_regency CHECK (regency_code ~ '^[0-9]{4}$'),
        code text NOT NULL CONSTRAINT ck_ansit_indicators_code CHECK (code ~ '^[A-Z0-9_]{2,40}$'),
        name text NOT NULL,
        kind text NOT NULL CONSTRAINT ck_ansit_indicators_kind CHECK (kind IN ('sasaran', 'esensial', 'supply')),
        sheet text NOT NULL,
        unit text NOT NULL,
        numerator text NOT NULL,
        denominator text,
        owner_opd_code text NOT NULL CONSTRAINT ck_ansit_indicators_owner CHECK (owner_opd_code ~ '^[A-Z0-9_]{2,32}$'),
        computed_by text CONSTRAINT ck_ansit_indicators_engine CHECK (computed_by IN ('families', 'krs_families', 'children_measured', 'stunted', 'pendek', 'sangat_pendek')),
        status text NOT NULL CONSTRAINT ck_ansit_indicators_status CHECK (status IN ('known', 'to_complete')),
        source text,
        created_by uuid CONSTRAINT fk_ansit_indicators_created_by REFERENCES users (id),
        created_at timestamptz NOT NULL
      )`);
    // A code names one indicator for a regency: its own codes never shadow a national one (checked on write under a lock).
    await q.query(`CREATE UNIQUE INDEX ux_ansit_indicators_code ON ansit_indicators (coalesce(regency_code, ''), code)`);

    await q.query(`
      CREATE TABLE ansit_values (
        year smallint NOT NULL CONSTRAINT ck_ansit_values_year CHECK (year BETWEEN 2018 AND 2100),
        village_code text NOT NULL CONSTRAINT ck_ansit_values_village CHECK (village_code ~ '^[0-9]{10}$'),
        indicator_code text NOT NULL,
        regency_code text NOT NULL,
        value numeric,
        note text,
        provenance text NOT NULL CONSTRAINT ck_ansit_values_provenance CHECK (provenance IN ('manual', 'import')),
        entered_by uuid NOT NULL CONSTRAINT fk_ansit_values_entered_by REFERENCES users (id),
        entered_at timestamptz NOT NULL,
        CONSTRAINT pk_ansit_values PRIMARY KEY (regency_code, year, village_code, indicator_code),
        CONSTRAINT ck_ansit_values_in_regency CHECK (left(village_code, 4) = regency_code)
      )`);

    // The engine reads one regency's year as index ranges, never a national scan: its children's
    // plausible child-months by village and period, its families' assessments of the year.
    await q.query(`CREATE INDEX ix_prevalence_child_months_village ON prevalence_child_months (village_code, period) INCLUDE (subject_id, band) WHERE plausible`);
    await q.query(`CREATE INDEX ix_krs_regency_year_family ON krs_assessments (regency_code, year, family_id)`);

    // In the sheet's column order (created_at orders the catalogue).
    const seed = [
      ['DS_KELUARGA', 'Jumlah keluarga', 'keluarga', 'families registered in the desa (families table)', null, 'DP2KB', 'families'],
      ['DS_KRS', 'Jumlah keluarga berisiko stunting (KRS)', 'keluarga', "families whose latest assessment of the year is KRS (is_krs)", null, 'DP2KB', 'krs_families'],
      ['DS_ANAK_DIUKUR', 'Jumlah anak balita diukur', 'anak', 'children 0-59 months with a plausible length/height reading in the year', null, 'DINKES', 'children_measured'],
      ['DS_PENDEK', 'Jumlah anak pendek', 'anak', "children measured whose latest plausible reading of the year has -3 <= HAZ < -2 (Permenkes 2/2020 'pendek')", null, 'DINKES', 'pendek'],
      ['DS_SANGAT_PENDEK', 'Jumlah anak sangat pendek', 'anak', "children measured whose latest plausible reading of the year has HAZ < -3 (Permenkes 2/2020 'sangat pendek')", null, 'DINKES', 'sangat_pendek'],
    ];
    for (const [i, [code, name, unit, numerator, denominator, owner, engine]] of seed.entries()) {
      await q.query(
        `INSERT INTO ansit_indicators (id, regency_code, code, name, kind, sheet, unit, numerator, denominator, owner_opd_code, computed_by, status, source, created_at)
         VALUES (gen_random_uuid(), NULL, $1, $2, 'sasaran', 'Data Sasaran', $3, $4, $5, $6, $7, 'known', 'Panduan Web Aksi Bangda 2022, menu Master Ansit (domain-wave2 §3, W14)', now() + $8 * interval '1 millisecond')`,
        [code, name, unit, numerator, denominator, owner, engine, i],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_krs_regency_year_family`);
    await q.query(`DROP INDEX ix_prevalence_child_months_village`);
    await q.query(`DROP TABLE ansit_values`);
    await q.query(`DROP TABLE ansit_indicators`);
  }
}
