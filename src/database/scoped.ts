import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/** `SELECT … FOR UPDATE` of one row by id, within a regency scope (null: any regency). */
export function lockInScope<T extends ObjectLiteral>(
  em: EntityManager,
  entity: EntityTarget<T>,
  id: string,
  regencyCode: string | null,
): Promise<T | null> {
  const qb = em.getRepository(entity).createQueryBuilder('row').setLock('pessimistic_write').where('row.id = :id', { id });
  if (regencyCode !== null) qb.andWhere('row.regency_code = :regencyCode', { regencyCode });
  return qb.getOne();
}
