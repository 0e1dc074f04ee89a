import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CollectionConfig } from '../../../src/config/types';
import { checkWritePolicy, hasWriteRules, type PolicySubject } from '../../../src/policy/write-policy';

interface Case {
  readonly name: string;
  readonly object: { id: string; type: string; createdByRef?: string; markingRefs: string[]; granular?: string[] };
  readonly expected: string | null;
}
interface Fixture {
  readonly writer: string;
  readonly collection: Partial<CollectionConfig>;
  readonly cases: readonly Case[];
}

const fixture = JSON.parse(readFileSync(path.join(__dirname, '../../fixtures/policy/write-rules.json'), 'utf8')) as Fixture;
const base: CollectionConfig = { id: 'c', api_root: 'r', title: 't', media_types: [], readers: [], writers: [] };
const collection: CollectionConfig = { ...base, ...fixture.collection };

function subject(o: Case['object']): PolicySubject {
  const json = JSON.stringify({
    id: o.id,
    type: o.type,
    ...(o.granular ? { granular_markings: o.granular.map((m) => ({ marking_ref: m, selectors: ['name'] })) } : {}),
  });
  return {
    id: o.id,
    type: o.type,
    markingRefs: o.markingRefs,
    json,
    ...(o.createdByRef === undefined ? {} : { createdByRef: o.createdByRef }),
  };
}

describe('checkWritePolicy', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('when the object is %s, then the fixture outcome follows', (_name, c) => {
    const refusal = checkWritePolicy(subject(c.object), collection, fixture.writer);
    expect(refusal?.code ?? null).toBe(c.expected);
    if (refusal) expect(refusal.message.length).toBeGreaterThan(10);
  });

  it('when a collection has no write rule, then hasWriteRules is false and every object passes', () => {
    expect(hasWriteRules(base)).toBe(false);
    for (const c of fixture.cases) expect(checkWritePolicy(subject(c.object), base, fixture.writer)).toBeUndefined();
  });

  it('when accepted_producers is set, then an unlisted producer is refused and a listed one passes', () => {
    const c: CollectionConfig = { ...base, accepted_producers: ['identity--5fa622d4-ac12-43f4-8db1-26837bd2b361'] };
    const o = (by: string): PolicySubject => ({ id: 'indicator--x', type: 'indicator', createdByRef: by, markingRefs: [], json: '{}' });
    expect(checkWritePolicy(o('identity--4f0cfc37-636e-4fbd-a198-1d4aeed995cc'), c, 'w')?.code).toBe('PRODUCER_NOT_ACCEPTED');
    expect(checkWritePolicy(o('identity--5fa622d4-ac12-43f4-8db1-26837bd2b361'), c, 'w')).toBeUndefined();
  });
});
