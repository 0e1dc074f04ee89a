/**
 * STIX 2.1 and STIX 2.0 JSON documents → the objects to ingest. Nothing is converted here (except the repairs
 * of broken 2.0 values in src/mapping/stix20/import-repairs.ts): the ingest
 * pipeline validates, upgrades 2.0 to 2.1 and normalizes (docs/architecture.md), so a STIX import is the same as a
 * TAXII POST of the bundle, except for the repairs of 2.1 draft indicators (./import-repairs.ts). This reader only accepts the container shapes, reports elements that are not
 * STIX objects, and warns when the document is of the other STIX version than the one declared. Pure.
 */
import { SCO_TYPES } from '../../stix/identifiers';
import { issue, type ContentIssue } from '../../stix/issues';
import { readJsonInput } from '../common/json-input';
import { repairStix20Object } from '../stix20/import-repairs';
import { repairStix21Object } from './import-repairs';
import type { ImportOptions, ImportResult, StixObject } from '../types';

/** More objects than this in one document are refused (the pipeline handles one bundle per job). */
export const MAX_STIX_OBJECTS = 200_000;

type Version = '2.0' | '2.1';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function formatName(v: Version): string {
  return v === '2.1' ? 'STIX 2.1' : 'STIX 2.0';
}

function fail(issues: ContentIssue[]): ImportResult {
  return { objects: [], issues, stats: { indicators: 0, observables: 0, otherObjects: 0, skipped: 0 } };
}

/** The version an object (or its bundle) declares: 2.1 objects carry spec_version, 2.0 SDOs do not. */
function versionOf(o: Record<string, unknown>, bundleVersion: unknown): Version | undefined {
  if (o['spec_version'] === '2.1') return '2.1';
  if (o['spec_version'] === '2.0' || bundleVersion === '2.0') return '2.0';
  if (typeof o['type'] === 'string' && !SCO_TYPES.has(o['type']) && o['spec_version'] === undefined) return '2.0';
  return undefined;
}

function importStix2(input: string | Buffer, declared: Version): ImportResult {
  const format = formatName(declared);
  const code = declared === '2.1' ? 'STIX21_INVALID_JSON' : 'STIX20_INVALID_JSON';
  const read = readJsonInput(input, format, code);
  if (!read.ok) return fail([read.issue]);
  const doc = read.value;
  let list: unknown;
  let base = '/objects';
  let bundleVersion: unknown;
  if (Array.isArray(doc)) {
    list = doc;
    base = '';
  } else if (isRecord(doc)) {
    list = doc['objects'];
    bundleVersion = doc['spec_version'];
    // A lone object: an observed-data's own `objects` (the 2.0 dictionary) does not make it a container.
    const lone = typeof doc['type'] === 'string' && typeof doc['id'] === 'string' && doc['type'] !== 'bundle';
    if (lone && (list === undefined || doc['type'] === 'observed-data')) {
      list = [doc];
      base = '';
    }
  }
  if (!Array.isArray(list)) {
    const hint = isRecord(doc) && ('Event' in doc || 'response' in doc) ? ' (this looks like a MISP event: use format=misp)' : '';
    return fail([
      issue(
        'error',
        'STIX_NOT_A_BUNDLE',
        '/',
        `${format}: expected a bundle {"type":"bundle","objects":[...]}, a TAXII envelope or an array of objects${hint}`,
      ),
    ]);
  }
  if (list.length > MAX_STIX_OBJECTS) {
    return fail([issue('error', 'INPUT_TOO_LARGE', base || '/', `${format}: ${list.length} objects exceed ${MAX_STIX_OBJECTS}`)]);
  }
  const issues: ContentIssue[] = [];
  const objects: StixObject[] = [];
  let indicators = 0;
  let observables = 0;
  let skipped = 0;
  let otherVersion = 0;
  list.forEach((o, i) => {
    const path = `${base}/${i}`;
    if (!isRecord(o) || typeof o['type'] !== 'string' || typeof o['id'] !== 'string') {
      skipped++;
      issues.push(issue('error', 'STIX_NOT_AN_OBJECT', path, `${format}: element ${i} is not a STIX object (no string type and id)`));
      return;
    }
    const v = versionOf(o, bundleVersion);
    if (v !== undefined && v !== declared) otherVersion++;
    let obj: StixObject = { ...o, type: o['type'], id: o['id'] };
    // A document declared 2.0 gets the 2.0 repairs on every object, also those its producer labelled 2.1 by mistake
    // (the reference elevator's 2.0 idioms hold some): the repairs only make objects valid in both versions.
    if (v === '2.0' || declared === '2.0') {
      const repaired = repairStix20Object(obj, path);
      obj = repaired.object;
      issues.push(...repaired.issues);
    } else if (declared === '2.1') {
      const repaired = repairStix21Object(obj, path);
      obj = repaired.object;
      if (repaired.issue !== undefined) issues.push(repaired.issue);
    }
    if (obj.type === 'indicator') indicators++;
    else if (SCO_TYPES.has(obj.type)) observables++;
    objects.push(obj);
  });
  if (otherVersion > 0) {
    const other = declared === '2.1' ? '2.0' : '2.1';
    issues.push(
      issue(
        'warning',
        'STIX_VERSION_MISMATCH',
        base || '/',
        `${format} was declared but ${otherVersion} object(s) are STIX ${other}; the pipeline reads each object by its own version`,
      ),
    );
  }
  return { objects, issues, stats: { indicators, observables, otherObjects: objects.length - indicators - observables, skipped } };
}

/** A STIX 2.1 bundle, TAXII envelope, array of objects or single object. Never throws. */
export function importStix21(input: string | Buffer, _options?: ImportOptions): ImportResult {
  return importStix2(input, '2.1');
}

/** A STIX 2.0 bundle; objects stay 2.0 here and are upgraded by the pipeline. Never throws. */
export function importStix20(input: string | Buffer, _options?: ImportOptions): ImportResult {
  return importStix2(input, '2.0');
}
