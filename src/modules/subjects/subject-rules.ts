import type { FieldProblem } from '../../common/errors/domain-error.js';
import type { TargetGroup } from './subject.entity.js';

/** The purposes the PII cipher keys its hashes by: a NIK's hash never matches a KK's. */
export const NIK = 'nik';
export const KK = 'family_card';
export const MOTHER_NIK = 'mother_nik';

/** Children's upper age and the lower age of the adult target groups, in completed months. */
export const AGE_LIMITS: Record<TargetGroup, { minMonths?: number; maxMonths?: number; sex?: 'F' }> = {
  BADUTA: { maxMonths: 24 },
  BALITA: { maxMonths: 60 },
  IBU_HAMIL: { minMonths: 10 * 12, sex: 'F' },
  IBU_NIFAS: { minMonths: 10 * 12, sex: 'F' },
  CATIN: { minMonths: 10 * 12 },
};

/** What is wrong with a person of this group, sex and birth date on `today` (a calendar day), or nothing. */
export function personProblems(targetGroup: TargetGroup, sex: string, birthDate: string, today: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (birthDate > today) problems.push({ field: 'birthDate', reason: 'is in the future' });
  else if (birthDate < '1900-01-01') problems.push({ field: 'birthDate', reason: 'is before 1900' });
  const limits = AGE_LIMITS[targetGroup];
  const months = completedMonths(birthDate, today);
  if (limits.maxMonths !== undefined && months >= limits.maxMonths) {
    problems.push({ field: 'birthDate', reason: `a ${targetGroup} subject must be under ${limits.maxMonths} months old` });
  }
  if (limits.minMonths !== undefined && months < limits.minMonths) {
    problems.push({ field: 'birthDate', reason: `a ${targetGroup} subject must be at least ${limits.minMonths / 12} years old` });
  }
  if (limits.sex && sex !== limits.sex) problems.push({ field: 'sex', reason: `a ${targetGroup} subject must be F` });
  return problems;
}

export function completedMonths(from: string, to: string): number {
  const [fy, fm, fd] = from.split('-').map(Number);
  const [ty, tm, td] = to.split('-').map(Number);
  return (ty - fy) * 12 + (tm - fm) - (td < fd ? 1 : 0);
}

/** The target groups, for modules that may not import the entity. */
export { TARGET_GROUPS, type TargetGroup } from './subject.entity.js';
