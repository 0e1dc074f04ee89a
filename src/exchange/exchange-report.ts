/**
 * The exchange report for the working group: per CERT (the owner of each collection; collections without an
 * owner are "joint") and period, the objects shared by type and TLP, the objects the partner pulled and how soon
 * (median and p90 time to first pull), the values both sides reported, the refusals by code and the inquiries.
 * Built from the exchange counters (src/exchange/exchange-reader.ts) as the viewer may see them; rendered as
 * JSON or CSV here, as HTML by the console (src/http/console/report-html.ts).
 */
import type { AuthenticatedPrincipal } from '../auth/types';
import { DELAY_BOUNDS_S } from './exchange-day';
import type { CollectionFigures, ExchangeReader } from './exchange-reader';

export interface CertReport {
  /** STIX identity of the owning CERT; '' for joint collections. */
  readonly cert: string;
  /** Country of its collections (ISO 3166-1 alpha-2); '' for joint collections. */
  readonly country: string;
  readonly collections: readonly CollectionFigures[];
}

export interface ExchangeReport {
  readonly generated: string;
  readonly from: string;
  readonly to: string;
  readonly days: number;
  /** Summed by week (periods over 31 days): `from` is the Monday of the oldest week. */
  readonly weekly: boolean;
  readonly certs: readonly CertReport[];
}

/** `30d`, `12w`, `6m` (months of 30 days), `1y` (365 days) → a number of days (1..366); undefined otherwise. */
export function parsePeriod(text: string): number | undefined {
  const m = /^(\d{1,3})([dwmy])$/.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]) * ({ d: 1, w: 7, m: 30, y: 365 }[m[2] as 'd' | 'w' | 'm' | 'y'] ?? 1);
  return n >= 1 && n <= 366 ? n : undefined;
}

export async function buildReport(
  reader: ExchangeReader,
  viewer: AuthenticatedPrincipal,
  days: number,
  nowMs: number,
): Promise<ExchangeReport> {
  const f = await reader.figures(viewer, days, nowMs);
  const groups = new Map<string, CollectionFigures[]>();
  for (const c of f.collections) {
    const key = `${c.cert ?? ''}\u0000${c.country ?? ''}`;
    const list = groups.get(key);
    if (list) list.push(c);
    else groups.set(key, [c]);
  }
  const certs: CertReport[] = [...groups.entries()].map(([key, collections]) => {
    const [cert = '', country = ''] = key.split('\u0000');
    return { cert, country, collections };
  });
  // Owned collections first (by country), joint ones last.
  certs.sort((a, b) => (a.country === '' ? 1 : 0) - (b.country === '' ? 1 : 0) || a.country.localeCompare(b.country));
  return { generated: new Date(nowMs).toISOString(), from: f.from, to: f.to, days: f.days, weekly: f.weekly, certs };
}

function duration(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${seconds / 60} min`;
  if (seconds < 86_400) return `${seconds / 3600} h`;
  return `${seconds / 86_400} d`;
}

/** A time-to-first-pull bucket as text: `<= 5 min`, or `> 30 d` for the open last bucket. */
export function bucketLabel(bucket: number | undefined): string {
  if (bucket === undefined) return '';
  const bound = DELAY_BOUNDS_S[bucket];
  if (bound !== undefined) return `<= ${duration(bound)}`;
  return `> ${duration(DELAY_BOUNDS_S[DELAY_BOUNDS_S.length - 1] ?? 0)}`;
}

/** The report as JSON (time-to-first-pull buckets given as their upper bound in seconds and as text). */
export function reportJson(r: ExchangeReport): string {
  const out = {
    generated: r.generated,
    from: r.from,
    to: r.to,
    days: r.days,
    by_week: r.weekly,
    certs: r.certs.map((c) => ({
      cert: c.cert,
      country: c.country,
      collections: c.collections.map((x) => ({
        id: x.id,
        title: x.title,
        withheld: x.withheld,
        clearance: x.clearance,
        shared: x.shared,
        shared_by_tlp: x.tlp,
        shared_by_type: x.types,
        duplicates: x.duplicates,
        folded: x.folded,
        pulled: x.pulls.map((p) => ({
          reader: p.reader,
          served: p.served,
          objects: p.firstPulls,
          median_first_pull: bucketLabel(p.medianBucket),
          p90_first_pull: bucketLabel(p.p90Bucket),
          median_first_pull_max_s: p.medianBucket === undefined ? null : (DELAY_BOUNDS_S[p.medianBucket] ?? null),
          p90_first_pull_max_s: p.p90Bucket === undefined ? null : (DELAY_BOUNDS_S[p.p90Bucket] ?? null),
        })),
        overlap: x.overlap,
        refusals: x.refusals,
        inquiries: x.inquiries,
      })),
    })),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

function csvCell(v: string | number): string {
  const s = String(v);
  // A leading =, +, - or @ would be a formula in a spreadsheet.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The report as CSV: one row per figure (section, country, collection, key, detail, value). */
export function reportCsv(r: ExchangeReport): string {
  const rows: (string | number)[][] = [['section', 'country', 'collection', 'key', 'detail', 'value']];
  for (const cert of r.certs) {
    for (const c of cert.collections) {
      const base = [cert.country || 'joint', c.alias ?? c.id];
      rows.push(['shared', ...base, 'total', '', c.shared]);
      for (const [type, byTlp] of Object.entries(c.types))
        for (const [tlp, n] of Object.entries(byTlp)) rows.push(['shared', ...base, type, tlp, n]);
      rows.push(['duplicates', ...base, 'total', '', c.duplicates], ['folded', ...base, 'total', '', c.folded]);
      for (const p of c.pulls) {
        rows.push(['pulled', ...base, p.reader, 'objects', p.firstPulls], ['pulled', ...base, p.reader, 'served', p.served]);
        rows.push(['pulled', ...base, p.reader, 'median_first_pull', bucketLabel(p.medianBucket)]);
        rows.push(['pulled', ...base, p.reader, 'p90_first_pull', bucketLabel(p.p90Bucket)]);
      }
      for (const [other, n] of Object.entries(c.overlap)) rows.push(['overlap', ...base, other, '', n]);
      for (const [code, n] of Object.entries(c.refusals)) rows.push(['refusals', ...base, code, '', n]);
      for (const [event, n] of Object.entries(c.inquiries)) rows.push(['inquiries', ...base, event, '', n]);
    }
  }
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
