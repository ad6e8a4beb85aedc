import { describe, expect, it } from '@jest/globals';
import { DEFAULT_VISIT_SCHEDULE, nextDue } from './schedule.js';

describe('visit schedule per target group (defaults)', () => {
  describe('BUMIL: one visit per trimester, monthly in the third, until week 40', () => {
    // LMP 2026-06-01: T1 ends 2026-08-30 (day 90, end of week 13), T2 ends 2026-12-06 (week 27), term 2027-03-08 (week 40).
    const target = { group: 'BUMIL' as const, openedOn: '2026-07-01', lmp: '2026-06-01' };

    it('owes the first trimester visit by the end of week 13', () => {
      expect(nextDue(target, [])).toEqual({ fromOn: '2026-07-01', dueOn: '2026-08-30', label: 'T1' });
    });

    it('after a first-trimester visit, owes the second by the end of week 27', () => {
      expect(nextDue(target, ['2026-08-10'])).toEqual({ fromOn: '2026-08-31', dueOn: '2026-12-06', label: 'T2' });
    });

    it('a missed window stays owed until a later visit: then the schedule moves on', () => {
      expect(nextDue(target, [], DEFAULT_VISIT_SCHEDULE)?.label).toBe('T1'); // overdue after 2026-08-30, still the one due
      expect(nextDue(target, ['2026-09-15'])).toEqual({ fromOn: '2026-12-07', dueOn: '2027-01-05', label: 'T3' }); // T1 missed, T2 done
    });

    it('a pregnancy registered in the second trimester does not owe the first', () => {
      expect(nextDue({ ...target, openedOn: '2026-09-20' }, [])).toEqual({ fromOn: '2026-09-20', dueOn: '2026-12-06', label: 'T2' });
    });

    it('in the third trimester, one visit every 30 days, the last due at term', () => {
      const visits = ['2026-08-10', '2026-10-01'];
      expect(nextDue(target, visits)).toEqual({ fromOn: '2026-12-07', dueOn: '2027-01-05', label: 'T3' });
      expect(nextDue(target, [...visits, '2027-01-02'])).toEqual({ fromOn: '2027-01-03', dueOn: '2027-02-01', label: 'T3' });
      expect(nextDue(target, [...visits, '2027-02-20'])).toEqual({ fromOn: '2027-02-21', dueOn: '2027-03-08', label: 'T3' });
      expect(nextDue(target, [...visits, '2027-03-08'])).toBeNull();
    });
  });

  describe('NIFAS: the KF1-KF4 windows from the delivery', () => {
    const target = { group: 'NIFAS' as const, openedOn: '2026-11-01', deliveredOn: '2026-11-01' };

    it('KF1 by day 2, KF2 days 3-7, KF3 days 8-28, KF4 days 29-42', () => {
      expect(nextDue(target, [])).toEqual({ fromOn: '2026-11-01', dueOn: '2026-11-03', label: 'KF1' });
      expect(nextDue(target, ['2026-11-02'])).toEqual({ fromOn: '2026-11-04', dueOn: '2026-11-08', label: 'KF2' });
      expect(nextDue(target, ['2026-11-02', '2026-11-06'])).toEqual({ fromOn: '2026-11-09', dueOn: '2026-11-29', label: 'KF3' });
      expect(nextDue(target, ['2026-11-02', '2026-11-06', '2026-11-20'])).toEqual({ fromOn: '2026-11-30', dueOn: '2026-12-13', label: 'KF4' });
      expect(nextDue(target, ['2026-11-02', '2026-11-06', '2026-11-20', '2026-12-10'])).toBeNull();
    });

    it('a visit in a later window counts for that window; the earlier one was missed', () => {
      expect(nextDue(target, ['2026-11-06'])?.label).toBe('KF3');
    });

    it('a delivery recorded late owes only the windows still open', () => {
      expect(nextDue({ ...target, openedOn: '2026-11-12' }, [])).toEqual({ fromOn: '2026-11-12', dueOn: '2026-11-29', label: 'KF3' });
    });
  });

  describe('BADUTA: monthly until 24 months', () => {
    const target = { group: 'BADUTA' as const, openedOn: '2026-11-10', birthDate: '2025-06-15' };

    it('30 days after the last visit, or after accompaniment began', () => {
      expect(nextDue(target, [])).toEqual({ fromOn: '2026-11-11', dueOn: '2026-12-10', label: 'MONTHLY' });
      expect(nextDue(target, ['2026-11-20'])).toEqual({ fromOn: '2026-11-21', dueOn: '2026-12-20', label: 'MONTHLY' });
    });

    it('the last visit is due the day before the second birthday; none after', () => {
      expect(nextDue(target, ['2027-05-30'])).toEqual({ fromOn: '2027-05-31', dueOn: '2027-06-14', label: 'MONTHLY' });
      expect(nextDue(target, ['2027-06-15'])).toBeNull();
    });
  });

  describe('CATIN: one visit within 90 days before the marriage', () => {
    const target = { group: 'CATIN' as const, openedOn: '2026-11-01', marriageOn: '2027-03-01', atRisk: false };

    it('IDEAL: one visit in the 90 days before, then none', () => {
      expect(nextDue(target, [])).toEqual({ fromOn: '2026-12-01', dueOn: '2027-03-01', label: 'PRA_NIKAH' });
      expect(nextDue(target, ['2026-11-15'])?.label).toBe('PRA_NIKAH'); // too early to count
      expect(nextDue(target, ['2027-01-10'])).toBeNull();
    });

    it('BERISIKO: monthly until three months after the marriage, one still before it', () => {
      const risky = { ...target, atRisk: true };
      expect(nextDue(risky, [])).toEqual({ fromOn: '2026-11-02', dueOn: '2026-12-01', label: 'PENDAMPINGAN' });
      expect(nextDue(risky, ['2027-02-10'])).toEqual({ fromOn: '2027-02-11', dueOn: '2027-03-12', label: 'PENDAMPINGAN' });
      expect(nextDue(risky, ['2027-05-20'])).toEqual({ fromOn: '2027-05-21', dueOn: '2027-05-30', label: 'PENDAMPINGAN' });
      expect(nextDue(risky, ['2027-05-30'])).toBeNull();
    });

    it('BERISIKO without a premarital visit: the marriage day caps the due date', () => {
      const risky = { ...target, atRisk: true, openedOn: '2027-02-15' };
      expect(nextDue(risky, [])).toEqual({ fromOn: '2027-02-16', dueOn: '2027-03-01', label: 'PRA_NIKAH' });
    });
  });

  it('a regency schedule changes the answer: BADUTA every 14 days', () => {
    const schedule = { ...DEFAULT_VISIT_SCHEDULE, BADUTA: { everyDays: 14, untilMonths: 24 } };
    expect(nextDue({ group: 'BADUTA', openedOn: '2026-11-10', birthDate: '2025-06-15' }, [], schedule)?.dueOn).toBe('2026-11-24');
  });
});
