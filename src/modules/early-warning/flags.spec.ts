import { describe, expect, it } from '@jest/globals';
import type { ChildTrends } from '../growth/measurements.service.js';
import type { FlagRow } from './flags.repository.js';
import { replayFlags } from './flags.js';

const child = (from: string, readings: ChildTrends['readings']): ChildTrends => ({ subjectId: 's', regencyCode: '3216', villageCode: '3216062005', from, fresh: false, readings });
const flag = (id: string, kind: FlagRow['kind'], raisedBy: string, raisedOn: string, clearedBy: string | null = null, clearedOn: string | null = null): FlagRow => ({
  id, regencyCode: '3216', villageCode: '3216062005', subjectId: 's', kind, raisedBy, raisedOn, clearedBy, clearedOn,
});
let n = 0;
const next = () => `new${++n}`;

describe('replayFlags', () => {
  it('raises a flag with the reading that warns and clears it with the one that ends it', () => {
    const out = replayFlags(child('2026-10-10', [
      { id: 'm3', day: '2026-10-10', trend: '2T', warnings: ['2T'], ends: [] },
      { id: 'm4', day: '2026-11-10', trend: 'N', warnings: [], ends: ['2T', 'faltering'] },
    ]), [], next);
    expect(out.inserted).toEqual([expect.objectContaining({ kind: '2T', raisedBy: 'm3', raisedOn: '2026-10-10', clearedBy: 'm4', clearedOn: '2026-11-10' })]);
  });

  it('a flag open before the batch stays open until a reading ends it; a warning of an open kind raises nothing new', () => {
    const open = flag('f1', 'BGM', 'm1', '2026-08-10');
    const out = replayFlags(child('2026-10-10', [{ id: 'm3', day: '2026-10-10', trend: 'N', warnings: ['BGM'], ends: [] }]), [open], next);
    expect(out).toEqual({ inserted: [], cleared: [], reopened: [], deleted: [] });
  });

  it('a late reading moves what comes after it: a flag raised after it and no longer warned of is deleted, one cleared after it may open again', () => {
    const raisedLater = flag('f2', '2T', 'm3', '2026-10-10');
    const clearedLater = flag('f1', 'BGM', 'm1', '2026-08-10', 'm3', '2026-10-10');
    const out = replayFlags(child('2026-09-02', [
      { id: 'late', day: '2026-09-02', trend: 'N', warnings: ['BGM'], ends: [] },
      { id: 'm3', day: '2026-10-10', trend: 'T', warnings: ['BGM'], ends: [] },
    ]), [clearedLater, raisedLater], next);
    expect(out.deleted).toEqual(['f2']);
    expect(out.reopened).toEqual([expect.objectContaining({ id: 'f1', clearedBy: null })]);
    expect(out.inserted).toEqual([]);
  });

  it('a flag raised again by the same reading is kept, not raised anew', () => {
    const same = flag('f2', '2T', 'm3', '2026-10-10');
    const out = replayFlags(child('2026-10-10', [{ id: 'm3', day: '2026-10-10', trend: '2T', warnings: ['2T'], ends: [] }]), [same], next);
    expect(out).toEqual({ inserted: [], cleared: [], reopened: [], deleted: [] });
  });
});
