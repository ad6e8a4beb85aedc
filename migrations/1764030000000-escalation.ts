import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * OPD tasks as persisted lifecycles, one deadline row per open step of any lifecycle, the
 * escalations fired on them, the notification outbox and the webhooks it delivers to.
 */
export class Escalation1764030000000 implements MigrationInterface {
  name = 'Escalation1764030000000';

  async up(q: QueryRunner): Promise<void> {
    // The rest of a regency's SLA policy; null keeps the defaults.
    await q.query(`ALTER TABLE sla_policies ADD COLUMN tasks jsonb, ADD COLUMN ladder jsonb, ADD COLUMN holidays jsonb, ADD COLUMN contacts jsonb`);
    await q.query(`ALTER TABLE users ADD COLUMN email text CONSTRAINT ck_users_email CHECK (email ~ '^[^@\\s]+@[^@\\s]+$')`);

    await q.query(`
      CREATE TABLE tasks (
        id uuid PRIMARY KEY,
        regency_code text NOT NULL CONSTRAINT ck_tasks_regency_code CHECK (regency_code ~ '^[0-9]{4}$'),
        case_id uuid NOT NULL CONSTRAINT fk_tasks_case REFERENCES cases (id),
        opd_id uuid NOT NULL CONSTRAINT fk_tasks_opd REFERENCES opds (id),
        action text NOT NULL,
        state text NOT NULL CONSTRAINT ck_tasks_state
          CHECK (state IN ('assigned', 'acknowledged', 'in_progress', 'done', 'verified', 'declined', 'closed', 'cancelled')),
        machine_version integer NOT NULL,
        snapshot jsonb NOT NULL,
        version integer NOT NULL CONSTRAINT ck_tasks_version CHECK (version >= 1),
        ack_due_at timestamptz NOT NULL,
        due_at timestamptz NOT NULL,
        step_due_at timestamptz,
        replaces_task_id uuid CONSTRAINT fk_tasks_replaces REFERENCES tasks (id),
        created_by uuid NOT NULL CONSTRAINT fk_tasks_created_by REFERENCES users (id),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT ck_tasks_due_when_open CHECK ((state IN ('verified', 'closed', 'cancelled')) = (step_due_at IS NULL))
      )`);
    // The OPD inbox: an agency's tasks by state and deadline.
    await q.query(`CREATE INDEX ix_tasks_inbox ON tasks (regency_code, opd_id, step_due_at, id)`);
    await q.query(`CREATE INDEX ix_tasks_case ON tasks (case_id)`);

    await q.query(`
      CREATE TABLE task_history (
        task_id uuid NOT NULL CONSTRAINT fk_task_history_task REFERENCES tasks (id),
        seq integer NOT NULL CONSTRAINT ck_task_history_seq CHECK (seq >= 1),
        regency_code text NOT NULL,
        type text NOT NULL,
        from_state text,
        to_state text NOT NULL,
        payload jsonb NOT NULL,
        actor_id uuid CONSTRAINT fk_task_history_actor REFERENCES users (id),
        actor_role text,
        machine_version integer NOT NULL,
        at timestamptz NOT NULL,
        CONSTRAINT pk_task_history PRIMARY KEY (task_id, seq)
      )`);
    await q.query(`
      CREATE FUNCTION task_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'task_history is append-only' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER tr_task_history_append_only BEFORE UPDATE OR DELETE ON task_history
        FOR EACH ROW EXECUTE FUNCTION task_history_append_only()`);
    await q.query(`
      CREATE TRIGGER tr_task_history_no_truncate BEFORE TRUNCATE ON task_history
        FOR EACH STATEMENT EXECUTE FUNCTION task_history_append_only()`);

    // One row per open step of any lifecycle, written and removed with the transition that
    // enters or leaves the step. No foreign key to the aggregate: it serves cases, tasks and
    // interventions alike.
    await q.query(`
      CREATE TABLE step_deadlines (
        aggregate_type text NOT NULL CONSTRAINT ck_step_deadlines_type CHECK (aggregate_type IN ('case', 'task', 'intervention')),
        aggregate_id uuid NOT NULL,
        regency_code text NOT NULL,
        village_code text,
        opd_id uuid,
        step text NOT NULL,
        step_seq integer NOT NULL,
        entered_at timestamptz NOT NULL,
        due_at timestamptz NOT NULL,
        last_level integer NOT NULL DEFAULT 0,
        next_rung integer,
        next_rung_at timestamptz,
        CONSTRAINT pk_step_deadlines PRIMARY KEY (aggregate_type, aggregate_id),
        CONSTRAINT ck_step_deadlines_rung CHECK ((next_rung IS NULL) = (next_rung_at IS NULL))
      )`);
    // The sweep's probe: only steps with a rung still to fire are in it, so it reads due rows
    // and nothing else, however many steps are open.
    await q.query(`CREATE INDEX ix_step_deadlines_next_rung ON step_deadlines (next_rung_at) WHERE next_rung_at IS NOT NULL`);
    // Overdue reports: a regency's steps by deadline.
    await q.query(`CREATE INDEX ix_step_deadlines_overdue ON step_deadlines (regency_code, due_at)`);

    await q.query(`
      CREATE TABLE escalations (
        id uuid PRIMARY KEY,
        regency_code text NOT NULL,
        aggregate_type text NOT NULL,
        aggregate_id uuid NOT NULL,
        case_id uuid,
        opd_id uuid,
        step text NOT NULL,
        step_seq integer NOT NULL,
        level integer NOT NULL CONSTRAINT ck_escalations_level CHECK (level >= 1),
        due_at timestamptz NOT NULL,
        scheduled_at timestamptz NOT NULL,
        fired_at timestamptz NOT NULL,
        recipients jsonb NOT NULL,
        -- A rung of a step fires once: a second sweep that gets here too adds nothing.
        CONSTRAINT ux_escalations_rung UNIQUE (aggregate_type, aggregate_id, step_seq, level)
      )`);
    await q.query(`CREATE INDEX ix_escalations_regency ON escalations (regency_code, fired_at)`);
    await q.query(`CREATE INDEX ix_escalations_case ON escalations (case_id) WHERE case_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE webhooks (
        id uuid PRIMARY KEY,
        regency_code text NOT NULL CONSTRAINT ck_webhooks_regency_code CHECK (regency_code ~ '^[0-9]{4}$'),
        opd_id uuid CONSTRAINT fk_webhooks_opd REFERENCES opds (id),
        url text NOT NULL,
        secret_enc bytea NOT NULL,
        active boolean NOT NULL,
        created_by uuid NOT NULL CONSTRAINT fk_webhooks_created_by REFERENCES users (id),
        created_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX ix_webhooks_regency ON webhooks (regency_code) WHERE active`);

    // The outbox: written in the transaction of what it reports; its id is the delivery id.
    await q.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY,
        regency_code text NOT NULL,
        escalation_id uuid CONSTRAINT fk_notifications_escalation REFERENCES escalations (id),
        channel text NOT NULL CONSTRAINT ck_notifications_channel CHECK (channel IN ('inbox', 'webhook', 'email')),
        recipient_user_id uuid CONSTRAINT fk_notifications_recipient REFERENCES users (id),
        webhook_id uuid CONSTRAINT fk_notifications_webhook REFERENCES webhooks (id),
        address text,
        kind text NOT NULL,
        title text NOT NULL,
        body jsonb NOT NULL,
        status text NOT NULL CONSTRAINT ck_notifications_status CHECK (status IN ('pending', 'sent', 'dead')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz,
        last_error text,
        created_at timestamptz NOT NULL,
        sent_at timestamptz,
        read_at timestamptz,
        CONSTRAINT ck_notifications_pending CHECK ((status = 'pending') = (next_attempt_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX ix_notifications_due ON notifications (next_attempt_at) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX ix_notifications_inbox ON notifications (recipient_user_id, created_at) WHERE channel = 'inbox'`);
    await q.query(`CREATE INDEX ix_notifications_regency ON notifications (regency_code, status, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notifications`);
    await q.query(`DROP TABLE webhooks`);
    await q.query(`DROP TABLE escalations`);
    await q.query(`DROP TABLE step_deadlines`);
    await q.query(`DROP TABLE task_history`);
    await q.query(`DROP FUNCTION task_history_append_only()`);
    await q.query(`DROP TABLE tasks`);
    await q.query(`ALTER TABLE users DROP COLUMN email`);
    await q.query(`ALTER TABLE sla_policies DROP COLUMN tasks, DROP COLUMN ladder, DROP COLUMN holidays, DROP COLUMN contacts`);
  }
}
