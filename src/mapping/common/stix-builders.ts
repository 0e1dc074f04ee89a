/**
 * Small builders shared by the importers so every format emits the same STIX 2.1 shapes.
 */
import { GATEWAY_ID_NAMESPACE, uuidV5 } from '../../stix/identifiers';
import type { StixObject } from '../types';

/** A deterministic id for content derived from a native record (same input → same id on re-import). */
export function derivedId(type: string, ...parts: readonly string[]): string {
  return `${type}--${uuidV5(parts.join('\u0000'), GATEWAY_ID_NAMESPACE)}`;
}

/** An organization identity with a deterministic id derived from its name (when the source gives no id). */
export function organizationIdentity(name: string, created: string, id?: string): StixObject {
  return {
    type: 'identity',
    spec_version: '2.1',
    id: id ?? derivedId('identity', 'organization', name.trim().toLowerCase()),
    created,
    modified: created,
    name,
    identity_class: 'organization',
  };
}

export interface IndicatorFields {
  readonly id: string;
  readonly pattern: string;
  readonly created: string;
  readonly modified?: string;
  readonly valid_from?: string;
  readonly pattern_type?: string;
  readonly name?: string;
  readonly description?: string;
  readonly indicator_types?: readonly string[];
  readonly valid_until?: string;
  readonly created_by_ref?: string;
  readonly object_marking_refs?: readonly string[];
  readonly labels?: readonly string[];
  readonly confidence?: number;
  readonly kill_chain_phases?: readonly { kill_chain_name: string; phase_name: string }[];
  readonly external_references?: readonly Record<string, unknown>[];
  /** Extra (x_ prefixed) properties. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** A STIX 2.1 indicator with only the properties that are set (no undefined keys). */
export function indicator(f: IndicatorFields): StixObject {
  const o: Record<string, unknown> = {
    type: 'indicator',
    spec_version: '2.1',
    id: f.id,
    created: f.created,
    modified: f.modified ?? f.created,
  };
  const optional: Record<string, unknown> = {
    name: f.name,
    description: f.description,
    indicator_types: f.indicator_types && f.indicator_types.length > 0 ? [...f.indicator_types] : undefined,
    pattern: f.pattern,
    pattern_type: f.pattern_type ?? 'stix',
    valid_from: f.valid_from ?? f.created,
    valid_until: f.valid_until,
    created_by_ref: f.created_by_ref,
    object_marking_refs: f.object_marking_refs && f.object_marking_refs.length > 0 ? [...f.object_marking_refs] : undefined,
    labels: f.labels && f.labels.length > 0 ? [...f.labels] : undefined,
    confidence: f.confidence,
    kill_chain_phases: f.kill_chain_phases && f.kill_chain_phases.length > 0 ? f.kill_chain_phases.map((k) => ({ ...k })) : undefined,
    external_references: f.external_references && f.external_references.length > 0 ? [...f.external_references] : undefined,
    ...f.extra,
  };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) o[k] = v;
  return o as StixObject;
}
