import { canRead, canWrite, isVisible } from '../../../src/auth/permissions';
import type { AuthenticatedPrincipal } from '../../../src/auth/types';
import type { CollectionConfig } from '../../../src/config/types';

function collection(alias: string, readers: string[], writers: string[]): CollectionConfig {
  return {
    id: '11111111-1111-4111-8111-111111111111',
    api_root: 'root-a',
    alias,
    title: alias,
    media_types: ['application/stix+json;version=2.1'],
    readers,
    writers,
  };
}

const US: AuthenticatedPrincipal = { name: 'us-cert', identity: 'identity--22222222-2222-4222-8222-222222222222', admin: false };
const RU: AuthenticatedPrincipal = { name: 'ru-cert', identity: 'identity--55555555-5555-4555-8555-555555555555', admin: false };
const OPERATOR: AuthenticatedPrincipal = { name: 'operator', identity: 'identity--66666666-6666-4666-8666-666666666666', admin: true };

const US_FEED = collection('us-feed', ['ru-cert'], ['us-cert']);
const JOINT = collection('joint', ['us-cert', 'ru-cert'], ['us-cert', 'ru-cert']);
const OPS = collection('ops', [], ['operator']);

describe('permissions', () => {
  const principals = new Map([US, RU, OPERATOR].map((p) => [p.name, p]));
  const collections = new Map([US_FEED, JOINT, OPS].map((c) => [c.alias, c]));

  it.each([
    // principal, collection, read, write, visible
    ['us-cert', 'us-feed', false, true, true],
    ['ru-cert', 'us-feed', true, false, true],
    ['operator', 'us-feed', true, false, true],
    ['us-cert', 'joint', true, true, true],
    ['ru-cert', 'joint', true, true, true],
    ['operator', 'joint', true, false, true],
    ['us-cert', 'ops', false, false, false],
    ['ru-cert', 'ops', false, false, false],
    ['operator', 'ops', true, true, true],
  ])('when %s meets collection %s, then read=%s write=%s visible=%s', (name, alias, read, write, visible) => {
    const p = principals.get(name);
    const c = collections.get(alias);
    if (!p || !c) throw new Error('bad table row');
    expect([canRead(p, c), canWrite(p, c), isVisible(p, c)]).toEqual([read, write, visible]);
  });

  it('when an admin is not listed as a writer, then the admin cannot write', () => {
    expect(canWrite(OPERATOR, JOINT)).toBe(false);
    expect(canRead(OPERATOR, JOINT)).toBe(true);
  });
});
