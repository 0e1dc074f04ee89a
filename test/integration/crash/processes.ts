/**
 * Process-level test support (not a test file): runs the real CLI (`taxii-gateway serve|worker|start`) in child
 * processes through tsx (test/helpers/cli-process.ts, which the benchmarks use too), private redis-servers, and
 * a small TAXII client. Every wait is bounded.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnCliRole, stopCliRole, type CliProcess, type CliRole } from '../../helpers/cli-process';

export const COLLECTION = '3c1f3d52-6b8e-4f7a-9a0e-0d6a7c2b9e11';
export const API_ROOT = 'exchange';
export const USER = 'writer';
export const PASSWORD = 'writer-test-password';
export const TAXII = 'application/taxii+json;version=2.1';

/** A collections.yaml whose one principal reads its secret from WRITER_PASSWORD (no secret in the file). */
export const CONFIG_YAML = `
server:
  title: Process tests
  default_api_root: ${API_ROOT}
  max_page_size: 1000
  default_page_size: 100
api_roots:
  - name: ${API_ROOT}
    title: Exchange
    max_content_length: 52428800
collections:
  - id: ${COLLECTION}
    api_root: ${API_ROOT}
    title: Process test collection
    readers: [${USER}]
    writers: [${USER}]
principals:
  - name: ${USER}
    identity: identity--4f0cfc37-636e-4fbd-a198-1d4aeed995cc
    admin: true
    credentials:
      - basic: { secret_env: WRITER_PASSWORD }
`;

export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function writeConfig(dir: string): string {
  const file = path.join(dir, 'collections.yaml');
  writeFileSync(file, CONFIG_YAML);
  return file;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `fn` every `everyMs` until it returns a value other than undefined, or throws after `ms`. */
export async function until<T>(what: string, ms: number, fn: () => Promise<T | undefined>, everyMs = 100): Promise<T> {
  const end = Date.now() + ms;
  let lastErr: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      lastErr = err;
    }
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}${lastErr instanceof Error ? ` (last error: ${lastErr.message})` : ''}`);
}

/** A role in its child process (test/helpers/cli-process.ts). */
export type GatewayProcess = CliProcess;

export interface SpawnOptions {
  readonly redisUrl: string;
  readonly config: string;
  readonly dataDir: string;
  readonly keyPrefix?: string;
  readonly env?: Record<string, string>;
}

/**
 * Starts `taxii-gateway <role>` from the sources (node --import tsx src/main/cli.ts) with a minimal
 * environment and waits until its /readyz answers 200 (at most 90 s: on a loaded machine, tsx compiling the
 * CLI's sources can take most of a minute).
 */
export function spawnGateway(role: CliRole, o: SpawnOptions): Promise<GatewayProcess> {
  return spawnCliRole(role, {
    config: o.config,
    dataDir: o.dataDir,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? os.tmpdir(),
      REDIS_URL: o.redisUrl,
      GATEWAY_KEY_PREFIX: o.keyPrefix ?? 'gw',
      WRITER_PASSWORD: PASSWORD,
      LOG_LEVEL: 'warn',
      ...o.env,
    },
    readyMs: 90_000,
    keepOutput: 200_000,
  });
}

/** Stops a process: SIGTERM, then SIGKILL after `graceMs`; resolves with how it ended. */
export const stopProcess = stopCliRole;

const AUTH = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
}

/** One TAXII request with the test principal, bounded by `timeoutMs`. */
export async function taxii(base: string, method: string, pathAndQuery: string, body?: unknown, timeoutMs = 20_000): Promise<Answer> {
  const headers: Record<string, string> = { Accept: TAXII, Authorization: AUTH };
  if (body !== undefined) headers['Content-Type'] = TAXII;
  const r = await fetch(base + pathAndQuery, {
    method,
    headers,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await r.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? {} : JSON.parse(text);
  } catch {
    parsed = { text };
  }
  return {
    status: r.status,
    headers: r.headers,
    body: typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {},
  };
}

export const objectsPath = `/${API_ROOT}/collections/${COLLECTION}/objects/`;

/** POSTs an envelope; returns the status id (asserts 202). */
export async function postEnvelope(base: string, objects: readonly unknown[]): Promise<string> {
  const r = await taxii(base, 'POST', objectsPath, { objects });
  if (r.status !== 202) throw new Error(`POST answered ${r.status}: ${JSON.stringify(r.body).slice(0, 500)}`);
  return String(r.body['id']);
}

/** Waits until a status resource is complete (at most `ms`) and returns it. */
export function waitComplete(base: string, statusId: string, ms = 60_000): Promise<Record<string, unknown>> {
  return until(
    `status ${statusId} to complete`,
    ms,
    async () => {
      const r = await taxii(base, 'GET', `/${API_ROOT}/status/${statusId}/`);
      return r.status === 200 && r.body['status'] === 'complete' ? r.body : undefined;
    },
    200,
  );
}

export interface Walked {
  readonly objects: Record<string, unknown>[];
  /** date_added (X-TAXII-Date-Added-First of each page and every record's order) as returned by the manifest. */
  readonly dateAdded: string[];
}

/** Walks the whole collection with `next` (objects and the manifest's date_added of every version). */
export async function walkCollection(base: string, limit = 1000, query = 'match[version]=all'): Promise<Walked> {
  const objects: Record<string, unknown>[] = [];
  const dateAdded: string[] = [];
  for (const kind of ['objects', 'manifest'] as const) {
    let next: string | undefined;
    for (let pages = 0; pages < 10_000; pages++) {
      const q = `?limit=${limit}&${query}${next ? `&next=${encodeURIComponent(next)}` : ''}`;
      const r = await taxii(base, 'GET', `/${API_ROOT}/collections/${COLLECTION}/${kind}/${q}`);
      if (r.status !== 200) throw new Error(`GET ${kind} answered ${r.status}: ${JSON.stringify(r.body).slice(0, 300)}`);
      const items = Array.isArray(r.body['objects']) ? (r.body['objects'] as Record<string, unknown>[]) : [];
      if (kind === 'objects') objects.push(...items);
      else for (const m of items) dateAdded.push(String(m['date_added']));
      if (r.body['more'] !== true) break;
      next = String(r.body['next']);
    }
  }
  return { objects, dateAdded };
}

/** A realistic STIX 2.1 indicator with a deterministic id and pattern from `n` and a one-letter `tag`. */
export function indicator(n: number, tag = 'a'): Record<string, unknown> {
  const hex = n.toString(16).padStart(12, '0');
  // One tag per test: ids and patterns differ between tags (same-pattern indicators would be folded together).
  const t = tag.charCodeAt(0) % 256;
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${t.toString(16).padStart(2, '0')}000000-0000-4000-8000-${hex}`,
    created: '2025-03-01T10:00:00.000Z',
    modified: '2025-03-01T10:00:00.000Z',
    name: `C2 server ${n}`,
    indicator_types: ['malicious-activity'],
    pattern: `[ipv4-addr:value = '${t}.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}']`,
    pattern_type: 'stix',
    valid_from: '2025-03-01T10:00:00Z',
  };
}

/** Strictly increasing check on RFC 3339 µs timestamps of equal length. */
export function strictlyIncreasing(values: readonly string[]): boolean {
  for (let i = 1; i < values.length; i++) if (!((values[i - 1] ?? '') < (values[i] ?? ''))) return false;
  return true;
}

/** Reads one metric value (sum over label sets matching `labelFilter`) from a Prometheus text exposition. */
export function metricValue(text: string, name: string, labelFilter = ''): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== ' ' && rest[0] !== '{') continue;
    if (labelFilter && !line.includes(labelFilter)) continue;
    const v = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(v)) sum += v;
  }
  return sum;
}
