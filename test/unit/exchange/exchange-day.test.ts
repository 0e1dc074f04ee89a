import { dayOf, lastWeeks, weekOf, weeksCovering } from '../../../src/exchange/exchange-day';

const at = (iso: string): number => Date.parse(iso);

describe('exchange weeks', () => {
  test('when a time falls on any day of a week, then its week is named by that week’s Monday (UTC)', () => {
    // 2026-12-07 is a Monday.
    expect(weekOf(at('2026-12-07T00:00:00Z'))).toBe('20261207');
    expect(weekOf(at('2026-12-09T12:00:00Z'))).toBe('20261207');
    expect(weekOf(at('2026-12-13T23:59:59.999Z'))).toBe('20261207');
    expect(weekOf(at('2026-12-14T00:00:00Z'))).toBe('20261214');
    // Across a year boundary, and before the epoch's Thursday.
    expect(weekOf(at('2027-01-01T08:00:00Z'))).toBe('20261228');
    expect(weekOf(at('1970-01-01T00:00:00Z'))).toBe('19691229');
  });

  test('when the last n weeks are asked, then they are consecutive Mondays ending with the current week', () => {
    const weeks = lastWeeks(3, at('2026-12-09T10:00:00Z'));
    expect(weeks).toEqual(['20261123', '20261130', '20261207']);
  });

  test('when 365 days are asked, then the weeks cover every one of those days and start at most 6 days earlier', () => {
    for (const now of ['2026-12-07T10:00:00Z', '2026-12-10T10:00:00Z', '2026-12-13T23:00:00Z']) {
      const nowMs = at(now);
      const weeks = weeksCovering(365, nowMs);
      const firstDay = dayOf(nowMs - 364 * 86_400_000);
      const from = weeks[0] ?? '';
      expect(from <= firstDay).toBe(true);
      expect(
        Date.parse(`${firstDay.slice(0, 4)}-${firstDay.slice(4, 6)}-${firstDay.slice(6)}T00:00:00Z`) -
          at(`${from.slice(0, 4)}-${from.slice(4, 6)}-${from.slice(6)}T00:00:00Z`),
      ).toBeLessThan(7 * 86_400_000);
      expect(weeks[weeks.length - 1]).toBe(weekOf(nowMs));
    }
  });
});
