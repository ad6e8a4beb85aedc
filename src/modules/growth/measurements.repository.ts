import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, Repository } from 'typeorm';
import { MeasurementEntity } from './measurement.entity.js';

/** The only door to the measurements table. */
@Injectable()
export class MeasurementsRepository {
  constructor(@InjectRepository(MeasurementEntity) private readonly repo: Repository<MeasurementEntity>) {}

  /** Inserts unless the same reading is stored already; false then (re-imports add nothing). */
  async insert(em: EntityManager, m: MeasurementEntity): Promise<boolean> {
    const result = await em.createQueryBuilder().insert().into(MeasurementEntity).values(m).orIgnore().returning(['id']).execute();
    return result.raw.length === 1;
  }

  async setCase(em: EntityManager, id: string, caseId: string): Promise<void> {
    await em.getRepository(MeasurementEntity).update({ id }, { caseId });
  }

  /** The tallest adjusted length/height of the 60 days before `on`, for the drop check. */
  async maxLengthBefore(em: EntityManager, subjectId: string, on: string): Promise<number | null> {
    const rows: { max: number | null }[] = await em.query(
      `SELECT max(length_height_cm) AS max FROM measurements
        WHERE subject_id = $1 AND measured_on < $2::date AND measured_on >= $2::date - 60 AND NOT needs_remeasurement`,
      [subjectId, on],
    );
    return rows[0]?.max ?? null;
  }

  series(subjectId: string, em: EntityManager = this.repo.manager): Promise<MeasurementEntity[]> {
    return em.getRepository(MeasurementEntity).find({ where: { subjectId }, order: { measuredOn: 'ASC', createdAt: 'ASC' } });
  }

  /** Plausible height-for-age z-scores, oldest first. */
  async plausibleHaz(em: EntityManager, subjectId: string): Promise<{ measuredOn: string; haz: number }[]> {
    return em.query(
      `SELECT measured_on::text AS "measuredOn", haz FROM measurements
        WHERE subject_id = $1 AND haz IS NOT NULL AND NOT needs_remeasurement ORDER BY measured_on, created_at`,
      [subjectId],
    );
  }
}
