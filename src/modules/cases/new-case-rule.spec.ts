import { describe, expect, it } from '@jest/globals';
import { whyNoNewCase, type ChildRecord } from './new-case-rule.js';

const outcome = { minHaz: -2, minImprovement: 0.5 };
const rule = { relapseHazDrop: 0.5, reauditAfterDays: 180 };
const resolvedByImprovement: ChildRecord = {
  latestReadingDay: '2026-06-10',
  lastFinished: { state: 'resolved', finishedDay: '2026-06-12', resolvedHaz: -2.3 },
};

describe('whyNoNewCase', () => {
  it('opens a case for a child with no history', () => {
    expect(whyNoNewCase({ day: '2026-07-01', haz: -2.5 }, { latestReadingDay: null, lastFinished: null }, outcome, rule)).toBeNull();
  });

  it('never opens a case from a reading older than the latest stored one (a KMS book typed in late)', () => {
    expect(whyNoNewCase({ day: '2026-03-01', haz: -3.1 }, { latestReadingDay: '2026-05-01', lastFinished: null }, outcome, rule)).toMatch(
      /before the child's latest reading \(2026-05-01\)/,
    );
  });

  it('takes a reading of the same day as the latest one', () => {
    expect(whyNoNewCase({ day: '2026-05-01', haz: -3.1 }, { latestReadingDay: '2026-05-01', lastFinished: null }, outcome, rule)).toBeNull();
  });

  it('never opens a case from a reading dated on or before the day the last case ended', () => {
    const child: ChildRecord = { latestReadingDay: null, lastFinished: { state: 'closed', finishedDay: '2026-06-12', resolvedHaz: null } };
    expect(whyNoNewCase({ day: '2026-06-12', haz: -2.5 }, child, outcome, rule)).toMatch(/on or before the day/);
    expect(whyNoNewCase({ day: '2026-06-13', haz: -2.5 }, child, outcome, rule)).toBeNull();
  });

  it('does not reopen a child resolved under the improvement rule at a routine weighing', () => {
    expect(whyNoNewCase({ day: '2026-07-10', haz: -2.4 }, resolvedByImprovement, outcome, rule)).toMatch(
      /resolved on 2026-06-12 with HAZ -2.3 .* falls to -2.8 or below, or from 2026-12-09/,
    );
  });

  it('reopens on a relapse of the configured drop', () => {
    expect(whyNoNewCase({ day: '2026-07-10', haz: -2.8 }, resolvedByImprovement, outcome, rule)).toBeNull();
    expect(whyNoNewCase({ day: '2026-07-10', haz: -2.7 }, resolvedByImprovement, outcome, { ...rule, relapseHazDrop: 0.3 })).toBeNull();
  });

  it('reopens a child still stunted once the re-audit time has passed', () => {
    expect(whyNoNewCase({ day: '2026-12-08', haz: -2.4 }, resolvedByImprovement, outcome, rule)).not.toBeNull();
    expect(whyNoNewCase({ day: '2026-12-09', haz: -2.4 }, resolvedByImprovement, outcome, rule)).toBeNull();
  });

  it('reopens at once a child that was resolved above the policy HAZ and is stunted again', () => {
    const child: ChildRecord = { latestReadingDay: '2026-06-10', lastFinished: { state: 'resolved', finishedDay: '2026-06-12', resolvedHaz: -1.6 } };
    expect(whyNoNewCase({ day: '2026-07-10', haz: -2.1 }, child, outcome, rule)).toBeNull();
  });
});
