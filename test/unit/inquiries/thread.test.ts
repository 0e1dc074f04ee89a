import { generateKeyPairSync } from 'node:crypto';
import {
  INQUIRY_EXTENSION_DEFINITION,
  INQUIRY_EXTENSION_ID,
  type MessageRef,
  type StixJson,
  buildIncident,
  buildNote,
  buildTranslation,
} from '../../../src/inquiries/model';
import { Keyring, type Signer, objectDigest, signObject, signerFor } from '../../../src/inquiries/signature';
import type { InquiryAction, InquiryState } from '../../../src/inquiries/state-machine';
import { foldThread } from '../../../src/inquiries/thread';
import { prepareObjects } from '../../../src/stix/prepare';
import { TLP2_IDS } from '../../../src/stix/markings';

const US = 'identity--4f0cfc37-636e-4fbd-a198-1d4aeed995cc';
const RU = 'identity--5fa622d4-ac12-43f4-8db1-26837bd2b361';
const INCIDENT = 'incident--6c1f7e1a-2b3c-4d5e-8f70-0a1b2c3d4e5f';

const usKey = signerFor(generateKeyPairSync('ed25519').privateKey);
const ruKey = signerFor(generateKeyPairSync('ed25519').privateKey);
/** Two gateways: each key signs only for its own authority. */
const keyring = new Keyring([
  { keyId: usKey.keyId, publicKey: usKey.publicKey, identities: new Set([US]) },
  { keyId: ruKey.keyId, publicKey: ruKey.publicKey, identities: new Set([RU]) },
]);

function incident(): StixJson {
  return signObject(
    buildIncident({
      id: INCIDENT,
      time: '2026-12-07T10:00:00.000Z',
      asking: US,
      asked: RU,
      subject: 'Scanning',
      description: 'What do you know?',
      lang: 'en',
      urgency: 'urgent',
      requestedAction: 'information',
      acknowledgeBy: '2026-12-07T10:30:00.000Z',
      answerBy: '2026-12-07T14:00:00.000Z',
      evidenceRefs: ['indicator--00000000-0000-4000-8000-000000000001'],
      withheldEvidenceCount: 1,
      markingRef: TLP2_IDS.amber,
    }),
    usKey,
  );
}

function ref(o: StixJson): MessageRef {
  return { object_ref: String(o['id']), object_modified: String(o['modified']), sha256: objectDigest(o) };
}

function note(n: number, prev: StixJson, action: InquiryAction, state: InquiryState, author: string, key: Signer): StixJson {
  return signObject(
    buildNote({
      id: `note--6c1f7e1a-2b3c-4d5e-8f70-${String(n).padStart(12, '0')}`,
      time: `2026-12-07T10:0${n}:00.000Z`,
      author,
      inquiryRef: INCIDENT,
      action,
      state,
      content: `${action} text`,
      lang: author === RU ? 'ru' : 'en',
      inReplyTo: ref(prev),
      markingRef: TLP2_IDS.amber,
    }),
    key,
  );
}

function fullThread(): StixJson[] {
  const inc = incident();
  const ack = note(1, inc, 'acknowledge', 'acknowledged', RU, ruKey);
  const answer = note(2, ack, 'answer', 'answered', RU, ruKey);
  const close = note(3, answer, 'close', 'closed', US, usKey);
  const tr = signObject(
    buildTranslation({
      id: 'language-content--6c1f7e1a-2b3c-4d5e-8f70-000000000009',
      time: String(answer['modified']),
      author: RU,
      inquiryRef: INCIDENT,
      objectRef: String(answer['id']),
      objectModified: String(answer['modified']),
      contents: { en: { content: 'answer in English' } },
      markingRef: TLP2_IDS.amber,
    }),
    ruKey,
  );
  return [inc, ack, answer, close, tr];
}

function extOf(o: StixJson): Record<string, unknown> {
  return (o['extensions'] as Record<string, Record<string, unknown>>)[INQUIRY_EXTENSION_ID] ?? {};
}

describe('inquiry thread and signatures', () => {
  it('when the thread is whole and signed by the right keys, then it folds to closed with no issue, in any storage order', () => {
    const objects = fullThread();
    const t = foldThread(INCIDENT, [...objects].reverse(), keyring);
    expect(t?.state).toBe('closed');
    expect(t?.issues).toEqual([]);
    expect(t?.messages.map((m) => [m.action, m.party])).toEqual([
      ['open', 'asking'],
      ['acknowledge', 'asked'],
      ['answer', 'asked'],
      ['close', 'asking'],
    ]);
    expect(t?.messages[1]?.keyId).toBe(ruKey.keyId);
    expect(t?.objects.map((o) => o['type'])).toEqual(['incident', 'note', 'note', 'note', 'language-content']);
  });

  it('when one character of a signed note is changed, then SIGNATURE_INVALID names it and the thread stops before it', () => {
    const objects = fullThread();
    const answer = objects[2] ?? {};
    objects[2] = { ...answer, content: 'A different answer' };
    const t = foldThread(INCIDENT, objects, keyring);
    expect(t?.issues).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'SIGNATURE_INVALID', objectId: answer['id'] })]));
    expect(t?.state).toBe('acknowledged');
  });

  it("when a note of one authority is signed by the other authority's gateway, then SIGNATURE_FORGED_AUTHORITY", () => {
    const inc = incident();
    const forged = note(1, inc, 'acknowledge', 'acknowledged', RU, usKey);
    const t = foldThread(INCIDENT, [inc, forged], keyring);
    expect(t?.issues.map((i) => i.code)).toContain('SIGNATURE_FORGED_AUTHORITY');
    expect(t?.state).toBe('open');
  });

  it('when the signature is removed or made by an unknown key, then SIGNATURE_MISSING or SIGNATURE_UNKNOWN_KEY', () => {
    const inc = incident();
    const ack = note(1, inc, 'acknowledge', 'acknowledged', RU, ruKey);
    const { signature: _s, ...bare } = extOf(ack);
    const unsignedAck = { ...ack, extensions: { [INQUIRY_EXTENSION_ID]: bare } };
    const stranger = note(1, inc, 'acknowledge', 'acknowledged', RU, signerFor(generateKeyPairSync('ed25519').privateKey));
    expect(foldThread(INCIDENT, [inc, unsignedAck], keyring)?.issues.map((i) => i.code)).toContain('SIGNATURE_MISSING');
    expect(foldThread(INCIDENT, [inc, stranger], keyring)?.issues.map((i) => i.code)).toContain('SIGNATURE_UNKNOWN_KEY');
  });

  it('when the incident itself is tampered with, then the thread does not fold at all', () => {
    const [inc, ...rest] = fullThread();
    expect(foldThread(INCIDENT, [{ ...inc, name: 'Other subject' }, ...rest], keyring)).toBeUndefined();
  });

  it('when an acknowledgement names another version of the inquiry than the one stored, then it is an orphan and the state stays open', () => {
    const inc = incident();
    const other = signObject({ ...inc, modified: '2026-12-07T10:00:01.000Z' }, usKey);
    const ack = note(1, other, 'acknowledge', 'acknowledged', RU, ruKey);
    const t = foldThread(INCIDENT, [inc, ack], keyring);
    expect(t?.state).toBe('open');
    expect(t?.issues.map((i) => i.code)).toContain('THREAD_ORPHAN');
  });

  it('when two notes reply to the same message, then the first in chain order counts and the other is reported as a fork', () => {
    const inc = incident();
    const a = note(1, inc, 'acknowledge', 'acknowledged', RU, ruKey);
    const b = note(2, inc, 'acknowledge', 'acknowledged', RU, ruKey);
    const t = foldThread(INCIDENT, [inc, a, b], keyring);
    expect(t?.messages).toHaveLength(2);
    expect(t?.issues.map((i) => i.code)).toEqual(['THREAD_FORK']);
  });

  it('when a note is out of order (an answer right after the opening), then INQUIRY_OUT_OF_ORDER is reported and the state stays open', () => {
    const inc = incident();
    const t = foldThread(INCIDENT, [inc, note(1, inc, 'answer', 'answered', RU, ruKey)], keyring);
    expect(t?.state).toBe('open');
    expect(t?.issues.map((i) => i.code)).toContain('INQUIRY_OUT_OF_ORDER');
  });

  it('when the inquiry objects go through the ingest prepare stage, then they are valid STIX 2.1 and normalization leaves them unchanged', () => {
    const objects = [INQUIRY_EXTENSION_DEFINITION, ...fullThread()];
    const outcomes = prepareObjects(objects, {});
    for (const [i, o] of outcomes.entries()) {
      expect(o).toMatchObject({ ok: true });
      if (o.ok) {
        expect(o.object.originalJson).toBeUndefined();
        expect(JSON.parse(o.object.json)).toEqual(objects[i]);
      }
    }
  });
});
