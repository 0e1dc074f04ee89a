/**
 * Reads the exchange counters for one viewer: the overview (per-day series, TLP mix, types, dedup and fold
 * rates, refusals, ingest lag) and the exchange report's figures. Only the day hashes of the period are read
 * (one pipeline; per collection at most 2 × 31 day hashes, or 2 × 53 week hashes for the 365-day views), never the audit stream or the collections, and every
 * sum is restricted to what the viewer's scope allows (src/exchange/counter-scope.ts).
 */
import type { Cluster, Redis } from 'ioredis';
import type { AuthenticatedPrincipal } from '../auth/types';
import type { GatewayConfig } from '../config/types';
import type { KeyBuilder } from '../store/keys';
import { type CounterScope, counterScopes } from './counter-scope';
import {
  DAILY_UP_TO_DAYS,
  INQUIRY_EVENTS,
  type InquiryEvent,
  dayOf,
  histogramQuantile,
  isoDay,
  lastDays,
  weeksCovering,
} from './exchange-day';

export const TLP_NAMES = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;

export interface DayPoint {
  readonly day: string;
  readonly shared: number;
  readonly pulled: number;
}

export interface PartnerPulls {
  readonly reader: string;
  /** Records served (repeats included). */
  readonly served: number;
  /** Distinct objects pulled for the first time in the period. */
  readonly firstPulls: number;
  /** Bucket index (src/exchange/exchange-day.ts DELAY_BOUNDS_S) of the median and p90 time to first pull. */
  readonly medianBucket?: number;
  readonly p90Bucket?: number;
}

export interface CollectionFigures {
  readonly id: string;
  readonly title: string;
  readonly alias?: string;
  readonly country?: string;
  readonly cert?: string;
  /** Content counts withheld from this viewer (sharing rules beyond TLP, or a write-only collection). */
  readonly withheld: boolean;
  /** Highest TLP counted for this viewer ('' when withheld). */
  readonly clearance: string;
  readonly series: readonly DayPoint[];
  readonly shared: number;
  readonly duplicates: number;
  readonly folded: number;
  /** Shared objects per TLP name (only the levels counted for this viewer). */
  readonly tlp: Readonly<Record<string, number>>;
  /** Shared objects per type, then per TLP name. */
  readonly types: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly refusals: Readonly<Record<string, number>>;
  readonly pulls: readonly PartnerPulls[];
  /** Values also reported in another collection (by that collection's id). */
  readonly overlap: Readonly<Record<string, number>>;
  readonly inquiries: Readonly<Record<InquiryEvent, number>>;
  /** Mean ingest lag (POST to job complete), ms; undefined without jobs in the period. */
  readonly lagMs?: number;
}

export interface ExchangeFigures {
  readonly from: string;
  readonly to: string;
  readonly days: number;
  /** Summed by week (periods over 31 days): `from` is the Monday of the oldest week, each point a week. */
  readonly weekly: boolean;
  readonly collections: readonly CollectionFigures[];
}

type Hash = Record<string, string>;

/** What a field of a totals hash counts, for this viewer ('skip': not counted for it). */
type TotalField =
  | { readonly kind: 's'; readonly tlp: string }
  | { readonly kind: 'p' | 'q'; readonly reader: string }
  | { readonly kind: 'u' | 'f' | 'r' | 'lagSum' | 'lagN' | 'skip' };
const SKIP: TotalField = { kind: 'skip' };

export interface ExchangeReaderOptions {
  /** How long (ms) the figures of one viewer and period are reused; 0 (default) reads every time. */
  readonly cacheMs?: number;
}

function num(v: string | undefined): number {
  const n = Number(v ?? 0);
  return Number.isFinite(n) ? n : 0;
}

export class ExchangeReader {
  constructor(
    private readonly redis: Redis | Cluster,
    private readonly keys: KeyBuilder,
    private readonly config: GatewayConfig,
    private readonly opts: ExchangeReaderOptions = {},
  ) {}

  private readonly cache = new Map<string, { at: number; figures: Promise<ExchangeFigures> }>();

  /** When each reader first pulled an object (ms), in the order of `readers`; undefined = never. */
  async firstPulls(collectionId: string, id: string, readers: readonly string[]): Promise<(number | undefined)[]> {
    if (readers.length === 0) return [];
    const k = this.keys.exchange(collectionId);
    const pipe = this.redis.pipeline();
    for (const r of readers) pipe.hget(k.firstPulls(r), id);
    const res = (await pipe.exec()) ?? [];
    return readers.map((_r, i) => {
      const v = res[i]?.[1];
      return typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : undefined;
    });
  }

  /** The latest additions of a collection (newest first) at or below a TLP rank: `[dateAdded µs, id]`. */
  async recent(collectionId: string, maxRank: number, limit: number): Promise<{ dateAdded: number; id: string; rank: number }[]> {
    const raw = await this.redis.lrange(this.keys.exchange(collectionId).recent, 0, -1);
    const out: { dateAdded: number; id: string; rank: number }[] = [];
    for (const line of raw) {
      const [da, rank, id] = line.split('\t');
      if (da === undefined || rank === undefined || id === undefined || Number(rank) > maxRank) continue;
      out.push({ dateAdded: Number(da), id, rank: Number(rank) });
      if (out.length >= limit) break;
    }
    return out;
  }

  /** The figures of the last `days` UTC days (today included) as `viewer` may see them. */
  figures(viewer: AuthenticatedPrincipal, days: number, nowMs: number, opts: { details?: boolean } = {}): Promise<ExchangeFigures> {
    const asked = Math.max(1, Math.min(366, Math.floor(days)));
    const details = opts.details !== false;
    const cacheMs = this.opts.cacheMs ?? 0;
    if (cacheMs <= 0) return this.read(viewer, asked, nowMs, details);
    // Per viewer, period and day: the same figures for a few seconds (the counters are written every 200 ms anyway).
    const key = `${viewer.name}|${viewer.admin ? 1 : 0}|${asked}|${details ? 1 : 0}|${dayOf(nowMs)}`;
    const t = performance.now();
    const hit = this.cache.get(key);
    if (hit && t - hit.at < cacheMs) return hit.figures;
    if (this.cache.size >= 1000) for (const [k, e] of this.cache) if (t - e.at >= cacheMs) this.cache.delete(k);
    if (this.cache.size >= 1000) this.cache.clear();
    const figures = this.read(viewer, asked, nowMs, details);
    this.cache.set(key, { at: t, figures });
    figures.catch(() => this.cache.delete(key));
    return figures;
  }

  private async read(viewer: AuthenticatedPrincipal, asked: number, nowMs: number, details: boolean): Promise<ExchangeFigures> {
    // Up to 31 days: one point per day. Longer: one per week (53 weeks cover 365 days).
    const weekly = asked > DAILY_UP_TO_DAYS;
    const dayList = weekly ? weeksCovering(asked, nowMs) : lastDays(asked, nowMs);
    const n = dayList.length;
    const active = new Set(await this.redis.smembers(this.keys.exchangeActive));
    const scopes = counterScopes(this.config, viewer);
    const pipe = this.redis.pipeline();
    for (const s of scopes) {
      const k = this.keys.exchange(s.collection.id);
      // A collection without any counter is not read (its hashes would all be empty).
      if (!active.has(s.collection.id)) continue;
      for (const d of dayList) pipe.hgetall(weekly ? k.week(d) : k.day(d));
      if (details) for (const d of dayList) pipe.hgetall(weekly ? k.weekDetail(d) : k.detail(d));
    }
    const raw = (await pipe.exec()) ?? [];
    const hashes: Hash[] = raw.map(([err, v]) => {
      if (err) throw err;
      return typeof v === 'object' && v !== null ? (v as Hash) : {};
    });
    const per = details ? 2 * n : n;
    const maxRankOf = new Map(scopes.map((s) => [s.collection.id, s.maxRank]));
    let at = 0;
    const collections = scopes.map((s) => {
      if (!active.has(s.collection.id)) return this.collectionFigures(viewer, s, dayList, [], [], maxRankOf);
      const totals = hashes.slice(at, at + n);
      const detail = details ? hashes.slice(at + n, at + 2 * n) : [];
      at += per;
      return this.collectionFigures(viewer, s, dayList, totals, detail, maxRankOf);
    });
    // An overlap is counted on the side where the value arrived second: shown on both sides.
    const both = collections.map((c) => {
      const overlap: Record<string, number> = { ...c.overlap };
      for (const o of collections) {
        const back = o.overlap[c.id];
        if (o.id !== c.id && back !== undefined) overlap[o.id] = (overlap[o.id] ?? 0) + back;
      }
      return { ...c, overlap };
    });
    const to = isoDay(dayOf(nowMs));
    return { from: isoDay(dayList[0] ?? ''), to, days: asked, weekly, collections: both };
  }

  private collectionFigures(
    viewer: AuthenticatedPrincipal,
    s: CounterScope,
    dayList: readonly string[],
    totals: Hash[],
    detail: Hash[],
    maxRankOf: ReadonlyMap<string, number>,
  ): CollectionFigures {
    const c = s.collection;
    const rankOk = (r: string | undefined): boolean => r !== undefined && /^[0-4]$/.test(r) && Number(r) <= s.maxRank;
    const readerOk = (reader: string | undefined): boolean => reader !== undefined && (s.pulls === 'all' || reader === viewer.name);
    const writerOk = (writer: string | undefined): boolean => writer !== undefined && (s.refusals === 'all' || writer === viewer.name);
    // Each field name is parsed once per read (the same names repeat in every day's hash).
    const parsed = new Map<string, TotalField>();
    const classify = (field: string): TotalField => {
      const parts = field.split('|');
      switch (parts[0]) {
        case 's':
          return rankOk(parts[1]) ? { kind: 's', tlp: TLP_NAMES[Number(parts[1])] ?? '' } : SKIP;
        case 'u':
          return rankOk(parts[1]) ? { kind: 'u' } : SKIP;
        case 'f':
          return rankOk(parts[1]) ? { kind: 'f' } : SKIP;
        case 'p':
          return readerOk(parts[1]) && rankOk(parts[2]) ? { kind: 'p', reader: parts[1] ?? '' } : SKIP;
        case 'q':
          return readerOk(parts[1]) && rankOk(parts[2]) ? { kind: 'q', reader: parts[1] ?? '' } : SKIP;
        case 'r':
          return writerOk(parts[1]) ? { kind: 'r' } : SKIP;
        case 'lag':
          return parts[1] === 'sum' ? { kind: 'lagSum' } : parts[1] === 'n' ? { kind: 'lagN' } : SKIP;
        default:
          return SKIP;
      }
    };
    const series: DayPoint[] = [];
    const tlp: Record<string, number> = {};
    let shared = 0;
    let duplicates = 0;
    let folded = 0;
    let lagSum = 0;
    let lagN = 0;
    let refusedTotal = 0;
    const served = new Map<string, number>();
    const first = new Map<string, number>();
    dayList.forEach((day, i) => {
      let dayShared = 0;
      let dayPulled = 0;
      const h = totals[i] ?? {};
      for (const field in h) {
        let f = parsed.get(field);
        if (f === undefined) parsed.set(field, (f = classify(field)));
        if (f.kind === 'skip') continue;
        const v = num(h[field]);
        switch (f.kind) {
          case 's':
            dayShared += v;
            tlp[f.tlp] = (tlp[f.tlp] ?? 0) + v;
            break;
          case 'u':
            duplicates += v;
            break;
          case 'f':
            folded += v;
            break;
          case 'p':
            dayPulled += v;
            served.set(f.reader, (served.get(f.reader) ?? 0) + v);
            break;
          case 'q':
            first.set(f.reader, (first.get(f.reader) ?? 0) + v);
            break;
          case 'r':
            refusedTotal += v;
            break;
          case 'lagSum':
            lagSum += v;
            break;
          case 'lagN':
            lagN += v;
            break;
        }
      }
      shared += dayShared;
      series.push({ day: isoDay(day), shared: dayShared, pulled: dayPulled });
    });
    // The breakdowns are not per day: summed by field first, then each field is parsed once.
    const summed = new Map<string, number>();
    for (const h of detail) for (const field in h) summed.set(field, (summed.get(field) ?? 0) + num(h[field]));
    const types: Record<string, Record<string, number>> = {};
    const refusals: Record<string, number> = {};
    const delays = new Map<string, Map<number, number>>();
    const overlap: Record<string, number> = {};
    const inquiries = Object.fromEntries(INQUIRY_EVENTS.map((e) => [e, 0])) as Record<InquiryEvent, number>;
    {
      for (const [field, v] of summed) {
        const parts = field.split('|');
        if (parts[0] === 'ty' && rankOk(parts[2])) {
          const t = (types[parts[1] ?? ''] ??= {});
          const name = TLP_NAMES[Number(parts[2])] ?? '';
          t[name] = (t[name] ?? 0) + v;
        } else if (parts[0] === 'rc' && writerOk(parts[1])) {
          refusals[parts[2] ?? ''] = (refusals[parts[2] ?? ''] ?? 0) + v;
        } else if (parts[0] === 'tt' && readerOk(parts[1]) && rankOk(parts[2])) {
          let m = delays.get(parts[1] ?? '');
          if (!m) delays.set(parts[1] ?? '', (m = new Map()));
          const b = Number(parts[3]);
          m.set(b, (m.get(b) ?? 0) + v);
        } else if (parts[0] === 'in' && (viewer.admin || parts[1] === viewer.name || s.pulls === 'all')) {
          const e = parts[2];
          if (e !== undefined && (INQUIRY_EVENTS as readonly string[]).includes(e)) inquiries[e as InquiryEvent] += v;
        } else if (parts[0] === 'ov' && rankOk(parts[2]) && Number(parts[2]) <= (maxRankOf.get(parts[1] ?? '') ?? -1)) {
          overlap[parts[1] ?? ''] = (overlap[parts[1] ?? ''] ?? 0) + v;
        }
      }
    }
    // Refusals are shown to the writer, even when it may not read the collection's content.
    if (refusedTotal > 0 && Object.keys(refusals).length === 0) refusals['OTHER'] = refusedTotal;
    const readers = new Set([...served.keys(), ...first.keys(), ...delays.keys()]);
    const pulls: PartnerPulls[] = [...readers].sort().map((reader) => {
      const h = delays.get(reader) ?? new Map<number, number>();
      const median = histogramQuantile(h, 0.5);
      const p90 = histogramQuantile(h, 0.9);
      return {
        reader,
        served: served.get(reader) ?? 0,
        firstPulls: first.get(reader) ?? 0,
        ...(median === undefined ? {} : { medianBucket: median }),
        ...(p90 === undefined ? {} : { p90Bucket: p90 }),
      };
    });
    return {
      id: c.id,
      title: c.title,
      ...(c.alias === undefined ? {} : { alias: c.alias }),
      ...(c.country === undefined ? {} : { country: c.country }),
      ...(c.cert === undefined ? {} : { cert: c.cert }),
      withheld: s.maxRank < 0,
      clearance: s.maxRank < 0 ? '' : (TLP_NAMES[s.maxRank] ?? ''),
      series,
      shared,
      duplicates,
      folded,
      tlp,
      types,
      refusals,
      pulls,
      overlap,
      inquiries,
      ...(lagN > 0 ? { lagMs: Math.round(lagSum / lagN) } : {}),
    };
  }
}
