import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The 8 Aksi assessment score (issue 19, part 4): the points (0-100) each panelist gave a
 * regency for each component of the year's assessment. The weighted total is computed on read
 * from the cycle's weights, so a changed weight never leaves a stale total behind.
 */
export class AksiScores1764520000000 implements MigrationInterface {
  name = 'AksiScores1764520000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE aksi_panel_scores (
        regency_code text NOT NULL CONSTRAINT ck_aksi_panel_scores_regency CHECK (regency_code ~ '^[0-9]{4}$'),
        year integer NOT NULL CONSTRAINT ck_aksi_panel_scores_year CHECK (year BETWEEN 2018 AND 2100),
        component text NOT NULL CONSTRAINT ck_aksi_panel_scores_component CHECK (component IN ('documents', 'presentation', 'field')),
        panelist text NOT NULL CONSTRAINT ck_aksi_panel_scores_panelist CHECK (length(panelist) BETWEEN 1 AND 120),
        points numeric(5, 2) NOT NULL CONSTRAINT ck_aksi_panel_scores_points CHECK (points BETWEEN 0 AND 100),
        note text,
        entered_by uuid NOT NULL CONSTRAINT fk_aksi_panel_scores_user REFERENCES users (id),
        entered_at timestamptz NOT NULL,
        CONSTRAINT pk_aksi_panel_scores PRIMARY KEY (regency_code, year, component, panelist)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE aksi_panel_scores`);
  }
}
