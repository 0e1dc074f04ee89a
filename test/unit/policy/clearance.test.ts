import { loadConfigText } from '../../../src/config/load-config';
import type { GatewayConfig } from '../../../src/config/types';
import { maxTlpRankFor, readerClearance } from '../../../src/policy/clearance';
import { recordTlpRank } from '../../../src/policy/record-rank';

const HASH = 'scrypt$N=16384,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

function config(readers: string, principalCap = ''): GatewayConfig {
  const text = `
server: { title: T }
api_roots: [{ name: r, title: R, max_content_length: 4096 }]
collections:
  - { id: 7b6a2876-79b0-4950-ab05-df1f09fd258b, api_root: r, title: C, readers: ${readers}, writers: [] }
principals:
  - { name: a, identity: identity--4f0cfc37-636e-4fbd-a198-1d4aeed995cc, credentials: [{ basic: { hash: "${HASH}" } }]${principalCap} }
  - { name: b, identity: identity--5fa622d4-ac12-43f4-8db1-26837bd2b361, credentials: [{ basic: { hash: "${HASH}" } }] }
`;
  const loaded = loadConfigText(text, 't.yaml');
  if (!loaded.config) throw new Error(JSON.stringify(loaded.issues));
  return loaded.config;
}

describe('readerClearance', () => {
  it.each([
    ['a plain reader without a cap', '[a]', '', undefined, 4],
    ['a reader entry with max_tlp amber', '[{ name: a, max_tlp: amber }]', '', 'amber', 2],
    ['a principal capped at green reading an amber entry', '[{ name: a, max_tlp: amber }]', ', max_tlp: green', 'green', 1],
    ['a principal capped at red reading a clear entry', '[{ name: a, max_tlp: clear }]', ', max_tlp: red', 'clear', 0],
    ['a TLP 1.0 white entry (same as clear)', '[{ name: a, max_tlp: white }]', '', 'clear', 0],
    ['a reader entry without max_tlp', '[{ name: a }, b]', '', undefined, 4],
  ] as const)('when %s, then the clearance is the stricter of the two', (_name, readers, cap, level, rank) => {
    const cfg = config(readers, cap);
    const c = cfg.collections[0];
    if (!c) throw new Error('no collection');
    expect(readerClearance(cfg, 'a', c)).toBe(level);
    expect(maxTlpRankFor(cfg, 'a', c)).toBe(rank);
    expect(c.readers).toContain('a');
  });

  it('when the same principal is listed twice in two forms, then the config is refused', () => {
    const text = `
server: { title: T }
api_roots: [{ name: r, title: R, max_content_length: 4096 }]
collections:
  - { id: 7b6a2876-79b0-4950-ab05-df1f09fd258b, api_root: r, title: C, readers: [a, { name: a, max_tlp: red }], writers: [] }
principals:
  - { name: a, identity: identity--4f0cfc37-636e-4fbd-a198-1d4aeed995cc, credentials: [{ basic: { hash: "${HASH}" } }] }
`;
    const loaded = loadConfigText(text, 't.yaml');
    expect(loaded.config).toBeUndefined();
    expect(loaded.issues.map((i) => i.code)).toContain('DUPLICATE_ITEM');
  });
});

describe('recordTlpRank', () => {
  it.each([
    ['an unmarked indicator', 'indicator', [], '{}', 2],
    ['an unmarked marking definition', 'marking-definition', [], '{}', 0],
    ['TLP 1.0 WHITE', 'indicator', ['marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9'], '{}', 0],
    ['TLP 2.0 AMBER+STRICT', 'indicator', ['marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003'], '{}', 3],
    ['a non-TLP marking only (unmarked for TLP)', 'indicator', ['marking-definition--0b1fd9e8-6b1e-4a0f-9a42-3c2e1d7f5a01'], '{}', 2],
    [
      'GREEN with a RED granular marking',
      'indicator',
      ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'],
      '{"granular_markings":[{"marking_ref":"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1","selectors":["name"]}]}',
      4,
    ],
  ] as const)('when the object is %s, then its rank follows the strictest TLP', (_name, type, refs, json, rank) => {
    expect(recordTlpRank(type, refs, json)).toBe(rank);
  });
});
