/**
 * MISP objects that describe something other than an observable (after misp-stix's documented mapping):
 * rule objects (`yara`, `sigma`, `suricata`, `snort`) become indicators in that pattern language,
 * `vulnerability` a vulnerability, `attack-pattern` / `course-of-action` those SDOs, `annotation` a note.
 * Relations without a property are kept as `x_misp_<relation>`. Pure: attributes in, SDO type and properties out.
 */
import { customPath } from './object-table';
import { bool, str, text, type JsonRecord } from './misp-json';

export interface SdoFromObject {
  readonly type: 'indicator' | 'vulnerability' | 'attack-pattern' | 'course-of-action' | 'note';
  readonly props: Record<string, unknown>;
}

const RULE_OBJECTS = new Set(['yara', 'sigma', 'suricata', 'snort']);

/** relation → values, in order, without deleted or empty attributes. */
function valuesByRelation(attrs: readonly JsonRecord[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const a of attrs) {
    const relation = text(a, 'object_relation');
    const value = str(a, 'value');
    if (bool(a, 'deleted') === true || relation === undefined || value === undefined || value.trim() === '') continue;
    out.set(relation, [...(out.get(relation) ?? []), value]);
  }
  return out;
}

/** The relations not consumed, as `x_misp_<relation>` (a list when repeated). */
function customs(values: ReadonlyMap<string, string[]>, used: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [relation, list] of values) {
    const key = used.includes(relation) ? undefined : customPath(undefined, relation);
    if (key !== undefined) out[key] = list.length === 1 ? list[0] : list;
  }
  return out;
}

function first(values: ReadonlyMap<string, string[]>, ...relations: string[]): string | undefined {
  for (const r of relations) {
    const v = values.get(r)?.[0];
    if (v !== undefined) return v;
  }
  return undefined;
}

function rule(name: string, values: ReadonlyMap<string, string[]>): SdoFromObject | undefined {
  const pattern = first(values, name);
  if (pattern === undefined) return undefined;
  const ruleName = first(values, `${name}-rule-name`, 'rule-name', 'name');
  const version = first(values, 'version');
  const comment = first(values, 'comment');
  const used = [name, `${name}-rule-name`, 'rule-name', 'name', 'version', 'comment'];
  return {
    type: 'indicator',
    props: {
      pattern,
      pattern_type: name,
      ...(version === undefined ? {} : { pattern_version: version }),
      ...(ruleName === undefined ? {} : { name: ruleName }),
      ...(comment === undefined ? {} : { description: comment }),
      ...customs(values, used),
    },
  };
}

function vulnerability(values: ReadonlyMap<string, string[]>): SdoFromObject | undefined {
  const id = first(values, 'id');
  if (id === undefined) return undefined;
  const cve = /^CVE-\d{4}-\d{4,7}$/i.test(id.trim()) ? id.trim().toUpperCase() : undefined;
  const links = (values.get('references') ?? []).filter((u) => /^https?:\/\/\S+$/.test(u)).map((url) => ({ source_name: 'url', url }));
  const description = first(values, 'summary', 'description');
  return {
    type: 'vulnerability',
    props: {
      name: cve ?? id.trim(),
      ...(description === undefined ? {} : { description }),
      ...(cve !== undefined || links.length > 0
        ? { external_references: [...(cve === undefined ? [] : [{ source_name: 'cve', external_id: cve }]), ...links] }
        : {}),
      ...customs(values, ['id', 'summary', 'description', ...(links.length > 0 ? ['references'] : [])]),
    },
  };
}

function named(type: 'attack-pattern' | 'course-of-action', values: ReadonlyMap<string, string[]>): SdoFromObject | undefined {
  const name = first(values, 'name');
  if (name === undefined) return undefined;
  const description = first(values, 'summary', 'description');
  const capec = type === 'attack-pattern' ? first(values, 'id') : undefined;
  return {
    type,
    props: {
      name,
      ...(description === undefined ? {} : { description }),
      ...(capec !== undefined && /^\d{1,6}$/.test(capec)
        ? { external_references: [{ source_name: 'capec', external_id: `CAPEC-${capec}` }] }
        : {}),
      ...customs(values, ['name', 'summary', 'description', ...(capec !== undefined && /^\d{1,6}$/.test(capec) ? ['id'] : [])]),
    },
  };
}

/** The SDO a non-observable MISP object becomes, or undefined for observable templates. */
export function sdoFromObject(name: string, attrs: readonly JsonRecord[]): SdoFromObject | undefined {
  const values = valuesByRelation(attrs);
  if (RULE_OBJECTS.has(name)) return rule(name, values);
  if (name === 'vulnerability') return vulnerability(values);
  if (name === 'attack-pattern' || name === 'course-of-action') return named(name, values);
  if (name === 'annotation') {
    const content = first(values, 'text');
    return content === undefined ? undefined : { type: 'note', props: { content, ...customs(values, ['text']) } };
  }
  return undefined;
}
