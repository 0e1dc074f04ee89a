/**
 * SDO values STIX 2.1 holds outside its own properties (MISP's `x_misp_*` of a vulnerability object, a rule's
 * `pattern_version`) that have a STIX 1 element: CVSS score and vector, CWE (also from a `cwe` external
 * reference), and the version of a Snort or YARA rule. The properties written here are not reported as unmapped.
 */
import { escapeXmlText as et } from '../common/xml';
import type { StixObject } from '../types';

/** Custom properties each SDO type writes as STIX 1 elements (left out of the unmapped report). */
export const EXTRAS_WRITTEN: Readonly<Record<string, ReadonlySet<string>>> = {
  vulnerability: new Set(['x_misp_cvss_score', 'x_misp_cvss_string', 'x_misp_cwe']),
};

const text = (o: StixObject, k: string): string | undefined => {
  const v = o[k];
  return typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : undefined;
};

/** A vulnerability's CVSS_Score element ('' when it has neither a decimal score nor a vector). */
export function cvssXml(o: StixObject): string {
  const score = text(o, 'x_misp_cvss_score');
  const vector = text(o, 'x_misp_cvss_string');
  const base = score !== undefined && /^\d{1,2}(\.\d+)?$/.test(score) ? `<et:Overall_Base_Score>${et(score)}</et:Overall_Base_Score>` : '';
  const vec = vector === undefined || vector === '' ? '' : `<et:Base_Vector>${et(vector)}</et:Base_Vector>`;
  return base === '' && vec === '' ? '' : `<et:CVSS_Score>${base}${vec}</et:CVSS_Score>`;
}

/** The CWE ids of a vulnerability: its `x_misp_cwe` and its `cwe` external references. */
export function cweIds(o: StixObject): string[] {
  const own = o['x_misp_cwe'];
  const listed = (Array.isArray(own) ? own : [own]).filter((x): x is string => typeof x === 'string');
  const refs = (Array.isArray(o['external_references']) ? o['external_references'] : []).flatMap((r: unknown) => {
    if (typeof r !== 'object' || r === null || Array.isArray(r)) return [];
    const rec = r as Record<string, unknown>;
    return String(rec['source_name']).toLowerCase() === 'cwe' && typeof rec['external_id'] === 'string' ? [rec['external_id']] : [];
  });
  return [...new Set([...listed, ...refs].map((x) => x.trim()).filter((x) => x !== ''))];
}

/** `et:Weakness` elements for a vulnerability's CWE ids. */
export function weaknessXml(o: StixObject): string {
  return cweIds(o)
    .map((id) => `<et:Weakness><et:CWE_ID>${et(id)}</et:CWE_ID></et:Weakness>`)
    .join('');
}

/** The rule version of a Snort or YARA indicator as the test mechanism's Version element ('' when none). */
export function ruleVersionXml(o: StixObject, prefix: 'snortTM' | 'yaraTM'): string {
  const v = text(o, 'pattern_version');
  return v === undefined || v === '' ? '' : `<${prefix}:Version>${et(v)}</${prefix}:Version>`;
}
