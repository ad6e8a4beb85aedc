import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** One count of the watch: what (`kind`), of which village, split by `key` (a case state, a step's aggregate). */
export interface WatchCount {
  kind: 'open_case' | 'overdue_step' | 'step_due_today' | 'pregnant_due' | 'catin_at_risk' | 'visit_due_this_week' | 'visit_overdue';
  villageCode: string;
  key: string | null;
  n: number;
}

export interface WatchWindow {
  /** The watched day (YYYY-MM-DD, local). */
  day: string;
  /** The instants the day begins and ends in the regency's zone. */
  dayStart: Date;
  dayEnd: Date;
  /** The last day of the day's week (Sunday). */
  weekEnd: string;
  /** A pregnancy counts when its expected delivery is at most this many days after the day. */
  pregnancyDueWithinDays: number;
}

/**
 * The daily lokus watch's read model: counts for a regency's lokus villages on a day, read across
 * the cases, workflow, families, visits and screening tables (read, never written, here). Every
 * part is a range scan of a (regency_code, village_code, …) or (regency_code, date) index; see
 * docs/lokus.md for the plans.
 */
@Injectable()
export class LokusWatchRepository {
  constructor(private readonly ds: DataSource) {}

  /** Every count of the lokus villages `villageCodes` of the regency on the window's day, in one round trip. */
  counts(regencyCode: string, villageCodes: string[], w: WatchWindow): Promise<WatchCount[]> {
    // A TPK accompaniment's step is its due visit: counted as a visit (due this week, overdue), not again as a step.
    // $1 regency, $2 the lokus villages, $3 the day, $4/$5 the day's start and end, $6 the week's last day, $7 the pregnancy window.
    return this.ds.query(
      `SELECT 'open_case' AS kind, village_code AS "villageCode", state AS key, count(*)::int AS n
         FROM cases
        WHERE regency_code = $1 AND village_code = ANY($2::text[]) AND state NOT IN ('resolved', 'closed')
        GROUP BY village_code, state
       UNION ALL
       SELECT CASE WHEN due_at < $4 THEN 'overdue_step' ELSE 'step_due_today' END, village_code, aggregate_type, count(*)::int
         FROM step_deadlines
        WHERE regency_code = $1 AND village_code = ANY($2::text[]) AND due_at < $5 AND aggregate_type IN ('case', 'task', 'intervention')
        GROUP BY 1, village_code, aggregate_type
       UNION ALL
       -- Pregnant on the day (recorded by then, not yet delivered, at most 40 completed weeks, as
       -- families/krs.ts gestationalWeeksOn counts) and due (LMP + 280 days) within $7 days: an LMP
       -- from day - 286 to day - (280 - $7).
       SELECT 'pregnant_due', f.village_code, NULL, count(*)::int
         FROM family_members m JOIN families f ON f.id = m.family_id
        WHERE m.regency_code = $1 AND m.gest_weeks IS NOT NULL
          AND (m.gest_recorded_on - 7 * m.gest_weeks) BETWEEN $3::date - 286 AND $3::date - (280 - $7::int)
          AND m.gest_recorded_on <= $3::date AND (m.delivered_on IS NULL OR m.delivered_on > $3::date)
          AND f.village_code = ANY($2::text[])
        GROUP BY f.village_code
       UNION ALL
       -- A bride-to-be not yet married whose latest screening by the day found her at risk.
       SELECT 'catin_at_risk', s.village_code, NULL, count(*)::int
         FROM catin_screenings c JOIN subjects s ON s.id = c.subject_id
        WHERE c.regency_code = $1 AND c.result = 'BERISIKO' AND c.planned_marriage_date >= $3::date AND c.screened_on <= $3::date
          AND s.village_code = ANY($2::text[]) AND s.target_group = 'CATIN' AND s.restricted_at IS NULL AND s.anonymised_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM catin_screenings l
                           WHERE l.subject_id = c.subject_id AND l.screened_on <= $3::date AND (l.screened_on, l.created_at, l.id) > (c.screened_on, c.created_at, c.id))
        GROUP BY s.village_code
       UNION ALL
       SELECT CASE WHEN due_on < $3::date THEN 'visit_overdue' ELSE 'visit_due_this_week' END, village_code, NULL, count(*)::int
         FROM accompaniments
        WHERE regency_code = $1 AND village_code = ANY($2::text[]) AND state = 'open' AND due_on <= $6::date
        GROUP BY 1, village_code`,
      [regencyCode, villageCodes, w.day, w.dayStart, w.dayEnd, w.weekEnd, w.pregnancyDueWithinDays],
    );
  }
}
