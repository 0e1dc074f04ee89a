/**
 * MUST rules on one posted SDO, SRO or meta object that the JSON schemas cannot state and the prepare stage does
 * not check: an observed-data's `object_refs` name at least one SCO (§4.14), a marking definition does not mark
 * itself (§7.2), the external_id of `cve` and `capec` references (§2.5.1), the keys of a language-content's
 * `contents` (§7.1), an extension definition's
 * `extension_properties` (§7.3), and the time windows the OASIS validator
 * wants strictly ordered (a sighting's `last_seen`, a network-traffic `end`). Used by strict validation
 * (strict-checks.ts) on the posted objects; the codes are in rules.ts. Pure.
 */
import { type ContentIssue, issue } from '../issues';
import { typeOfStixId } from '../identifiers';
import { categoryOf } from '../semantic/stix-types';
import { EXTERNAL_ID_FORMS } from '../external-ids';

type Json = Record<string, unknown>;

const isJson = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** §2.12 / RFC 5646: a language tag (the schemas' `lang` form). */
export const LANGUAGE_TAG = /^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8}){0,8}$/;
/** §3.1: a property name. */
const PROPERTY_NAME = /^[a-z0-9_]{3,250}$/;

/** The checks of one posted object of any category (the SCO-only ones are in sco-checks.ts). */
export function objectIssues(obj: Json, type: string, id: string): ContentIssue[] {
  const out: ContentIssue[] = [];
  checkExternalIds(obj, id, out);
  if (type === 'observed-data') checkObservedRefs(obj, id, out);
  if (type === 'marking-definition') checkCircularMarking(obj, id, out);
  if (type === 'language-content') checkLanguageContents(obj, id, out);
  if (type === 'extension-definition') checkExtensionDefinition(obj, id, out);
  if (type === 'sighting') checkWindow(obj, id, ['first_seen', 'last_seen'], out);
  if (type === 'network-traffic') checkWindow(obj, id, ['start', 'end'], out);
  return out;
}

/**
 * §4.14: `object_refs`, when present, MUST hold at least one SCO reference. A custom type (neither SDO, SRO nor
 * meta object) may be a custom SCO and counts as one.
 */
function checkObservedRefs(obj: Json, id: string, out: ContentIssue[]): void {
  const refs = obj['object_refs'];
  if (!Array.isArray(refs) || refs.length === 0) return;
  const hasSco = refs.some((r: unknown) => {
    const t = typeof r === 'string' ? typeOfStixId(r) : undefined;
    if (t === undefined) return true; // a malformed reference is the schema's finding, not this one
    const c = categoryOf(t);
    return c === 'sco' || (c === 'custom' && t !== 'bundle');
  });
  if (!hasSco) {
    out.push(
      issue(
        'error',
        'OBSERVED_DATA_WITHOUT_SCO',
        '/object_refs',
        'object_refs of an observed-data must name at least one cyber-observable object (it names only SDOs or SROs)',
        id,
      ),
    );
  }
}

/** §7.2 (the OASIS validator's MUST): a marking definition MUST NOT mark itself, in object or granular markings. */
function checkCircularMarking(obj: Json, id: string, out: ContentIssue[]): void {
  const refs = obj['object_marking_refs'];
  if (Array.isArray(refs)) {
    refs.forEach((r: unknown, i) => {
      if (r === id) out.push(circular(`/object_marking_refs/${i}`, id));
    });
  }
  const granular = obj['granular_markings'];
  if (Array.isArray(granular)) {
    granular.forEach((g: unknown, i) => {
      if (isJson(g) && g['marking_ref'] === id) out.push(circular(`/granular_markings/${i}/marking_ref`, id));
    });
  }
}

const circular = (path: string, id: string): ContentIssue =>
  issue('error', 'MARKING_CIRCULAR_REF', path, 'a marking definition must not reference itself as its own marking', id);

/**
 * §7.1: each key of `contents` MUST be an RFC 5646 language tag, and each key of its dictionaries a property
 * name of the object translated (3–250 of a-z, 0-9 and `_`).
 */
function checkLanguageContents(obj: Json, id: string, out: ContentIssue[]): void {
  const contents = obj['contents'];
  if (!isJson(contents)) return;
  for (const [lang, translated] of Object.entries(contents)) {
    const at = `/contents/${lang.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (!LANGUAGE_TAG.test(lang)) {
      out.push(
        issue(
          'error',
          'LANGUAGE_CONTENT_INVALID_KEY',
          at,
          `contents key ${JSON.stringify(lang.slice(0, 40))} is not an RFC 5646 language tag`,
          id,
        ),
      );
    }
    if (!isJson(translated)) continue;
    for (const property of Object.keys(translated)) {
      if (PROPERTY_NAME.test(property)) continue;
      out.push(
        issue(
          'error',
          'LANGUAGE_CONTENT_INVALID_KEY',
          `${at}/${property.replace(/~/g, '~0').replace(/\//g, '~1')}`,
          `contents.${lang.slice(0, 20)} key ${JSON.stringify(property.slice(0, 40))} is not a property name (3–250 of a-z, 0-9, _)`,
          id,
        ),
      );
    }
  }
}

function checkExternalIds(obj: Json, id: string, out: ContentIssue[]): void {
  const refs = obj['external_references'];
  if (!Array.isArray(refs)) return;
  refs.forEach((r: unknown, i) => {
    if (!isJson(r) || typeof r['source_name'] !== 'string') return;
    // §2.5.1: the `external_id` of a `cve` reference is a CVE id, of a `capec` reference a CAPEC id.
    const form = EXTERNAL_ID_FORMS[r['source_name']]?.form;
    const external = r['external_id'];
    if (form === undefined || (typeof external === 'string' && form.test(external))) return;
    const shown = typeof external === 'string' ? JSON.stringify(external.slice(0, 60)) : 'missing';
    const why = `a ${r['source_name']} reference needs its ${r['source_name'] === 'cve' ? 'CVE id (CVE-YYYY-NNNN)' : 'CAPEC id (CAPEC-N)'} as external_id; it is ${shown}`;
    out.push(issue('error', 'EXTERNAL_ID_FORM', `/external_references/${i}/external_id`, why, id));
  });
}

/** §7.3: `extension_properties` MUST only be used when `extension_types` holds `toplevel-property-extension`. */
function checkExtensionDefinition(obj: Json, id: string, out: ContentIssue[]): void {
  const types = obj['extension_types'];
  if (obj['extension_properties'] === undefined || (Array.isArray(types) && types.includes('toplevel-property-extension'))) return;
  out.push(
    issue(
      'error',
      'EXTENSION_PROPERTIES_WITHOUT_TOPLEVEL',
      '/extension_properties',
      'extension_properties is only for an extension definition whose extension_types include toplevel-property-extension',
      id,
    ),
  );
}

/**
 * The OASIS validator requires a sighting's `last_seen` strictly later than `first_seen`, and a network-traffic
 * `end` strictly later than `start` (STIX 2.1's text allows them equal; an earlier value is LAST_SEEN_BEFORE_FIRST_SEEN
 * or NETWORK_TRAFFIC_END_BEFORE_START). Strict validation follows the validator: an equal pair is reported.
 */
function checkWindow(obj: Json, id: string, [first, last]: readonly [string, string], out: ContentIssue[]): void {
  const a = obj[first];
  const b = obj[last];
  if (typeof a !== 'string' || typeof b !== 'string') return;
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  if (Number.isNaN(ta) || Number.isNaN(tb) || ta !== tb) return;
  out.push(
    issue(
      'error',
      'EMPTY_TIME_WINDOW',
      `/${last}`,
      `${last} (${b.slice(0, 40)}) equals ${first}: the OASIS validator wants it strictly later (leave ${last} out for one instant)`,
      id,
    ),
  );
}
