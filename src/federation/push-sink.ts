/**
 * One run of a sink: reads the local collection's records added since the stored cursor (every version, in
 * date_added order, with the sink's type filter and the highest TLP the partner may receive), POSTs each page
 * to the remote collection, follows the remote status until complete, records what the remote said about
 * each object, and only then moves the cursor. A page whose POST or status fails is sent again by the next
 * run (the remote treats exact duplicates as successes, TAXII 2.1 §5.5).
 *
 * Envelopes fit the remote: a page is split into envelopes no larger than the remote API root's
 * max_content_length (read once per run), and an envelope the remote still refuses with 413 is halved and sent
 * again. An object that alone exceeds the limit is not sent: it is recorded as refused, with the reason.
 */
import type { GatewayConfig, SinkConfig } from '../config/types';
import { MAX_TLP_RANK, maxTlpRankFor, readerRules } from '../policy/clearance';
import { tlpRank } from '../stix/markings';
import { formatMicros } from '../stix/time';
import type { ObjectStore } from '../store/types';
import { FederationError } from './federation-error';
import type { FederationState, ForwardOutcome, RunSummary } from './federation-state';
import type { TaxiiClient } from './taxii-client';

export interface PushDeps {
  readonly config: GatewayConfig;
  readonly store: ObjectStore;
  readonly client: TaxiiClient;
  readonly state: FederationState;
}

/** The highest TLP rank a sink forwards: its own max_tlp, capped by what its partner principal may read. */
export function sinkMaxTlpRank(config: GatewayConfig, sink: SinkConfig): number {
  const collection = config.collections.find((c) => c.id === sink.from);
  const own = sink.max_tlp === undefined ? MAX_TLP_RANK : tlpRank(sink.max_tlp);
  const partner =
    sink.principal === undefined || collection === undefined ? MAX_TLP_RANK : maxTlpRankFor(config, sink.principal, collection);
  return Math.min(own, partner);
}

/** One local record on its way to the remote: its stored JSON, sent as is. */
interface PushItem {
  readonly id: string;
  readonly version?: string;
  readonly json: string;
}

/** The remote API root's max_content_length, or undefined when it does not say (or cannot be read). */
async function remoteMaxContentLength(client: TaxiiClient): Promise<number | undefined> {
  try {
    const n = (await client.apiRootInfo()).max_content_length;
    return n > 0 ? n : undefined;
  } catch (err) {
    // Reading the API root is a courtesy: the POSTs that follow report a real fault themselves.
    if (err instanceof FederationError) return undefined;
    throw err;
  }
}

/** Bytes of `{"objects":[...]}` around the objects' JSON. */
const ENVELOPE_OVERHEAD = Buffer.byteLength('{"objects":[]}');

/**
 * Splits items into envelopes of at most `maxBytes` (serialized as `{"objects":[a,b,...]}`), in order. An item
 * that cannot fit even alone goes to `tooLarge` instead. Without a limit, everything is one envelope.
 */
export function envelopesWithin<T extends { readonly json: string }>(
  items: readonly T[],
  maxBytes: number | undefined,
  tooLarge: (item: T) => void,
): T[][] {
  if (maxBytes === undefined) return [items.slice()];
  const out: T[][] = [];
  let current: T[] = [];
  let size = ENVELOPE_OVERHEAD;
  for (const item of items) {
    const bytes = Buffer.byteLength(item.json);
    if (ENVELOPE_OVERHEAD + bytes > maxBytes) {
      tooLarge(item);
      continue;
    }
    const added = (current.length === 0 ? 0 : 1) + bytes;
    if (current.length > 0 && size + added > maxBytes) {
      out.push(current);
      current = [];
      size = ENVELOPE_OVERHEAD;
    }
    size += (current.length === 0 ? 0 : 1) + bytes;
    current.push(item);
  }
  if (current.length > 0 || out.length === 0) out.push(current);
  return out;
}

export async function pushSink(sink: SinkConfig, deps: PushDeps): Promise<RunSummary> {
  if (!deps.config.collections.some((c) => c.id === sink.from)) {
    throw new FederationError('CANNOT_PAGE', `sink ${sink.name}: no local collection ${sink.from}`, { retryable: false });
  }
  const maxTlpRank = sinkMaxTlpRank(deps.config, sink);
  // The partner principal's sharing rules beyond TLP (refused markings, accepted producers) hold on push too.
  const from = deps.config.collections.find((c) => c.id === sink.from);
  const rules = sink.principal === undefined || from === undefined ? undefined : readerRules(deps.config, sink.principal, from);
  let after = await deps.state.sinkCursor(sink.name);
  const summary = { objects: 0, pages: 0, statuses: [] as string[], truncated: false, accepted: 0, refused: 0 };
  const maxBytes = await remoteMaxContentLength(deps.client);
  const now = (): string => formatMicros(Date.now() * 1000);
  /** Objects too large to send, recorded as refused with the next envelope's outcomes. */
  let tooLarge: ForwardOutcome[] = [];
  const refuseTooLarge = (item: PushItem): void => {
    const message = `not sent: ${Buffer.byteLength(item.json)} bytes of JSON, more than the remote accepts in one request (max_content_length ${maxBytes ?? 0})`;
    tooLarge.push({
      id: item.id,
      ...(item.version === undefined ? {} : { version: item.version }),
      outcome: 'failure',
      statusId: '',
      message,
    });
  };
  /** POSTs one envelope and records the remote's verdicts; an envelope refused with 413 is halved and sent again. */
  const send = async (envelope: readonly PushItem[]): Promise<void> => {
    if (tooLarge.length > 0) {
      await deps.state.recordOutcomes(sink.name, tooLarge, now());
      summary.refused += tooLarge.length;
      tooLarge = [];
    }
    if (envelope.length === 0) return;
    let posted;
    try {
      posted = await deps.client.addObjects(
        sink.collection,
        envelope.map((i) => JSON.parse(i.json) as unknown),
      );
    } catch (err) {
      if (!(err instanceof FederationError) || err.opts.httpStatus !== 413) throw err;
      if (envelope.length === 1) {
        const only = envelope[0];
        if (only) refuseTooLarge(only);
        return send([]);
      }
      const half = Math.ceil(envelope.length / 2);
      await send(envelope.slice(0, half));
      return send(envelope.slice(half));
    }
    const final = await deps.client.waitStatus(posted, sink.status_timeout_seconds * 1000);
    summary.statuses.push(final.id);
    const outcomes: ForwardOutcome[] = [
      ...final.successes.map((d) => ({ ...d, outcome: 'success' as const, statusId: final.id })),
      ...final.failures.map((d) => ({ ...d, outcome: 'failure' as const, statusId: final.id })),
      ...final.pendings.map((d) => ({ ...d, outcome: 'pending' as const, statusId: final.id })),
    ];
    await deps.state.recordOutcomes(sink.name, outcomes, now());
    summary.accepted += final.success_count;
    summary.refused += final.failure_count;
  };
  while (summary.objects < sink.max_objects_per_run) {
    const limit = Math.min(sink.page_size, sink.max_objects_per_run - summary.objects);
    const page = await deps.store.read(
      sink.from,
      {
        after,
        limit,
        types: sink.filters.type ?? [],
        ids: [],
        versions: { all: true, first: false, last: false, exact: [] },
        maxTlpRank,
        ...(rules === undefined ? {} : { rules }),
      },
      true,
    );
    const last = page.records[page.records.length - 1];
    if (last !== undefined) {
      const items = page.records.map((r) => ({ id: r.id, version: r.version, json: r.json ?? 'null' }));
      for (const envelope of envelopesWithin(items, maxBytes, refuseTooLarge)) await send(envelope);
      summary.objects += page.records.length;
    }
    summary.pages++;
    // Records above the partner's clearance are skipped inside the store query; continueAfter passes them too.
    const moveTo = page.continueAfter ?? last?.dateAdded;
    if (moveTo !== undefined && moveTo > after) {
      after = moveTo;
      await deps.state.saveSinkCursor(sink.name, after, formatMicros(after));
    }
    if (!page.more) return summary;
  }
  summary.truncated = true;
  return summary;
}
