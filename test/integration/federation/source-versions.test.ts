/**
 * A source mirrors the partner's history, not only the latest version of each object (issue: against a
 * TAXII server that answers the latest version by default, the source pulled 5 of the partner's 8 objects).
 * The fake remote answers like such a server: without match[version] only the latest version of each object.
 */
import { randomBytes } from 'node:crypto';
import { startFakeTaxiiServer } from './fake-taxii-server';
import { FED_COLL, FED_IDENT, PARTNER_PASSWORD, allRecords, fedConfigYaml, fedIndicator, loadYaml, startFedGateway } from './fed-gateway';

function version(n: number, v: number): Record<string, unknown> {
  const modified = `2024-01-0${v + 1}T00:00:00.000Z`;
  return fedIndicator(n, FED_IDENT.partner, { modified, name: `federated indicator ${n}, version ${v + 1}` });
}

describe('federation source and object versions', () => {
  it('when the remote holds several versions per object, then every version arrives, once, even across pages and runs', async () => {
    const gw = await startFedGateway(`tv${randomBytes(5).toString('hex')}`);
    // 5 objects, 8 versions: object 1 has 3 versions, object 2 has 2, the others 1 (as in the trial)
    const remote = [version(1, 0), version(2, 0), version(3, 0), version(1, 1), version(4, 0), version(2, 1), version(5, 0), version(1, 2)];
    const fake = await startFakeTaxiiServer({}, remote, PARTNER_PASSWORD);
    try {
      const yaml = `sources:
  - name: partner
    url: ${fake.apiRoot}
    collection: ${fake.collectionId}
    into: inbox
    schedule: 60
    page_size: 3
    auth: { basic: { username: partner, password_env: FED_PW } }
`;
      const config = loadYaml(await fedConfigYaml(yaml));
      const first = await gw.runner(config).run('source', 'partner');
      if (!first.ran || !first.ok) throw new Error(JSON.stringify(first));
      expect(first.summary.objects).toBe(8);
      expect(fake.requests.every((q) => q.includes('match%5Bversion%5D=all'))).toBe(true);
      // a later version published after the first run comes with the next run; nothing is pulled twice
      fake.add([version(3, 1)]);
      const second = await gw.runner(config).run('source', 'partner');
      if (!second.ran || !second.ok) throw new Error(JSON.stringify(second));
      expect(second.summary.objects).toBe(1);
      await gw.settle([...first.summary.statuses, ...second.summary.statuses]);
      const stored = await allRecords(gw.store, FED_COLL.inbox);
      const key = (id: unknown, modified: unknown): string => `${String(id)}|${String(modified)}`;
      expect(stored.map((r) => key(r.json['id'], r.json['modified'])).sort()).toEqual(
        [...remote, version(3, 1)].map((o) => key(o['id'], o['modified'])).sort(),
      );
    } finally {
      await fake.close();
      await gw.close();
    }
  }, 120_000);
});
