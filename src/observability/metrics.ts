/**
 * Prometheus metrics of one gateway process (prom-client), on a registry of its own so tests and several
 * gateways in one process never share counters. Label values are bounded: routes are express route patterns
 * (never raw paths), collections are the configured collection ids, outcomes a fixed set.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Per-object ingest outcomes counted per collection. */
export type ObjectOutcome = 'stored' | 'failed' | 'merged' | 'duplicate' | 'skipped';

/** What a job summary reports (src/ingest/process-job.ts JobSummary has these counters). */
export interface IngestCounts {
  readonly stored: number;
  readonly duplicates: number;
  readonly merged: number;
  readonly failed: number;
  readonly skipped: number;
}

/** What the federation gauges show of one source or sink (src/federation/federation-state.ts EndpointState). */
export interface FederationGaugeState {
  readonly kind: string;
  readonly name: string;
  /** RFC 3339 (millisecond precision is enough for a gauge). */
  readonly lastRunFinished?: string;
  readonly failing: boolean;
  readonly objectsTotal: number;
}

export class GatewayMetrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'taxii_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'taxii_http_request_duration_seconds',
    help: 'Time from request start to the last byte of the response, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [this.registry],
  });

  readonly jobDuration = new Histogram({
    name: 'ingest_job_duration_seconds',
    help: 'Time a worker spent on one ingest job (one POSTed envelope), by result',
    labelNames: ['result'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });

  readonly objects = new Counter({
    name: 'ingest_objects_total',
    help: 'Posted objects settled by the worker, by collection and outcome (stored, failed, merged, duplicate, skipped on resume)',
    labelNames: ['collection', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly dedupHits = new Counter({
    name: 'ingest_dedup_hits_total',
    help: 'Objects not stored because the collection already held them: exact duplicates and indicators folded into one already held',
    labelNames: ['collection', 'kind'] as const,
    registers: [this.registry],
  });

  readonly redisErrors = new Counter({
    name: 'redis_errors_total',
    help: 'Errors reported by Redis connections (connection losses, refused connections, timeouts), by connection',
    labelNames: ['connection'] as const,
    registers: [this.registry],
  });

  readonly queueDepth = new Gauge({
    name: 'ingest_queue_depth',
    help: 'Ingest jobs waiting, delayed or running (read from Redis at scrape time)',
    registers: [this.registry],
  });

  readonly federationLastRun = new Gauge({
    name: 'federation_last_run_timestamp_seconds',
    help: 'When each federation source or sink last finished a run (read from Redis at scrape time)',
    labelNames: ['kind', 'name'] as const,
    registers: [this.registry],
  });

  readonly federationFailing = new Gauge({
    name: 'federation_last_run_failed',
    help: '1 when the last run of a federation source or sink ended with an error, else 0',
    labelNames: ['kind', 'name'] as const,
    registers: [this.registry],
  });

  readonly federationObjects = new Gauge({
    name: 'federation_objects_total',
    help: 'Objects pulled (sources) or forwarded (sinks) since the state was created',
    labelNames: ['kind', 'name'] as const,
    registers: [this.registry],
  });

  readonly inquiryTimeToAcknowledge = new Histogram({
    name: 'inquiry_time_to_acknowledge_seconds',
    help: 'Time from the opening of an inquiry (or a clarification) to its acknowledgement, by urgency',
    labelNames: ['urgency'] as const,
    buckets: [60, 300, 900, 1800, 3600, 4 * 3600, 12 * 3600, 86400, 3 * 86400],
    registers: [this.registry],
  });

  readonly inquiryTimeToAnswer = new Histogram({
    name: 'inquiry_time_to_answer_seconds',
    help: 'Time from the opening of an inquiry to its answer, by urgency',
    labelNames: ['urgency'] as const,
    buckets: [900, 3600, 4 * 3600, 12 * 3600, 86400, 3 * 86400, 7 * 86400, 14 * 86400, 30 * 86400],
    registers: [this.registry],
  });

  readonly inquiriesOverdue = new Gauge({
    name: 'inquiries_overdue',
    help: 'Inquiries whose acknowledgement or answer deadline has passed, by the authority that owes it (read at scrape time)',
    labelNames: ['authority'] as const,
    registers: [this.registry],
  });

  /** Counts overdue inquiries per authority at scrape time. */
  private inquiryProbe: (() => Promise<ReadonlyMap<string, number>>) | undefined;

  /** Sets the function that counts overdue inquiries per authority (principal name) when /metrics is scraped. */
  watchInquiries(probe: () => Promise<ReadonlyMap<string, number>>): void {
    this.inquiryProbe = probe;
  }

  /** Reads the queue depth at scrape time; undefined keeps the gauge at its last value. */
  private depthProbe: (() => Promise<number>) | undefined;

  /** Reads the federation sources' and sinks' state at scrape time. */
  private federationProbe: (() => Promise<readonly FederationGaugeState[]>) | undefined;

  /** Sets the function that reads federation state when /metrics is scraped. */
  watchFederation(probe: () => Promise<readonly FederationGaugeState[]>): void {
    this.federationProbe = probe;
  }

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  /** Sets the function that reads the queue depth when /metrics is scraped. */
  watchQueueDepth(probe: () => Promise<number>): void {
    this.depthProbe = probe;
  }

  /** The request counter and histogram children per `method route status` (a bounded set: routes are patterns). */
  private readonly requestSeries = new Map<string, { count: { inc(): void }; duration: { observe(v: number): void } }>();

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${route} ${status}`;
    let series = this.requestSeries.get(key);
    if (!series) {
      const labels = { method, route, status: String(status) };
      series = { count: this.httpRequests.labels(labels), duration: this.httpDuration.labels(labels) };
      this.requestSeries.set(key, series);
    }
    series.count.inc();
    series.duration.observe(seconds);
  }

  observeJob(collection: string, counts: IngestCounts, seconds: number): void {
    this.jobDuration.observe({ result: 'complete' }, seconds);
    const add = (outcome: ObjectOutcome, n: number): void => {
      if (n > 0) this.objects.inc({ collection, outcome }, n);
    };
    add('stored', counts.stored);
    add('failed', counts.failed);
    add('merged', counts.merged);
    add('duplicate', counts.duplicates);
    add('skipped', counts.skipped);
    if (counts.duplicates > 0) this.dedupHits.inc({ collection, kind: 'exact' }, counts.duplicates);
    if (counts.merged > 0) this.dedupHits.inc({ collection, kind: 'merged' }, counts.merged);
  }

  observeFailedJob(seconds: number): void {
    this.jobDuration.observe({ result: 'failed' }, seconds);
  }

  /** The exposition text (Prometheus text format) and its content type. */
  async render(): Promise<{ contentType: string; body: string }> {
    if (this.federationProbe) {
      try {
        for (const s of await this.federationProbe()) {
          const labels = { kind: s.kind, name: s.name };
          if (s.lastRunFinished !== undefined) this.federationLastRun.set(labels, Date.parse(s.lastRunFinished) / 1000);
          this.federationFailing.set(labels, s.failing ? 1 : 0);
          this.federationObjects.set(labels, s.objectsTotal);
        }
      } catch {
        // Redis unreachable at scrape time: keep the last values.
      }
    }
    if (this.inquiryProbe) {
      try {
        const counts = await this.inquiryProbe();
        this.inquiriesOverdue.reset();
        for (const [authority, n] of counts) this.inquiriesOverdue.set({ authority }, n);
      } catch {
        // Redis unreachable at scrape time: the gauge is left empty rather than wrong.
      }
    }
    if (this.depthProbe) {
      try {
        this.queueDepth.set(await this.depthProbe());
      } catch {
        // Redis unreachable at scrape time: keep the last value; redis_errors_total tells the story.
      }
    }
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
