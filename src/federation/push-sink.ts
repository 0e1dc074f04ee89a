/**
 * One run of a sink: reads the local collection's records added since the stored cursor (every version, in
 * date_added order, with the sink's type filter and the highest TLP the partner may receive), POSTs each page
 * to the remote collection, follows the remote status until complete, records what the remote said about
 * each object, and only then moves the cursor. A page whose POST or status fails is sent again by the next
 * run (the remote treats exact duplicates as successes, TAXII 2.1 §5.5).
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
  const partner = sink.principal === undefined || collection === undefined ? MAX_TLP_RANK : maxTlpRankFor(config, sink.principal, collection);
  return Math.min(own, partner);
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
  while (summary.objects < sink.max_objects_per_run) {
    const limit = Math.min(sink.page_size, sink.max_objects_per_run - summary.objects);
    const page = await deps.store.read(
      sink.from,
      { after, limit, types: sink.filters.type ?? [], ids: [], versions: { all: true, first: false, last: false, exact: [] }, specVersions: [], maxTlpRank, ...(rules === undefined ? {} : { rules }) },
      true,
    );
    const last = page.records[page.records.length - 1];
    if (last !== undefined) {
      const objects: unknown[] = page.records.map((r) => JSON.parse(r.json ?? 'null') as unknown);
      const posted = await deps.client.addObjects(sink.collection, objects);
      const final = await deps.client.waitStatus(posted, sink.status_timeout_seconds * 1000);
      summary.statuses.push(final.id);
      const outcomes: ForwardOutcome[] = [
        ...final.successes.map((d) => ({ ...d, outcome: 'success' as const, statusId: final.id })),
        ...final.failures.map((d) => ({ ...d, outcome: 'failure' as const, statusId: final.id })),
        ...final.pendings.map((d) => ({ ...d, outcome: 'pending' as const, statusId: final.id })),
      ];
      await deps.state.recordOutcomes(sink.name, outcomes, formatMicros(Date.now() * 1000));
      summary.accepted += final.success_count;
      summary.refused += final.failure_count;
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
