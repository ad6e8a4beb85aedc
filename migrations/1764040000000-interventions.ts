import type { MigrationInterface, QueryRunner } from 'typeorm';

/** [code, name (id), name (en), kind, target groups, default days, cadence days, unit, OPD]: domain brief §5.2 and §5.3. */
const CATALOGUE: [string, string, string, string, string[], number, number, string, string][] = [
  ['PMT_LOKAL_GIZI_KURANG', 'PMT lokal balita gizi kurang', 'Local-food supplementary feeding, wasted under-fives', 'spesifik', ['BALITA', 'BADUTA'], 56, 7, 'paket', 'DINKES'],
  ['PMT_LOKAL_BB_KURANG', 'PMT lokal balita berat badan kurang', 'Local-food supplementary feeding, underweight under-fives', 'spesifik', ['BALITA', 'BADUTA'], 14, 7, 'paket', 'DINKES'],
  ['PMT_LOKAL_2T', 'PMT lokal balita 2T (berat tidak naik 2 bulan)', 'Local-food supplementary feeding, no weight gain for 2 months', 'spesifik', ['BALITA', 'BADUTA'], 14, 7, 'paket', 'DINKES'],
  ['PMT_LOKAL_BUMIL_KEK', 'PMT lokal ibu hamil KEK', 'Local-food supplementary feeding, pregnant women with chronic energy deficiency', 'spesifik', ['IBU_HAMIL'], 120, 7, 'paket', 'DINKES'],
  ['TTD_BUMIL', 'Tablet tambah darah ibu hamil', 'Iron-folic acid tablets, pregnancy', 'spesifik', ['IBU_HAMIL'], 90, 30, 'tablet', 'DINKES'],
  ['TTD_CATIN', 'Tablet tambah darah calon pengantin', 'Iron tablets, brides-to-be', 'spesifik', ['CATIN'], 90, 7, 'tablet', 'DINKES'],
  ['VIT_A', 'Vitamin A', 'Vitamin A', 'spesifik', ['BALITA', 'BADUTA'], 1, 180, 'kapsul', 'DINKES'],
  ['IMUNISASI', 'Imunisasi dasar lengkap', 'Basic immunisation', 'spesifik', ['BADUTA'], 365, 30, 'dosis', 'DINKES'],
  ['ASI_MPASI_KONSELING', 'Konseling ASI dan MP-ASI', 'Breastfeeding and complementary-feeding counselling', 'spesifik', ['BADUTA', 'IBU_NIFAS'], 30, 7, 'sesi', 'DINKES'],
  ['TATA_LAKSANA_GIZI_BURUK', 'Tata laksana gizi buruk', 'Clinical treatment of severe malnutrition', 'spesifik', ['BALITA', 'BADUTA'], 60, 7, 'kunjungan', 'DINKES'],
  ['RUJUKAN_SPA', 'Rujukan ke dokter spesialis anak', 'Referral to a paediatrician', 'spesifik', ['BALITA', 'BADUTA'], 14, 14, 'kunjungan', 'DINKES'],
  ['ELSIMIL_SCREENING', 'Pemeriksaan kesehatan catin (Elsimil)', 'Bride-to-be health check (Elsimil)', 'sensitif', ['CATIN'], 30, 30, 'pemeriksaan', 'DP2KB'],
  ['KB_PASCAPERSALINAN', 'KB pascapersalinan', 'Post-partum family planning', 'sensitif', ['IBU_NIFAS'], 42, 42, 'layanan', 'DP2KB'],
  ['AIR_BERSIH', 'Akses air minum layak', 'Safe drinking water access', 'sensitif', ['BALITA', 'BADUTA', 'IBU_HAMIL'], 30, 30, 'unit', 'PUPR'],
  ['JAMBAN', 'Pembangunan jamban sehat', 'Latrine build', 'sensitif', ['BALITA', 'BADUTA', 'IBU_HAMIL'], 30, 30, 'unit', 'PUPR'],
  ['RTLH', 'Bedah rumah (rumah tidak layak huni)', 'House repair', 'sensitif', ['BALITA', 'BADUTA', 'IBU_HAMIL'], 60, 30, 'unit', 'PUPR'],
  ['JKN_PBI', 'Pendaftaran JKN PBI', 'Enrolment in the JKN contribution subsidy', 'sensitif', ['BALITA', 'BADUTA', 'IBU_HAMIL'], 30, 30, 'kepesertaan', 'DINSOS'],
  ['BANSOS', 'Bantuan sosial (PKH, sembako)', 'Social assistance (PKH, food aid)', 'sensitif', ['BALITA', 'BADUTA', 'IBU_HAMIL'], 180, 30, 'paket', 'DINSOS'],
  ['PAUD_BKB', 'PAUD / kelas pengasuhan BKB', 'Early childhood education / parenting class', 'sensitif', ['BALITA'], 90, 30, 'sesi', 'DP2KB'],
  ['PENDAMPINGAN_TPK', 'Pendampingan keluarga oleh TPK', 'Family accompaniment by the TPK', 'sensitif', ['BALITA', 'BADUTA', 'IBU_HAMIL', 'CATIN'], 90, 14, 'kunjungan', 'DP2KB'],
  ['MBG_B3', 'Makan bergizi gratis B3', 'Free nutritious meals for pregnant and breastfeeding women and toddlers', 'spesifik', ['IBU_HAMIL', 'IBU_NIFAS', 'BALITA'], 90, 7, 'paket', 'DINKES'],
  ['BAAS_PAKET', 'Paket Bapak/Bunda Asuh Anak Stunting (Rp 450.000/bulan, 6 bulan)', 'BAAS foster-parent package (Rp 450,000 a month for 6 months)', 'spesifik', ['BALITA', 'BADUTA', 'IBU_HAMIL', 'CATIN'], 180, 30, 'bulan', 'DP2KB'],
  ['GENTING_PAKET', 'Paket Gerakan Orang Tua Asuh Cegah Stunting', 'GENTING foster-parent package', 'spesifik', ['BALITA', 'BADUTA', 'IBU_HAMIL', 'IBU_NIFAS'], 180, 30, 'bulan', 'DP2KB'],
];

/** CSR-funded interventions on cases, their deliveries, the catalogue, guardian consents and idempotency keys. */
export class Interventions1764040000000 implements MigrationInterface {
  name = 'Interventions1764040000000';

  async up(q: QueryRunner): Promise<void> {
    // scope '' is the national catalogue; a regency's rows add entries or retire national ones.
    await q.query(`
      CREATE TABLE intervention_catalogue (
        scope text NOT NULL CONSTRAINT ck_intervention_catalogue_scope CHECK (scope = '' OR scope ~ '^[0-9]{4}$'),
        code text NOT NULL CONSTRAINT ck_intervention_catalogue_code CHECK (code ~ '^[A-Z0-9_]{2,40}$'),
        name text NOT NULL,
        name_en text NOT NULL,
        kind text NOT NULL CONSTRAINT ck_intervention_catalogue_kind CHECK (kind IN ('spesifik', 'sensitif')),
        target_groups text[] NOT NULL,
        default_days integer NOT NULL CONSTRAINT ck_intervention_catalogue_days CHECK (default_days BETWEEN 1 AND 3650),
        cadence_days integer NOT NULL CONSTRAINT ck_intervention_catalogue_cadence CHECK (cadence_days BETWEEN 1 AND 365),
        unit text NOT NULL,
        opd_code text NOT NULL,
        retired boolean NOT NULL DEFAULT false,
        CONSTRAINT pk_intervention_catalogue PRIMARY KEY (scope, code)
      )`);
    await q.query(
      `INSERT INTO intervention_catalogue (scope, code, name, name_en, kind, target_groups, default_days, cadence_days, unit, opd_code)
       SELECT '', c, n, e, k, string_to_array(g, ','), d, cd, u, o
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[], $8::text[], $9::text[]) AS x(c, n, e, k, g, d, cd, u, o)`,
      [0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => CATALOGUE.map((row) => (i === 4 ? (row[4] as string[]).join(',') : row[i]))),
    );

    await q.query(`ALTER TABLE sla_policies ADD COLUMN interventions jsonb`);

    await q.query(`
      CREATE TABLE case_offers (
        case_id uuid NOT NULL CONSTRAINT fk_case_offers_case REFERENCES cases (id),
        sponsor_id uuid NOT NULL CONSTRAINT fk_case_offers_sponsor REFERENCES sponsors (id),
        regency_code text NOT NULL,
        offered_by uuid NOT NULL CONSTRAINT fk_case_offers_offered_by REFERENCES users (id),
        offered_at timestamptz NOT NULL,
        CONSTRAINT pk_case_offers PRIMARY KEY (case_id, sponsor_id)
      )`);
    await q.query(`CREATE INDEX ix_case_offers_sponsor ON case_offers (sponsor_id, offered_at)`);

    await q.query(`
      CREATE TABLE interventions (
        id uuid PRIMARY KEY,
        regency_code text NOT NULL CONSTRAINT ck_interventions_regency_code CHECK (regency_code ~ '^[0-9]{4}$'),
        case_id uuid NOT NULL CONSTRAINT fk_interventions_case REFERENCES cases (id),
        sponsor_id uuid NOT NULL CONSTRAINT fk_interventions_sponsor REFERENCES sponsors (id),
        catalogue_code text NOT NULL,
        state text NOT NULL CONSTRAINT ck_interventions_state
          CHECK (state IN ('proposed', 'approved', 'active', 'on_hold', 'completed', 'verified', 'rejected', 'cancelled')),
        machine_version integer NOT NULL,
        snapshot jsonb NOT NULL,
        version integer NOT NULL CONSTRAINT ck_interventions_version CHECK (version >= 1),
        planned_start date NOT NULL,
        planned_days integer NOT NULL CONSTRAINT ck_interventions_days CHECK (planned_days BETWEEN 1 AND 3650),
        cadence_days integer NOT NULL,
        unit text NOT NULL,
        budget_idr bigint NOT NULL CONSTRAINT ck_interventions_budget CHECK (budget_idr >= 0),
        spent_idr bigint NOT NULL DEFAULT 0,
        deliveries integer NOT NULL DEFAULT 0,
        last_delivered_at timestamptz,
        step_due_at timestamptz,
        created_by uuid NOT NULL CONSTRAINT fk_interventions_created_by REFERENCES users (id),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX ix_interventions_case ON interventions (case_id)`);
    await q.query(`CREATE INDEX ix_interventions_sponsor ON interventions (sponsor_id, regency_code, created_at)`);
    await q.query(`CREATE INDEX ix_interventions_regency ON interventions (regency_code, state, created_at)`);

    await q.query(`
      CREATE TABLE intervention_history (
        intervention_id uuid NOT NULL CONSTRAINT fk_intervention_history_intervention REFERENCES interventions (id),
        seq integer NOT NULL CONSTRAINT ck_intervention_history_seq CHECK (seq >= 1),
        regency_code text NOT NULL,
        type text NOT NULL,
        from_state text,
        to_state text NOT NULL,
        payload jsonb NOT NULL,
        actor_id uuid CONSTRAINT fk_intervention_history_actor REFERENCES users (id),
        actor_role text,
        machine_version integer NOT NULL,
        at timestamptz NOT NULL,
        CONSTRAINT pk_intervention_history PRIMARY KEY (intervention_id, seq)
      )`);
    await q.query(`
      CREATE FUNCTION intervention_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'intervention_history is append-only' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER tr_intervention_history_append_only BEFORE UPDATE OR DELETE ON intervention_history
        FOR EACH ROW EXECUTE FUNCTION intervention_history_append_only()`);

    await q.query(`
      CREATE TABLE deliveries (
        id uuid PRIMARY KEY,
        regency_code text NOT NULL,
        intervention_id uuid NOT NULL CONSTRAINT fk_deliveries_intervention REFERENCES interventions (id),
        delivered_at timestamptz NOT NULL,
        quantity numeric(12, 2) NOT NULL CONSTRAINT ck_deliveries_quantity CHECK (quantity > 0),
        unit text NOT NULL,
        amount_idr bigint CONSTRAINT ck_deliveries_amount CHECK (amount_idr >= 0),
        note text,
        evidence_ref text,
        on_time boolean NOT NULL,
        recorded_by uuid NOT NULL CONSTRAINT fk_deliveries_recorded_by REFERENCES users (id),
        recorded_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX ix_deliveries_intervention ON deliveries (intervention_id, delivered_at)`);

    // A retried request finds the first one's answer here; the row is written in its transaction.
    await q.query(`
      CREATE TABLE idempotency_keys (
        user_id uuid NOT NULL CONSTRAINT fk_idempotency_keys_user REFERENCES users (id),
        key text NOT NULL,
        request_hash bytea NOT NULL,
        response_status integer,
        response_body text,
        created_at timestamptz NOT NULL,
        CONSTRAINT pk_idempotency_keys PRIMARY KEY (user_id, key)
      )`);

    await q.query(`
      CREATE TABLE consents (
        id uuid PRIMARY KEY,
        regency_code text NOT NULL,
        subject_id uuid NOT NULL CONSTRAINT fk_consents_subject REFERENCES subjects (id),
        guardian_name text NOT NULL,
        guardian_relation text NOT NULL,
        purpose text NOT NULL CONSTRAINT ck_consents_purpose CHECK (purpose IN ('share_with_sponsor')),
        sponsor_id uuid CONSTRAINT fk_consents_sponsor REFERENCES sponsors (id),
        evidence_ref text NOT NULL,
        given_at timestamptz NOT NULL,
        withdrawn_at timestamptz,
        recorded_by uuid NOT NULL CONSTRAINT fk_consents_recorded_by REFERENCES users (id),
        recorded_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX ix_consents_subject ON consents (subject_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE consents`);
    await q.query(`DROP TABLE idempotency_keys`);
    await q.query(`DROP TABLE deliveries`);
    await q.query(`DROP TABLE intervention_history`);
    await q.query(`DROP FUNCTION intervention_history_append_only()`);
    await q.query(`DROP TABLE interventions`);
    await q.query(`DROP TABLE case_offers`);
    await q.query(`ALTER TABLE sla_policies DROP COLUMN interventions`);
    await q.query(`DROP TABLE intervention_catalogue`);
  }
}
