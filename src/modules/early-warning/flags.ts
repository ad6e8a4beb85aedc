import type { ChildTrends } from '../growth/measurements.service.js';
import type { Warning } from '../growth/kms/trends.js';
import type { FlagRow } from './flags.repository.js';

export interface FlagChanges {
  inserted: FlagRow[];
  cleared: FlagRow[];
  reopened: FlagRow[];
  deleted: string[];
}

/**
 * A child's flags replayed over its re-scored readings (pure). Flags raised before `from` and
 * still open there stay open; those raised from `from` on are raised again by the same reading
 * (kept) or not at all (deleted). A reading first ends what it ends, then raises what it warns of
 * that is not open already.
 */
export function replayFlags(child: ChildTrends, existing: FlagRow[], newId: () => string): FlagChanges {
  const open = new Map<Warning, FlagRow>();
  const again = new Map<string, FlagRow>();
  const before = new Map(existing.map((f) => [f.id, f.clearedBy]));
  for (const f of existing) {
    if (f.raisedOn < child.from) {
      f.clearedBy = null;
      f.clearedOn = null;
      open.set(f.kind, f);
    } else again.set(`${f.kind}|${f.raisedBy}`, f);
  }
  const inserted: FlagRow[] = [];
  for (const r of child.readings) {
    for (const k of r.ends) {
      const f = open.get(k);
      if (!f) continue;
      f.clearedBy = r.id;
      f.clearedOn = r.day;
      open.delete(k);
    }
    for (const k of r.warnings) {
      if (open.has(k)) continue;
      let f = again.get(`${k}|${r.id}`);
      if (f) {
        again.delete(`${k}|${r.id}`);
        f.clearedBy = null;
        f.clearedOn = null;
      } else {
        f = { id: newId(), regencyCode: child.regencyCode, villageCode: child.villageCode, subjectId: child.subjectId, kind: k, raisedBy: r.id, raisedOn: r.day, clearedBy: null, clearedOn: null };
        inserted.push(f);
      }
      open.set(k, f);
    }
  }
  const deleted = [...again.values()].map((f) => f.id);
  const gone = new Set(deleted);
  const changed = existing.filter((f) => !gone.has(f.id) && before.get(f.id) !== f.clearedBy);
  return { inserted, deleted, cleared: changed.filter((f) => f.clearedBy !== null), reopened: changed.filter((f) => f.clearedBy === null) };
}
