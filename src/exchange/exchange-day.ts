/**
 * The shapes shared by the exchange counters' writer and reader: UTC day names, the field names of the day
 * hashes, and the time-to-first-pull buckets.
 *
 * Every count is kept per collection, per UTC day, and per TLP rank (0 clear .. 4 red) of the object counted, so a
 * reader capped at AMBER is shown only the sums of ranks 0..2: a count never reveals an object above a clearance.
 */

/** How long a day's counters are kept (a little more than the longest chart, 365 days). */
export const RETENTION_DAYS = 400;
export const DAY_MS = 86_400_000;

/** The last day named by dayOf: it runs for every served and stored record, and they nearly all share a day. */
let lastDay: { number: number; name: string } = { number: Number.NaN, name: '' };

/** `YYYYMMDD` of a time (ms since the epoch), in UTC. */
export function dayOf(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  if (day !== lastDay.number) lastDay = { number: day, name: new Date(day * DAY_MS).toISOString().slice(0, 10).replace(/-/g, '') };
  return lastDay.name;
}

/** The `n` UTC days ending with the day of `nowMs`, oldest first. */
export function lastDays(n: number, nowMs: number): string[] {
  const out: string[] = [];
  for (let i = n - 1; i >= 0; i--) out.push(dayOf(nowMs - i * DAY_MS));
  return out;
}

/** `YYYYMMDD` of the Monday (UTC) starting the week of a time: the name of its week hash. */
export function weekOf(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  // 1970-01-01 (day 0) was a Thursday: (day + 3) mod 7 is the number of days since Monday.
  return dayOf((day - ((((day + 3) % 7) + 7) % 7)) * DAY_MS);
}

/** The `n` UTC weeks (their Mondays, `YYYYMMDD`) ending with the week of `nowMs`, oldest first. */
export function lastWeeks(n: number, nowMs: number): string[] {
  const monday = Date.parse(`${isoDay(weekOf(nowMs))}T00:00:00Z`);
  const out: string[] = [];
  for (let i = n - 1; i >= 0; i--) out.push(dayOf(monday - i * 7 * DAY_MS));
  return out;
}

/** Periods longer than this are summed by week (the current week and the ones before it). */
export const DAILY_UP_TO_DAYS = 31;

/** The weeks that cover the last `days` days (today included): the current one and enough before it. */
export function weeksCovering(days: number, nowMs: number): string[] {
  return lastWeeks(Math.ceil((Math.max(1, days) - 1) / 7) + 1, nowMs);
}

/** `YYYY-MM-DD` of a `YYYYMMDD` day. */
export function isoDay(day: string): string {
  return `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}`;
}

/**
 * Field names. Totals (the day hash, read by the charts): shared, duplicates, folded, served and first pulls per
 * rank, refusals per writer, ingest lag. Details (the detail hash): types, refusal codes, time-to-first-pull
 * buckets, overlap, inquiries. Principal names and types never contain `|`.
 */
export const Field = {
  shared: (rank: number) => `s|${rank}`,
  duplicate: (rank: number) => `u|${rank}`,
  folded: (rank: number) => `f|${rank}`,
  refused: (writer: string) => `r|${writer}`,
  served: (reader: string, rank: number) => `p|${reader}|${rank}`,
  firstPull: (reader: string, rank: number) => `q|${reader}|${rank}`,
  lagSum: 'lag|sum',
  lagCount: 'lag|n',
  type: (type: string, rank: number) => `ty|${type}|${rank}`,
  refusalCode: (writer: string, code: string) => `rc|${writer}|${code}`,
  firstPullDelay: (reader: string, rank: number, bucket: number) => `tt|${reader}|${rank}|${bucket}`,
  overlap: (other: string, rank: number) => `ov|${other}|${rank}`,
  inquiry: (principal: string, event: InquiryEvent) => `in|${principal}|${event}`,
} as const;

/** What the inquiries use case reports to the counters (opened by the principal, or answered by it). */
export type InquiryEvent = 'opened' | 'acked_in_time' | 'answered_in_time' | 'overdue';
export const INQUIRY_EVENTS: readonly InquiryEvent[] = ['opened', 'acked_in_time', 'answered_in_time', 'overdue'];

/**
 * Upper bounds (seconds) of the time-to-first-pull buckets; the last bucket is open. Medians and p90s are
 * reported as the bucket holding them ("within 5 min"): exact to the bucket, and the nearest-rank quantile of
 * the bucketed delays is the bucket of the exact quantile, so a recomputation from raw entries agrees.
 */
export const DELAY_BOUNDS_S: readonly number[] = [
  0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14_400, 28_800, 43_200, 86_400, 172_800, 345_600, 604_800,
  1_209_600, 2_592_000,
];

/** The bucket of a delay in ms: the index of the first bound at or above it (DELAY_BOUNDS_S.length = beyond). */
export function delayBucket(delayMs: number): number {
  const s = Math.max(0, delayMs) / 1000;
  for (let i = 0; i < DELAY_BOUNDS_S.length; i++) if (s <= (DELAY_BOUNDS_S[i] ?? 0)) return i;
  return DELAY_BOUNDS_S.length;
}

/** Nearest-rank quantile (q in (0, 1]) of a histogram given as bucket → count; undefined when empty. */
export function histogramQuantile(histogram: ReadonlyMap<number, number>, q: number): number | undefined {
  let total = 0;
  for (const n of histogram.values()) total += n;
  if (total === 0) return undefined;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const b of [...histogram.keys()].sort((x, y) => x - y)) {
    seen += histogram.get(b) ?? 0;
    if (seen >= rank) return b;
  }
  return undefined;
}

/** Nearest-rank quantile of raw values (for recomputations); undefined when empty. */
export function valueQuantile(values: readonly number[], q: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1];
}
