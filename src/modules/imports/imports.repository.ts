import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ImportEntity, type Rejection } from './import.entity.js';

/** The only door to imports and import_rejections. */
@Injectable()
export class ImportsRepository {
  constructor(@InjectRepository(ImportEntity) private readonly repo: Repository<ImportEntity>) {}

  async insert(row: ImportEntity): Promise<void> {
    await this.repo.insert(row);
  }

  findInScope(id: string, regencyCode: string | null): Promise<ImportEntity | null> {
    return this.repo.findOneBy(regencyCode === null ? { id } : { id, regencyCode });
  }

  /** Saves progress and appends rejections, together. */
  async progress(row: ImportEntity, rejections: Rejection[]): Promise<void> {
    await this.repo.manager.transaction(async (em) => {
      await em.query(
        `UPDATE imports SET status = $2, rows_read = $3, rows_taken = $4, rows_duplicate = $5, rows_rejected = $6, cases_opened = $7,
                cases_remeasured = $8, error = $9, finished_at = $10, format = $11, rejections_omitted = $12
          WHERE id = $1`,
        [row.id, row.status, row.rowsRead, row.rowsTaken, row.rowsDuplicate, row.rowsRejected, row.casesOpened, row.casesRemeasured,
          row.error, row.finishedAt, row.format, row.rejectionsOmitted],
      );
      if (rejections.length) {
        await em.query(
          `INSERT INTO import_rejections (import_id, row_number, field, reason)
           SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[])`,
          [row.id, rejections.map((r) => r.row), rejections.map((r) => r.field), rejections.map((r) => r.reason)],
        );
      }
    });
  }

  /** Newest first, by (created_at, id) below the cursor; served by ix_imports_regency_created. */
  list(f: { regencyCode: string | null; after?: [string, string]; limit: number }): Promise<ImportEntity[]> {
    const qb = this.repo.createQueryBuilder('i');
    if (f.regencyCode !== null) qb.andWhere('i.regency_code = :regencyCode', { regencyCode: f.regencyCode });
    if (f.after) qb.andWhere('(i.created_at, i.id) < (:at::timestamptz, :id::uuid)', { at: f.after[0], id: f.after[1] });
    return qb.orderBy('i.created_at', 'DESC').addOrderBy('i.id', 'DESC').limit(f.limit + 1).getMany();
  }

  rejections(id: string, limit: number): Promise<Rejection[]> {
    return this.repo.query(
      `SELECT row_number AS row, field, reason FROM import_rejections WHERE import_id = $1 ORDER BY row_number, field LIMIT $2`,
      [id, limit],
    );
  }
}
