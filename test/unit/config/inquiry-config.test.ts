import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { INQUIRY_DEADLINE_DEFAULTS, durationSeconds } from '../../../src/config/inquiry-config';
import { loadConfigText } from '../../../src/config/load-config';

const INQ = '3b2c1d0e-9f8a-4b7c-8d6e-5f4a3b2c1d0e';

function yaml(inquiries: string): string {
  return `
server: { title: T }
api_roots: [{ name: root, title: Root, max_content_length: 4096 }]
collections:
  - { id: ${INQ}, api_root: root, alias: inq, title: Inquiries, readers: [a, b], writers: [] }
principals:
  - { name: a, identity: identity--4f0cfc37-636e-4fbd-a198-1d4aeed995cc, credentials: [{ basic: generate }] }
  - { name: b, identity: identity--5fa622d4-ac12-43f4-8db1-26837bd2b361, credentials: [{ basic: generate }] }
${inquiries}`;
}

describe('inquiries: section of collections.yaml', () => {
  it('when a channel names its collection by alias and one urgency is given, then the others keep their defaults', () => {
    const r = loadConfigText(
      yaml(`inquiries:
  urgency: { urgent: { acknowledge_within: 15m, answer_within: 2h, remind_before: 5m } }
  channels: [{ collection: inq, authorities: [a, b], tlp: red }]`),
      't.yaml',
    );
    expect(r.issues).toEqual([]);
    expect(r.config?.inquiries.channels).toEqual([{ collection: INQ, authorities: ['a', 'b'], tlp: 'red' }]);
    expect(r.config?.inquiries.urgency.urgent).toEqual({
      acknowledge_within_seconds: 900,
      answer_within_seconds: 7200,
      remind_before_seconds: 300,
    });
    expect(r.config?.inquiries.urgency.routine).toEqual(INQUIRY_DEADLINE_DEFAULTS.routine);
    expect(r.config?.inquiries.partner_keys).toEqual([]);
  });

  it('when the file has no inquiries section, then there are no channels', () => {
    const r = loadConfigText(yaml(''), 't.yaml');
    expect(r.config?.inquiries.channels).toEqual([]);
  });

  it('when durations are written with each unit, then they convert to seconds; anything else is refused', () => {
    expect([durationSeconds('45s'), durationSeconds('30m'), durationSeconds('4h'), durationSeconds('7d')]).toEqual([
      45, 1800, 14400, 604800,
    ]);
    expect([durationSeconds('0m'), durationSeconds('4 h'), durationSeconds('1w')]).toEqual([undefined, undefined, undefined]);
  });

  it('when the README demo config (examples/inquiry-demo.yaml) is loaded with its webhook secret set, then it has no problem and one channel', () => {
    const file = resolve(__dirname, '../../../examples/inquiry-demo.yaml');
    const r = loadConfigText(readFileSync(file, 'utf8'), file, { env: { RU_INQUIRY_HOOK_SECRET: 'demo' } });
    expect(r.issues).toEqual([]);
    expect(r.config?.inquiries.channels.map((c) => c.authorities)).toEqual([['us-cert', 'ru-cert']]);
    expect(r.config?.inquiries.contacts['ru-cert']?.escalation.map((c) => c.name)).toEqual(['ru-chief']);
  });
});
