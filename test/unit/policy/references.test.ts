/**
 * Which ids an object's references name (src/policy/references.ts): the input of the reference rule.
 */
import { MAX_REFS, referencedIds } from '../../../src/policy/references';
import { hasProducer, reservedIdentityRefusal } from '../../../src/policy/producer';
import { loadConfigText } from '../../../src/config/load-config';

const SELF = 'report--00000000-0000-4000-8000-000000000001';
const A = 'indicator--00000000-0000-4000-8000-00000000000a';
const B = 'relationship--00000000-0000-4000-8000-00000000000b';
const MARK = 'marking-definition--00000000-0000-4000-8000-00000000000c';
const TLP_RED = 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1';
const US = 'identity--4f0cfc37-636e-4fbd-a198-1d4aeed995cc';

describe('referencedIds', () => {
  it('when refs sit at the top, in lists, nested in extensions and in granular markings, then each is found once', () => {
    const obj = {
      type: 'report',
      id: SELF,
      created_by_ref: US,
      object_refs: [A, B, A],
      object_marking_refs: [TLP_RED, MARK],
      granular_markings: [{ marking_ref: MARK, selectors: ['name'] }],
      extensions: { 'x-ext': { deep: { sample_ref: B } } },
      description: 'mentions indicator--00000000-0000-4000-8000-0000000000ff outside a reference',
    };
    const got = referencedIds(JSON.stringify(obj), SELF, new Set([US]));
    expect(got).toEqual({ ids: [A, B, MARK], overflow: false });
  });

  it('when the object names itself, an official TLP id or a public identity, then those are left out', () => {
    const obj = { id: SELF, created_by_ref: US, object_marking_refs: [TLP_RED], x_self_ref: SELF };
    expect(referencedIds(JSON.stringify(obj), SELF, new Set([US])).ids).toEqual([]);
  });

  it('when an object names more ids than the bound, then it reports the overflow', () => {
    const many = Array.from({ length: MAX_REFS + 5 }, (_, i) => `indicator--00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const got = referencedIds(JSON.stringify({ id: SELF, object_refs: many }), SELF, new Set());
    expect(got.overflow).toBe(true);
    expect(got.ids).toHaveLength(MAX_REFS);
  });
});

describe('producer rules', () => {
  it('when the object is an SCO or an official TLP definition, then it has no producer; SDOs, SROs and other markings have one', () => {
    expect(hasProducer('ipv4-addr', 'ipv4-addr--00000000-0000-4000-8000-000000000001')).toBe(false);
    expect(hasProducer('marking-definition', TLP_RED)).toBe(false);
    expect(hasProducer('marking-definition', MARK)).toBe(true);
    expect(hasProducer('indicator', A)).toBe(true);
    expect(hasProducer('relationship', B)).toBe(true);
  });

  it("when a principal writes another configured principal's identity object, then it is refused; its own is not", () => {
    const loaded = loadConfigText(
      `server: { title: T, default_api_root: r }
api_roots: [{ name: r, title: R, max_content_length: 4096 }]
collections: [{ id: 0f0e0d0c-0b0a-4909-8807-060504030201, api_root: r, title: C, readers: [a], writers: [a, b] }]
principals:
  - { name: a, identity: ${US}, credentials: [{ basic: { secret_env: A_PW } }] }
  - { name: b, identity: identity--5fa622d4-ac12-43f4-8db1-26837bd2b361, credentials: [{ basic: { secret_env: B_PW } }] }
`,
      't.yaml',
    );
    if (!loaded.config) throw new Error(JSON.stringify(loaded.issues));
    expect(reservedIdentityRefusal(loaded.config, 'identity', US, 'identity--5fa622d4-ac12-43f4-8db1-26837bd2b361')).toMatch(
      /^NOT_PRODUCER/,
    );
    expect(reservedIdentityRefusal(loaded.config, 'identity', US, US)).toBeUndefined();
    expect(reservedIdentityRefusal(loaded.config, 'identity', 'identity--00000000-0000-4000-8000-000000000009', US)).toBeUndefined();
  });
});
