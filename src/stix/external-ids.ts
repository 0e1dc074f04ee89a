/**
 * The `external_id` forms STIX 2.1 §2.5.1 requires for the `cve` and `capec` sources, with the bare forms
 * producers write instead (`2015-2808`, `capec-66`, `163`). One table for the validator
 * (src/stix/conformance/object-checks.ts) and for the importers that put ids in that form.
 */
export interface ExternalIdForm {
  /** The form 2.1 requires. */
  readonly form: RegExp;
  /** A bare or lower-case writing of the same id; group 1 is the part after the prefix. */
  readonly bare: RegExp;
  readonly prefix: string;
  /** How the id is named in messages. */
  readonly label: string;
}

export const EXTERNAL_ID_FORMS: Readonly<Record<string, ExternalIdForm>> = {
  cve: { form: /^CVE-\d{4}-\d{4,}$/, bare: /^(?:cve-?)?(\d{4}-\d{4,})$/i, prefix: 'CVE-', label: 'CVE id' },
  capec: { form: /^CAPEC-\d+$/, bare: /^(?:capec-?)?(\d+)$/i, prefix: 'CAPEC-', label: 'CAPEC id' },
};

/**
 * The id of a `cve`/`capec` reference in the form 2.1 requires: as written when it already is, rewritten when it is
 * a bare or lower-case writing of one; undefined when it is neither (or the source has no required form).
 */
export function canonicalExternalId(source: string, id: string): string | undefined {
  const spec = EXTERNAL_ID_FORMS[source];
  if (spec === undefined) return undefined;
  if (spec.form.test(id)) return id;
  const bare = spec.bare.exec(id.trim());
  return bare?.[1] === undefined ? undefined : `${spec.prefix}${bare[1]}`;
}
