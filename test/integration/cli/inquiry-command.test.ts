import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inquiryCommand } from '../../../src/main/commands/inquiry';
import type { CliIo } from '../../../src/main/cli-types';
import { signerFor } from '../../../src/inquiries/signature';
import { exportPublicKey } from '../../../src/inquiries/signing-key';
import type { HarnessGateway } from '../../helpers/gateway';
import { ID, PASSWORDS, startInquiryGateway } from '../../api/inquiry-gateway';

const signer = signerFor(generateKeyPairSync('ed25519').privateKey);
let gw: HarnessGateway;
let dir: string;

beforeAll(async () => {
  gw = await startInquiryGateway({ inquirySigner: signer });
  dir = mkdtempSync(path.join(os.tmpdir(), 'inquiry-cli-'));
  writeFileSync(path.join(dir, 'hub.pub.pem'), exportPublicKey(signer.publicKey));
});

afterAll(async () => {
  await gw.close();
  rmSync(dir, { recursive: true, force: true });
});

async function cli(argv: string[], user?: string): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    env: user === undefined ? {} : { GATEWAY_URL: gw.base, GATEWAY_USER: user, GATEWAY_PASSWORD: PASSWORDS[user] },
    readStdin: () => Promise.resolve(Buffer.alloc(0)),
  };
  const code = await inquiryCommand(argv, io);
  return { code, out: out.join(''), err: err.join('') };
}

describe('taxii-gateway inquiry', () => {
  it('when an inquiry is opened, acknowledged, answered and closed from the CLI, then verify checks the saved thread offline and detects a tampered copy', async () => {
    const opened = await cli(
      [
        'open',
        '--to',
        'ru-cert',
        '--subject',
        'Phishing wave',
        '--description',
        'Lures in your language.',
        '--urgency',
        'priority',
        '--action',
        'mitigation',
      ],
      'us-cert',
    );
    expect(opened.code).toBe(0);
    const id = String((JSON.parse(opened.out) as Record<string, unknown>)['id']);
    expect((await cli(['ack', id, '--lang', 'ru', '--text', 'Получено'], 'ru-cert')).code).toBe(0);
    expect((await cli(['answer', id, '--text', 'Domains suspended.', '--translation', 'ru=Домены заблокированы.'], 'ru-cert')).code).toBe(
      0,
    );
    const early = await cli(['close', id], 'ru-cert');
    expect(early.code).toBe(1);
    expect(early.err).toContain('INQUIRY_WRONG_PARTY');
    expect((await cli(['close', id], 'us-cert')).code).toBe(0);
    const listed = await cli(['list', '--state', 'closed'], 'ru-cert');
    expect(listed.out).toContain(id);

    const shown = await cli(['show', id, '--bundle'], 'ru-cert');
    expect(shown.code).toBe(0);
    const file = path.join(dir, 'thread.json');
    writeFileSync(file, shown.out);
    const keys = ['--key', `${ID.us}=${path.join(dir, 'hub.pub.pem')}`, '--key', `${ID.ru}=${path.join(dir, 'hub.pub.pem')}`];
    const ok = await cli(['verify', file, ...keys]);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain(`${id}: OK 4 messages, state closed`);

    const tampered = readFileSync(file, 'utf8').replace('Domains suspended.', 'Nothing was done.');
    writeFileSync(path.join(dir, 'tampered.json'), tampered);
    const bad = await cli(['verify', path.join(dir, 'tampered.json'), ...keys]);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('FAILED');
    expect(bad.out).toContain('SIGNATURE_INVALID');

    // The right key bound to only one authority: the other side's messages are forgeries.
    const oneSided = await cli(['verify', file, '--key', `${ID.us}=${path.join(dir, 'hub.pub.pem')}`]);
    expect(oneSided.code).toBe(1);
    expect(oneSided.out).toContain('SIGNATURE_FORGED_AUTHORITY');
  });

  it('when verify gets no key, then it is a usage error', async () => {
    writeFileSync(path.join(dir, 'empty.json'), '[]');
    expect((await cli(['verify', path.join(dir, 'empty.json')])).code).toBe(2);
  });
});
