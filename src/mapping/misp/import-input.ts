/**
 * The input side of the MISP importer: the mutable state of one import (objects, issues, counts) and the
 * location of the events in every accepted container form (`{"Event": ...}`, a bare event, a REST
 * `{"response": ...}`, object/attribute collections, a feed manifest).
 */
import { isUuid } from '../../stix/identifiers';
import { issue, type ContentIssue } from '../../stix/issues';
import type { ImportResult, StixObject } from '../types';
import { isRecord, records, text, type JsonRecord } from './misp-json';
import type { OutcomeCode } from '../../common/outcome-codes';

export interface Located {
  readonly event: JsonRecord;
  readonly pointer: string;
}

/** Mutable state of one import (across events). */
export class ImportState {
  readonly objects = new Map<string, StixObject>();
  readonly issues: ContentIssue[] = [];
  indicators = 0;
  observables = 0;
  skipped = 0;

  add(o: StixObject): void {
    if (!this.objects.has(o.id)) this.objects.set(o.id, o);
    if (o.type === 'indicator') this.indicators++;
    if (o.type === 'observed-data') this.observables++;
  }

  warn(code: OutcomeCode, path: string, message: string, objectId?: string): void {
    this.issues.push(issue('warning', code, path, message, objectId));
  }

  info(code: OutcomeCode, path: string, message: string, objectId?: string): void {
    this.issues.push(issue('info', code, path, message, objectId));
  }
}

export function finish(state: ImportState): ImportResult {
  const objects = [...state.objects.values()];
  return {
    objects,
    issues: state.issues,
    stats: {
      indicators: state.indicators,
      observables: state.observables,
      otherObjects: objects.length - state.indicators - state.observables,
      skipped: state.skipped,
    },
  };
}

function looksLikeEvent(r: JsonRecord): boolean {
  return typeof r['info'] === 'string' || Array.isArray(r['Attribute']) || Array.isArray(r['Object']);
}

/** Finds the events of every accepted container form; a feed manifest is reported entry by entry. */
export function locateEvents(doc: unknown, state: ImportState): Located[] | 'manifest' {
  if (Array.isArray(doc)) return locateInList(doc, '', state);
  if (!isRecord(doc)) return [];
  const ev = doc['Event'];
  if (isRecord(ev)) return [{ event: ev, pointer: '/Event' }];
  const response = doc['response'];
  if (Array.isArray(response)) return locateInList(response, '/response', state);
  if (isRecord(response)) {
    if (isRecord(response['Event'])) return [{ event: response['Event'], pointer: '/response/Event' }];
    if (Array.isArray(response['Attribute']) || Array.isArray(response['Object'])) {
      state.info('MISP_ATTRIBUTE_COLLECTION', '/response', 'attribute collection without an event: grouped into a synthetic grouping');
      return [{ event: response, pointer: '/response' }];
    }
  }
  if (looksLikeEvent(doc)) return [{ event: doc, pointer: '' }];
  const keys = Object.keys(doc);
  if (keys.length > 0 && keys.every((k) => isUuid(k.toLowerCase())) && keys.every((k) => isRecord(doc[k]))) {
    for (const k of keys) {
      const entry = doc[k];
      const info = isRecord(entry) ? (text(entry, 'info') ?? '(no title)') : '(no title)';
      const date = isRecord(entry) ? (text(entry, 'date') ?? 'no date') : 'no date';
      const orgc = isRecord(entry) && isRecord(entry['Orgc']) ? (text(entry['Orgc'], 'name') ?? 'unknown org') : 'unknown org';
      state.warn(
        'MISP_FEED_MANIFEST_ENTRY',
        `/${k}`,
        `feed manifest entry "${info.slice(0, 200)}" (${date}, ${orgc}): a manifest holds no attributes; import ${k}.json for its content`,
      );
      state.skipped++;
    }
    return 'manifest';
  }
  return [];
}

function locateInList(list: readonly unknown[], base: string, state: ImportState): Located[] {
  const out: Located[] = [];
  const loose: JsonRecord[] = [];
  list.forEach((item, i) => {
    if (!isRecord(item)) {
      state.warn('MISP_UNRECOGNIZED_ENTRY', `${base}/${i}`, 'entry is not a JSON object');
      return;
    }
    if (isRecord(item['Event'])) out.push({ event: item['Event'], pointer: `${base}/${i}/Event` });
    else if (isRecord(item['Object'])) loose.push(item['Object']);
    else if (isRecord(item['Attribute'])) loose.push({ Attribute: [item['Attribute']] });
    else if (looksLikeEvent(item)) out.push({ event: item, pointer: `${base}/${i}` });
    else state.warn('MISP_UNRECOGNIZED_ENTRY', `${base}/${i}`, 'entry is neither an event, an object nor an attribute');
  });
  if (loose.length > 0) {
    const objects = loose.filter((r) => !Array.isArray(r['Attribute']) || typeof r['name'] === 'string');
    const attributes = loose.filter((r) => !objects.includes(r)).flatMap((r) => records(r, 'Attribute'));
    state.info('MISP_ATTRIBUTE_COLLECTION', base, 'object/attribute collection without an event: grouped into a synthetic grouping');
    out.push({ event: { Object: objects, Attribute: attributes }, pointer: base });
  }
  return out;
}
