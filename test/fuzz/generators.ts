/**
 * Hostile-input generators shared by the fuzz tests (not a test file): the HTTP fuzz posts what they make, and
 * the worker fuzz hands the same objects straight to prepare and the store, so a throw surfaces there.
 */
import fc from 'fast-check';

/** Builds a valid STIX 2.1 indicator from a number (each test file has its own). */
export type BaseObject = (n: number) => Record<string, unknown>;

const STIX_TYPES = [
  'indicator',
  'malware',
  'relationship',
  'sighting',
  'observed-data',
  'identity',
  'marking-definition',
  'report',
  'note',
  'attack-pattern',
  'campaign',
  'file',
  'ipv4-addr',
  'domain-name',
  'url',
  'bundle',
  'x-custom-thing',
  'language-content',
  'Indicator',
  '',
  'indicator--',
  '__proto__',
];
const PROPERTIES = [
  'id',
  'type',
  'spec_version',
  'created',
  'modified',
  'pattern',
  'pattern_type',
  'pattern_version',
  'valid_from',
  'valid_until',
  'object_marking_refs',
  'created_by_ref',
  'granular_markings',
  'labels',
  'external_references',
  'kill_chain_phases',
  'hashes',
  'value',
  'name',
  'x_custom',
  'extensions',
  'objects',
  'first_observed',
  'last_observed',
  'number_observed',
  'source_ref',
  'target_ref',
  'relationship_type',
  'sighting_of_ref',
  'where_sighted_refs',
  'object_refs',
  'definition_type',
  'definition',
  'lang',
  'confidence',
  'revoked',
  'indicator_types',
  'is_family',
  'identity_class',
  'resolves_to_refs',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
];
const REF_TARGETS = ['indicator', 'identity', 'marking-definition', 'malware', 'file', 'x-thing', 'relationship', 'bundle'];

const hex = (len: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: len, maxLength: len });
const uuid: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(hex(8), hex(4), hex(3), fc.constantFrom('8', '9', 'a', 'b'), hex(3), hex(12))
    .map(([a, b, c, v, d, e]) => `${a}-${b}-4${c}-${v}${d}-${e}`),
  fc.uuid(),
  fc.constantFrom('00000000-0000-0000-0000-000000000000', 'not-a-uuid', '', 'ZZZZZZZZ-0000-4000-8000-000000000000'),
);
const idOf = (types: readonly string[]): fc.Arbitrary<string> => fc.tuple(fc.constantFrom(...types), uuid).map(([t, u]) => `${t}--${u}`);

/** RFC 3339 timestamps, near misses and junk. */
export const timestamp: fc.Arbitrary<string> = fc.oneof(
  fc
    .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc
    .tuple(
      fc.integer({ min: 0, max: 9999 }),
      fc.integer({ min: 0, max: 13 }),
      fc.integer({ min: 0, max: 32 }),
      fc.integer({ min: 0, max: 61 }),
      fc.string({ unit: fc.constantFrom('0', '9', '.', 'Z', '+', '-', ':'), maxLength: 12 }),
    )
    .map(
      ([y, mo, d, s, tail]) =>
        `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}T23:59:${String(s).padStart(2, '0')}${tail}`,
    ),
  fc.constantFrom(
    '2024-02-30T00:00:00Z',
    '2024-01-01',
    '2024-01-01T00:00:00',
    '2024-01-01T00:00:00.1234567890Z',
    '+002024-01-01T00:00:00Z',
    '',
  ),
);

const OBJECT_PATHS = [
  'ipv4-addr:value',
  'file:hashes.MD5',
  "file:hashes.'SHA-256'",
  'file:name',
  'domain-name:value',
  'url:value',
  'x-a:b[*].c',
  'network-traffic:src_ref.value',
  'email-message:from_ref.value',
  'file:size',
  'x:y[0]',
  'artifact:payload_bin',
  'a:b',
];
const OPERATORS = ['=', '!=', '<', '>', '<=', '>=', 'IN', 'LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET', 'NOT =', 'NOT IN', '=='];
const LITERALS = [
  "'1.2.3.4'",
  "'10.0.0.0/8'",
  "'d41d8cd98f00b204e9800998ecf8427e'",
  "'a''b'",
  "'\\\\'",
  "''",
  '42',
  '-1',
  '3.5',
  'true',
  "t'2024-01-01T00:00:00Z'",
  "b'AAAA'",
  "h'00ff'",
  "('a', 'b')",
  '()',
  "'%'",
  "'^(a+)+$'",
];

/** STIX patterns: mostly well-formed comparisons combined with AND/OR/FOLLOWEDBY and qualifiers, some broken. */
export const pattern: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(
      fc.tuple(
        fc.constantFrom(...OBJECT_PATHS),
        fc.constantFrom(...OPERATORS),
        fc.constantFrom(...LITERALS),
        fc.constantFrom(' AND ', ' OR '),
      ),
      { minLength: 1, maxLength: 4 },
    ),
    fc.array(fc.constantFrom(' AND ', ' OR ', ' FOLLOWEDBY '), { minLength: 0, maxLength: 2 }),
    fc.constantFrom(
      '',
      ' WITHIN 5 SECONDS',
      ' REPEATS 2 TIMES',
      " START t'2024-01-01T00:00:00Z' STOP t'2023-01-01T00:00:00Z'",
      ' WITHIN 0 SECONDS',
      ' REPEATS -1 TIMES',
    ),
    fc.constantFrom('', '(', ')', '[', ']', "'", ' AND', 'NOT '),
  )
  .map(([comparisons, joins, qualifier, noise]) => {
    const obs = (k: number): string => {
      const cs = comparisons.slice(0, Math.max(1, comparisons.length - k));
      return `[${cs.map(([p, op, lit], i) => `${p} ${op} ${lit}${i < cs.length - 1 ? (cs[i]?.[3] ?? ' AND ') : ''}`).join('')}]`;
    };
    let text = obs(0);
    joins.forEach((j, i) => (text = `${text}${j}${obs(i + 1)}`));
    return `${text}${qualifier}${noise}`;
  });

/** Values for a property: the kind it expects, a near miss, or anything. */
const value: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 2, arbitrary: timestamp },
  { weight: 2, arbitrary: idOf(REF_TARGETS) },
  { weight: 2, arbitrary: fc.array(idOf(REF_TARGETS), { maxLength: 3 }) },
  { weight: 2, arbitrary: pattern },
  { weight: 1, arbitrary: fc.constantFrom(1e308, -0, 2 ** 53 + 1, 0.1, '', ' ', '\u0000', '\ud800', 'x'.repeat(300)) },
  {
    weight: 1,
    arbitrary: fc.dictionary(
      fc.constantFrom('MD5', 'SHA-256', 'x', 'SHA-1', 'selector', 'marking_ref', 'source_name', 'url', 'kill_chain_name', 'phase_name'),
      fc.jsonValue({ maxDepth: 2 }),
      { maxKeys: 3 },
    ),
  },
  {
    weight: 1,
    arbitrary: fc.array(
      fc.record(
        { source_name: fc.string({ maxLength: 10 }), external_id: fc.string({ maxLength: 10 }), url: fc.webUrl() },
        { requiredKeys: [] },
      ),
      { maxLength: 2 },
    ),
  },
);

/** Sets a property even when its name is `__proto__` (an own, enumerable property, as JSON.parse would make it). */
function setOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, configurable: true, writable: true });
}

/** A valid object from `base`, then keys dropped or replaced by generated values. */
export function mutatedObject(base: BaseObject): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(
      fc.integer({ min: 1, max: 1_000_000 }),
      fc.array(fc.tuple(fc.constantFrom(...PROPERTIES), fc.option(value, { freq: 4 })), { maxLength: 4 }),
    )
    .map(([n, edits]) => {
      const o: Record<string, unknown> = { ...base(n) };
      for (const [k, v] of edits) {
        if (v === null) delete o[k];
        else setOwn(o, k, v);
      }
      return o;
    });
}

/** An object of a generated type, with a fitting or wrong id and a few generated properties. */
export const stixShapedObject: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    fc.constantFrom(...STIX_TYPES),
    fc.oneof(
      uuid.map((u) => ({ sameType: true, u })),
      idOf(STIX_TYPES).map((id) => ({ sameType: false, u: id })),
    ),
    fc.constantFrom('2.1', '2.0', '2.2', undefined, 2.1),
    timestamp,
    fc.array(fc.tuple(fc.constantFrom(...PROPERTIES), value), { maxLength: 6 }),
  )
  .map(([type, idPart, specVersion, created, props]) => {
    const o: Record<string, unknown> = { type, id: idPart.sameType ? `${type}--${idPart.u}` : idPart.u, created, modified: created };
    if (specVersion !== undefined) o['spec_version'] = specVersion;
    for (const [k, v] of props) setOwn(o, k, v);
    return o;
  });

/** One hostile object: mostly mutated valid objects, STIX-shaped generated ones, and anything JSON. */
export function hostileObject(base: BaseObject): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 4, arbitrary: mutatedObject(base) },
    { weight: 4, arbitrary: stixShapedObject },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  );
}

/** An envelope's objects: `min` (default 1) to `max` hostile objects, with repeats (same object twice, same id twice). */
export function hostileObjects(base: BaseObject, max = 5, min = 1): fc.Arbitrary<unknown[]> {
  return fc
    .tuple(fc.array(hostileObject(base), { minLength: Math.min(min, max), maxLength: max }), fc.boolean())
    .map(([objects, repeat]) => (repeat && objects.length > 0 ? [...objects, objects[0]] : objects));
}

/**
 * Failure messages begin with a SCREAMING_SNAKE code (`CODE at /path: …` from prepare, `CODE: …` from the
 * store and the write rules).
 */
export const FAILURE_MESSAGE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+(?: at .*)?: \S/s;
