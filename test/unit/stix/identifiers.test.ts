import fc from 'fast-check';
import { createHash } from 'node:crypto';
import {
  GATEWAY_ID_NAMESPACE,
  deterministicScoId,
  isIdOfType,
  isRfc4122Uuid,
  isRefKey,
  isRefListKey,
  isStixType,
  parseStixId,
  SCO_ID_NAMESPACE,
  STANDARD_TYPES,
  uuidV4From,
  uuidV5,
} from '../../../src/stix/identifiers';
import { derivedId } from '../../../src/mapping/common/stix-builders';
import { bundleIdOf } from '../../../src/mapping/stix21/export';

/** The RegExp-based parser parseStixId replaced (kept here as the reference it must agree with). */
const ID_RE = /^([a-z0-9-]{1,250})--([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
function referenceParse(id: string): { type: string; uuid: string } | undefined {
  if (id.length > 300) return undefined;
  const m = ID_RE.exec(id);
  if (!m || m[1] === undefined || m[2] === undefined) return undefined;
  if (!isStixType(m[1])) return undefined;
  return { type: m[1], uuid: m[2] };
}

const uuidLike = fc.stringMatching(/^[0-9a-fA-F-]{30,40}$/);
const typeLike = fc.stringMatching(/^[a-zA-Z0-9_-]{0,12}$/);
const idLike = fc.oneof(
  fc
    .tuple(
      typeLike,
      fc.constantFrom('--', '-', '---', '—'),
      fc.oneof(
        fc.uuid().map((u) => u.toLowerCase()),
        uuidLike,
      ),
    )
    .map(([t, sep, u]) => `${t}${sep}${u}`),
  fc.tuple(fc.constantFrom('indicator', 'x-a--b', 'a', 'ab', '-ab', 'ab-'), fc.uuid()).map(([t, u]) => `${t}--${u}`),
  fc.tuple(fc.integer({ min: 240, max: 260 }), fc.uuid()).map(([n, u]) => `${'a'.repeat(n)}--${u}`),
  fc.string({ maxLength: 60 }),
);

describe('parseStixId', () => {
  it('when given id-like text, then it agrees with the RegExp it replaced', () => {
    fc.assert(
      fc.property(idLike, (id) => expect(parseStixId(id)).toEqual(referenceParse(id))),
      { numRuns: 20000 },
    );
  });

  it.each([
    'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
    'indicator--8E2E2D2B-17d4-4cbf-938f-98ee46b3cd3f',
    'x-acme--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
    'x--acme--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
    '--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
    'in--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
    'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\n',
    'indicator--8e2e2d2b17d4-4cbf-938f-98ee46b3cd3f0',
  ])('when given %s, then it agrees with the RegExp it replaced', (id) => {
    expect(parseStixId(id)).toEqual(referenceParse(id));
  });
});

describe('isStixType', () => {
  it('when given a standard type, then the set it answers from agrees with the type-name rule', () => {
    const rule = /^[a-z0-9][a-z0-9-]{1,248}[a-z0-9]$/;
    for (const t of STANDARD_TYPES) expect(rule.test(t) && !t.includes('--')).toBe(true);
    expect(STANDARD_TYPES.size).toBe(42); // 19 SDOs, 2 SROs, 18 SCOs, 3 meta types
  });
});

describe('isIdOfType', () => {
  const typeOrOther = fc.oneof(typeLike, fc.constantFrom('indicator', 'x-a--b', 'a', 'ab', 'abc', 'domain-name'));
  it('when given an id and a type, then it says what parseStixId(id)?.type === type says', () => {
    fc.assert(
      fc.property(idLike, typeOrOther, fc.boolean(), (id, other, own) => {
        const type = own ? (id.split('--')[0] ?? other) : other;
        expect(isIdOfType(id, type)).toBe(parseStixId(id)?.type === type);
      }),
      { numRuns: 20000 },
    );
  });
});

describe('uuidV5', () => {
  /** The createHash-based implementation uuidV5 replaced (kept as the reference it must agree with). */
  function referenceUuidV5(name: string, namespace: string): string {
    const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
    const b = createHash('sha1').update(ns).update(Buffer.from(name, 'utf8')).digest().subarray(0, 16);
    b[6] = ((b[6] ?? 0) & 0x0f) | 0x50;
    b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
    const h = b.toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  it('when given the RFC 4122 DNS namespace and python.org, then it returns the known UUID', () => {
    expect(uuidV5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
  });

  it('when given any name and namespace, then it agrees with the createHash implementation', () => {
    const namespace = fc.oneof(fc.constantFrom(SCO_ID_NAMESPACE, GATEWAY_ID_NAMESPACE), fc.uuid());
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' })), namespace, (name, ns) => {
        expect(uuidV5(name, ns)).toBe(referenceUuidV5(name, ns));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('minted ids are RFC 4122 UUIDs', () => {
  const anyName = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }));
  const uuidOfId = (id: string): string => id.slice(id.length - 36);

  it('when any name is hashed by uuidV5 or uuidV4From, then the version and variant digits are RFC 4122 ones', () => {
    const namespace = fc.oneof(fc.constantFrom(SCO_ID_NAMESPACE, GATEWAY_ID_NAMESPACE), fc.uuid());
    fc.assert(
      fc.property(anyName, namespace, (name, ns) => {
        const v5 = uuidV5(name, ns);
        const v4 = uuidV4From(name, ns);
        expect(isRfc4122Uuid(v5) && v5.charAt(14) === '5').toBe(true);
        expect(isRfc4122Uuid(v4) && v4.charAt(14) === '4').toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('when the id builders of the mappers get any parts, then every id they mint holds an RFC 4122 UUID', () => {
    fc.assert(
      fc.property(fc.array(anyName, { maxLength: 4 }), anyName, (parts, value) => {
        expect(isRfc4122Uuid(uuidOfId(derivedId('observed-data', ...parts)))).toBe(true);
        expect(isRfc4122Uuid(uuidOfId(bundleIdOf(parts)))).toBe(true);
        const sco = deterministicScoId({ type: 'url', value });
        expect(sco !== undefined && isRfc4122Uuid(uuidOfId(sco))).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('when a UUID has a wrong variant or version digit, then isRfc4122Uuid says no', () => {
    expect(isRfc4122Uuid('c8c32b6e-4ea8-51c4-6446-0a6c1e0f9d21')).toBe(false);
    expect(isRfc4122Uuid('c8c32b6e-4ea8-01c4-8446-0a6c1e0f9d21')).toBe(false);
    expect(isRfc4122Uuid('c8c32b6e-4ea8-51c4-8446-0a6c1e0f9d21')).toBe(true);
  });
});

describe('isRefKey and isRefListKey', () => {
  it('when given any property name, then they say what endsWith("_ref") and endsWith("_refs") say', () => {
    const key = fc.oneof(
      fc.string(),
      fc.constantFrom('', 'f', 's', '_ref', '_refs', 'x_ref', 'x_refs', 'ref', 'refs', 'a_reff', 'created_by_ref'),
    );
    fc.assert(
      fc.property(key, (k) => {
        expect(isRefKey(k)).toBe(k.endsWith('_ref'));
        expect(isRefListKey(k)).toBe(k.endsWith('_refs'));
      }),
      { numRuns: 5000 },
    );
  });
});
