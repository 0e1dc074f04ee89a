import fc from 'fast-check';
import { compareParsedTimestamps, compareTimestamps, type ParsedTimestamp, parseTimestamp } from '../../../src/stix/time';

/** The RegExp-based parser parseTimestamp replaced (kept here as the reference it must agree with). */
const RFC3339_UTC = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?[Zz]$/;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function referenceParse(text: string): ParsedTimestamp | undefined {
  if (text.length > 40) return undefined;
  const m = RFC3339_UTC.exec(text);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  if (month < 1 || month > 12 || day < 1) return undefined;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const maxDay = month === 2 && !leap ? 28 : (DAYS_IN_MONTH[month - 1] ?? 31);
  if (day > maxDay || hour > 23 || minute > 59 || second > 60) return undefined;
  const at = new Date(0);
  at.setUTCFullYear(year, month - 1, day);
  at.setUTCHours(hour, minute, Math.min(second, 59), 0);
  const secs = at.getTime() / 1000;
  const frac = m[7] ?? '';
  const micros6 = Number((frac + '000000').slice(0, 6));
  const rest = frac.slice(6);
  const extra = second === 60 ? 999999 : micros6;
  return { micros: secs * 1_000_000 + extra, fractionDigits: frac.length, truncated: rest.length > 0 && /[1-9]/.test(rest) };
}

/** Timestamp-shaped text: mostly valid, with characters replaced, inserted or dropped. */
const timestampLike = fc
  .record({
    y: fc.integer({ min: 0, max: 9999 }),
    mo: fc.integer({ min: 0, max: 13 }),
    d: fc.integer({ min: 0, max: 32 }),
    h: fc.integer({ min: 0, max: 25 }),
    mi: fc.integer({ min: 0, max: 60 }),
    s: fc.integer({ min: 0, max: 61 }),
    frac: fc.option(fc.stringMatching(/^[0-9]{0,11}$/), { nil: undefined }),
    t: fc.constantFrom('T', 't', ' ', 'X'),
    z: fc.constantFrom('Z', 'z', '', '+00:00', 'Z\n'),
    edit: fc.option(fc.tuple(fc.nat(40), fc.constantFrom('', '0', '9', '-', ':', '.', '/', 'a', '٣', '\n')), { nil: undefined }),
  })
  .map((r) => {
    const p = (n: number, w: number): string => String(n).padStart(w, '0');
    let text = `${p(r.y, 4)}-${p(r.mo, 2)}-${p(r.d, 2)}${r.t}${p(r.h, 2)}:${p(r.mi, 2)}:${p(r.s, 2)}${r.frac === undefined ? '' : `.${r.frac}`}${r.z}`;
    if (r.edit !== undefined) {
      const [at, ch] = r.edit;
      const i = at % (text.length + 1);
      text = at % 2 === 0 ? text.slice(0, i) + ch + text.slice(i + 1) : text.slice(0, i) + ch + text.slice(i);
    }
    return text;
  });

describe('parseTimestamp', () => {
  it('when given timestamp-like text, then it agrees with the RFC 3339 RegExp it replaced', () => {
    fc.assert(
      fc.property(timestampLike, (text) => {
        expect(parseTimestamp(text)).toEqual(referenceParse(text));
      }),
      { numRuns: 20000 },
    );
  });

  it('when given arbitrary text, then it agrees with the RegExp it replaced', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 45 }), (text) => expect(parseTimestamp(text)).toEqual(referenceParse(text))),
      { numRuns: 5000 },
    );
  });

  it.each([
    '2024-01-01T00:00:00Z',
    '2024-01-01t00:00:00z',
    '2024-02-29T23:59:59.123456789Z',
    '2023-02-29T00:00:00Z',
    '2016-12-31T23:59:60Z',
    '2016-12-31T23:59:60.5Z',
    '0050-01-01T00:00:00Z',
    '2024-01-01T00:00:00.Z',
    '2024-01-01T00:00:00.1234567890Z',
    '2024-01-01T00:00:00.000000001Z',
    '2024-01-01T00:00:00.000000000Z',
    '2024-01-01T00:00:00',
    '2024-01-01T00:00:00+00:00',
  ])('when given %s, then it agrees with the RegExp it replaced', (text) => {
    expect(parseTimestamp(text)).toEqual(referenceParse(text));
  });
});

describe('compareParsedTimestamps', () => {
  it('when given two parsed timestamps, then it orders them as compareTimestamps does', () => {
    const valid = timestampLike.filter((t) => parseTimestamp(t) !== undefined);
    fc.assert(
      fc.property(valid, valid, (a, b) => {
        const pa = parseTimestamp(a);
        const pb = parseTimestamp(b);
        if (pa === undefined || pb === undefined) return;
        expect(Math.sign(compareParsedTimestamps(a, pa, b, pb))).toBe(Math.sign(compareTimestamps(a, b)));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('parseTimestamp of the first century', () => {
  it('when the year is below 100, then it is that year, not 19xx', () => {
    const t = parseTimestamp('0050-06-01T12:00:00Z');
    expect(t?.micros).toBe(Date.parse('0050-06-01T12:00:00Z') * 1000);
    expect(parseTimestamp('0004-02-29T00:00:00Z')?.micros).toBe(Date.parse('0004-02-29T00:00:00Z') * 1000);
    expect(compareTimestamps('0099-12-31T23:59:59Z', '1999-01-01T00:00:00Z')).toBeLessThan(0);
  });
});

describe('parseTimestamp across the calendar', () => {
  it('when given the days around every year and leap-day boundary from 0000 to 9999, then it agrees with Date', () => {
    const days = ['01-01', '02-28', '02-29', '03-01', '12-31'];
    const disagreements: string[] = [];
    for (let year = 0; year <= 9999; year++) {
      for (const day of days) {
        const text = `${String(year).padStart(4, '0')}-${day}T23:59:59.5Z`;
        if (parseTimestamp(text)?.micros !== referenceParse(text)?.micros) disagreements.push(text);
      }
    }
    expect(disagreements).toEqual([]);
  });
});
