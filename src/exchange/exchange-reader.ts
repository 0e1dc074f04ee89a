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
type PlainCount = 'u' | 'f' | 'r' | 'lagSum' | 'lagN';
type TotalField =
  | { readonly kind: 's'; readonly tlp: string }
  | { readonly kind: 'p' | 'q'; readonly reader: string }
  | { readonly kind: PlainCount }
  | { readonly kind: 'skip' };
const SKIP: TotalField = { kind: 'skip' };

export interface ExchangeReaderOptions {
  /** How long (ms) the figures of one viewer and period are reused; 0 (default) reads every time. */
  readonly cacheMs?: number;
}

function num(v: string | undefined): number {
  const n = Number(v ?? 0);
  return Number.isFinite(n) ? n : 0;
}

function addTo<K>(m: Map<K, number>, key: K, v: number): void {
  m.set(key, (m.get(key) ?? 0) + v);
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
    const scope = fieldScope(viewer, s);
    const t = sumTotals(dayList, totals, scope);
    const d = sumDetails(detail, scope, maxRankOf);
    // Refusals are shown to the writer, even when it may not read the collection's content.
    if (t.counts.r > 0 && Object.keys(d.refusals).length === 0) d.refusals['OTHER'] = t.counts.r;
    return {
      id: c.id,
      title: c.title,
      ...(c.alias === undefined ? {} : { alias: c.alias }),
      ...(c.country === undefined ? {} : { country: c.country }),
      ...(c.cert === undefined ? {} : { cert: c.cert }),
      withheld: s.maxRank < 0,
      clearance: s.maxRank < 0 ? '' : (TLP_NAMES[s.maxRank] ?? ''),
      series: t.series,
      shared: t.shared,
      duplicates: t.counts.u,
      folded: t.counts.f,
      tlp: t.tlp,
      types: d.types,
      refusals: d.refusals,
      pulls: partnerPulls(t.served, t.first, d.delays),
      overlap: d.overlap,
      inquiries: d.inquiries,
      ...(t.counts.lagN > 0 ? { lagMs: Math.round(t.counts.lagSum / t.counts.lagN) } : {}),
    };
  }
}

/** Which fields of one collection's counters a viewer may count (its scope: src/exchange/counter-scope.ts). */
interface FieldScope {
  readonly viewer: AuthenticatedPrincipal;
  readonly scope: CounterScope;
  rankOk(r: string | undefined): boolean;
  readerOk(reader: string | undefined): boolean;
  writerOk(writer: string | undefined): boolean;
}

function fieldScope(viewer: AuthenticatedPrincipal, s: CounterScope): FieldScope {
  return {
    viewer,
    scope: s,
    rankOk: (r) => r !== undefined && /^[0-4]$/.test(r) && Number(r) <= s.maxRank,
    readerOk: (reader) => reader !== undefined && (s.pulls === 'all' || reader === viewer.name),
    writerOk: (writer) => writer !== undefined && (s.refusals === 'all' || writer === viewer.name),
  };
}

/** What one field of a totals hash counts for this viewer. */
function classifyTotal(field: string, ok: FieldScope): TotalField {
  const parts = field.split('|');
  const kind = parts[0];
  switch (kind) {
    case 's':
      return ok.rankOk(parts[1]) ? { kind, tlp: TLP_NAMES[Number(parts[1])] ?? '' } : SKIP;
    case 'u':
    case 'f':
      return ok.rankOk(parts[1]) ? { kind } : SKIP;
    case 'p':
    case 'q':
      return ok.readerOk(parts[1]) && ok.rankOk(parts[2]) ? { kind, reader: parts[1] ?? '' } : SKIP;
    case 'r':
      return ok.writerOk(parts[1]) ? { kind } : SKIP;
    case 'lag':
      return parts[1] === 'sum' ? { kind: 'lagSum' } : parts[1] === 'n' ? { kind: 'lagN' } : SKIP;
    default:
      return SKIP;
  }
}

/** The sums of the totals hashes over the period: the per-day series and the plain counts. */
interface TotalSums {
  readonly series: DayPoint[];
  readonly tlp: Record<string, number>;
  shared: number;
  /** Duplicates (u), folded (f), refused (r) and the ingest lag's sum and count. */
  readonly counts: Record<PlainCount, number>;
  readonly served: Map<string, number>;
  readonly first: Map<string, number>;
}

function sumTotals(dayList: readonly string[], totals: readonly Hash[], ok: FieldScope): TotalSums {
  const sums: TotalSums = {
    series: [],
    tlp: {},
    shared: 0,
    counts: { u: 0, f: 0, r: 0, lagSum: 0, lagN: 0 },
    served: new Map(),
    first: new Map(),
  };
  // Each field name is parsed once per read (the same names repeat in every day's hash).
  const parsed = new Map<string, TotalField>();
  dayList.forEach((day, i) => {
    let dayShared = 0;
    let dayPulled = 0;
    const h = totals[i] ?? {};
    for (const field in h) {
      let f = parsed.get(field);
      if (f === undefined) parsed.set(field, (f = classifyTotal(field, ok)));
      if (f.kind === 'skip') continue;
      const v = num(h[field]);
      if (f.kind === 's') {
        dayShared += v;
        sums.tlp[f.tlp] = (sums.tlp[f.tlp] ?? 0) + v;
      } else if (f.kind === 'p') {
        dayPulled += v;
        addTo(sums.served, f.reader, v);
      } else if (f.kind === 'q') {
        addTo(sums.first, f.reader, v);
      } else {
        sums.counts[f.kind] += v;
      }
    }
    sums.shared += dayShared;
    sums.series.push({ day: isoDay(day), shared: dayShared, pulled: dayPulled });
  });
  return sums;
}

/** The breakdowns of the detail hashes over the period (types, refusal codes, pull delays, overlap, inquiries). */
interface DetailSums {
  readonly types: Record<string, Record<string, number>>;
  readonly refusals: Record<string, number>;
  readonly delays: Map<string, Map<number, number>>;
  readonly overlap: Record<string, number>;
  readonly inquiries: Record<InquiryEvent, number>;
}

function sumDetails(detail: readonly Hash[], ok: FieldScope, maxRankOf: ReadonlyMap<string, number>): DetailSums {
  // The breakdowns are not per day: summed by field first, then each field is parsed once.
  const summed = new Map<string, number>();
  for (const h of detail) for (const field in h) addTo(summed, field, num(h[field]));
  const sums: DetailSums = {
    types: {},
    refusals: {},
    delays: new Map(),
    overlap: {},
    inquiries: Object.fromEntries(INQUIRY_EVENTS.map((e) => [e, 0])) as Record<InquiryEvent, number>,
  };
  const { viewer, scope } = ok;
  for (const [field, v] of summed) {
    const parts = field.split('|');
    if (parts[0] === 'ty' && ok.rankOk(parts[2])) {
      const t = (sums.types[parts[1] ?? ''] ??= {});
      const name = TLP_NAMES[Number(parts[2])] ?? '';
      t[name] = (t[name] ?? 0) + v;
    } else if (parts[0] === 'rc' && ok.writerOk(parts[1])) {
      sums.refusals[parts[2] ?? ''] = (sums.refusals[parts[2] ?? ''] ?? 0) + v;
    } else if (parts[0] === 'tt' && ok.readerOk(parts[1]) && ok.rankOk(parts[2])) {
      let m = sums.delays.get(parts[1] ?? '');
      if (!m) sums.delays.set(parts[1] ?? '', (m = new Map()));
      addTo(m, Number(parts[3]), v);
    } else if (parts[0] === 'in' && (viewer.admin || parts[1] === viewer.name || scope.pulls === 'all')) {
      const e = parts[2];
      if (e !== undefined && (INQUIRY_EVENTS as readonly string[]).includes(e)) sums.inquiries[e as InquiryEvent] += v;
    } else if (parts[0] === 'ov' && ok.rankOk(parts[2]) && Number(parts[2]) <= (maxRankOf.get(parts[1] ?? '') ?? -1)) {
      sums.overlap[parts[1] ?? ''] = (sums.overlap[parts[1] ?? ''] ?? 0) + v;
    }
  }
  return sums;
}

/** One row per reader that pulled anything: served, first pulls and the delay quantiles' buckets. */
function partnerPulls(
  served: ReadonlyMap<string, number>,
  first: ReadonlyMap<string, number>,
  delays: ReadonlyMap<string, ReadonlyMap<number, number>>,
): PartnerPulls[] {
  const readers = new Set([...served.keys(), ...first.keys(), ...delays.keys()]);
  return [...readers].sort().map((reader) => {
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
}
