import { randomBytes } from 'node:crypto';
import { envelopesWithin } from '../../../src/federation/push-sink';
import { FederationState } from '../../../src/federation/federation-state';
import { startFakeTaxiiServer } from './fake-taxii-server';
import { FED_IDENT, PARTNER_PASSWORD, fedConfigYaml, fedIndicator, loadYaml, publish, startFedGateway } from './fed-gateway';

describe('envelopesWithin', () => {
  const item = (n: number, bytes: number): { id: string; json: string } => ({ id: `o${n}`, json: 'x'.repeat(bytes) });

  it('packs items in order into envelopes that serialize within the limit, and sets aside what cannot fit alone', () => {
    const refused: string[] = [];
    // {"objects":[]} is 14 bytes; each further item adds a comma
    const out = envelopesWithin([item(1, 40), item(2, 40), item(3, 100), item(4, 45), item(5, 40)], 100, (i) => refused.push(i.id));
    expect(out.map((e) => e.map((i) => i.id))).toEqual([
      ['o1', 'o2'],
      ['o4', 'o5'],
    ]);
    for (const e of out) expect(14 + e.reduce((a, i) => a + i.json.length, 0) + Math.max(0, e.length - 1)).toBeLessThanOrEqual(100);
    expect(refused).toEqual(['o3']);
  });

  it('without a limit, sends one envelope', () => {
    expect(envelopesWithin([item(1, 10), item(2, 10)], undefined, () => undefined)).toHaveLength(1);
  });
});

describe('federation sink against a remote with a small max_content_length', () => {
  it('when a page is larger than the remote accepts, then it goes in envelopes that fit, halves an envelope refused with 413, and records an object too large to send as refused', async () => {
    const gw = await startFedGateway(`tl${randomBytes(5).toString('hex')}`);
    // advertises 4 000 bytes but refuses anything over 2 500: the sink must also recover from 413
    const fake = await startFakeTaxiiServer({ maxContentLength: 4000, refuseBodiesOver: 2500 }, [], PARTNER_PASSWORD);
    try {
      const small = Array.from({ length: 12 }, (_, i) => fedIndicator(i + 1, FED_IDENT.local));
      const huge = fedIndicator(99, FED_IDENT.local, { description: 'd'.repeat(5000) });
      await publish(gw, [...small.slice(0, 6), huge, ...small.slice(6)]);
      const config = loadYaml(
        await fedConfigYaml(`sinks:
  - name: to-fake
    from: outbox
    url: ${fake.apiRoot}
    collection: ${fake.collectionId}
    schedule: 300
    page_size: 100
    auth: { basic: { username: partner, password_env: FED_PW } }
`),
      );
      const result = await gw.runner(config).run('sink', 'to-fake');
      if (!result.ran || !result.ok) throw new Error(`sink run failed: ${JSON.stringify(result)}`);
      expect(fake.posted.map((o) => o['id']).sort()).toEqual(small.map((o) => o['id']).sort());
      expect(fake.postSizes.some((s) => s > 2500)).toBe(true); // a 413 happened and was recovered from
      expect(result.summary.accepted).toBe(12);
      expect(result.summary.refused).toBe(1);
      const outcomes = await new FederationState(gw.redis, gw.keys).recentOutcomes('to-fake', 50);
      const refused = outcomes.find((o) => o.id === huge['id']);
      expect(refused?.outcome).toBe('failure');
      expect(refused?.message).toMatch(/not sent: \d+ bytes of JSON, more than the remote accepts/);
      // the cursor moved past everything: a second run sends nothing again
      const again = await gw.runner(config).run('sink', 'to-fake');
      if (!again.ran || !again.ok) throw new Error(`second sink run failed: ${JSON.stringify(again)}`);
      expect(again.summary.objects).toBe(0);
    } finally {
      await fake.close();
      await gw.close();
    }
  }, 60_000);
});
