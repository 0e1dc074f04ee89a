/**
 * The ingest gate of inquiry collections: what a partner's gateway (through a federation source) or anyone
 * else posts into an inquiry collection is stored only when it is a message this side can verify and that
 * continues a thread it holds. Everything else is refused before it is stored, with a coded failure in the
 * TAXII status, so it is never served and never federated on. Fail closed: unsigned, tampered, signed by an
 * unknown key or by a key that does not sign for the author's authority, a second version of an inquiry, a
 * fork or replay under a new id, a note whose predecessor is not held, a transition the state machine refuses,
 * and any object that is not a thread object.
 *
 * Objects of one call are checked in order, each against the stored thread plus the objects accepted before
 * it, so a page holding an acknowledgement and the answer that follows it passes whole.
 */
import type { GatewayConfig } from '../config/types';
import type { IngestGate, IngestGateObject, IngestRefusal } from '../ingest/process-job';
import type { ObjectStore } from '../store/types';
import { INQUIRY_EXTENSION_DEFINITION, INQUIRY_EXTENSION_ID, type StixJson, inquiryOf } from './model';
import { type Keyring, objectDigest } from './signature';
import { foldThread } from './thread';
import { THREAD_TYPES, readCollectionThreads } from './thread-objects';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parse(json: string): StixJson | undefined {
  try {
    const v: unknown = JSON.parse(json);
    return isRecord(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

const EXTENSION_DIGEST = objectDigest(INQUIRY_EXTENSION_DEFINITION);

/**
 * Whether one object may join the threads held (`held`: the stored and already accepted objects of its
 * inquiry); the refusal otherwise. Pure.
 */
export function inquiryObjectRefusal(obj: StixJson, held: readonly StixJson[], keyring: Keyring): IngestRefusal | undefined {
  const type = obj['type'];
  if (type === 'extension-definition') {
    if (obj['id'] === INQUIRY_EXTENSION_ID && objectDigest(obj) === EXTENSION_DIGEST) return undefined;
    return {
      code: 'INQUIRY_EXTENSION_MISMATCH',
      message: 'an inquiry collection holds only the inquiry extension definition, exactly as this gateway defines it',
    };
  }
  if (typeof type !== 'string' || !(THREAD_TYPES as readonly string[]).includes(type)) {
    return {
      code: 'INQUIRY_FOREIGN_OBJECT',
      message: `an inquiry collection holds only incidents, notes and translations of inquiries, not ${String(type).slice(0, 40)}`,
    };
  }
  const signature = keyring.verify(obj);
  if (!signature.ok) return { code: signature.code, message: signature.message };
  const inquiryId = inquiryOf(obj);
  if (inquiryId === undefined) {
    return { code: 'INQUIRY_NOT_A_THREAD_OBJECT', message: 'the object carries no inquiry extension naming its inquiry' };
  }
  const digest = objectDigest(obj);
  for (const h of held) {
    if (h['id'] !== obj['id']) continue;
    // The same message again (a re-pulled page): the store counts it as a duplicate.
    if (objectDigest(h) === digest) return undefined;
    if (type === 'incident' || h['modified'] === obj['modified']) {
      return {
        code: 'INQUIRY_OBJECT_CONFLICT',
        message: 'another object with this id is already held; a formal message is never edited, corrections are new messages',
      };
    }
  }
  const thread = foldThread(inquiryId, [...held, obj], keyring);
  if (thread === undefined) {
    return type === 'incident'
      ? { code: 'INQUIRY_NOT_A_THREAD_OBJECT', message: 'the incident lacks valid inquiry properties' }
      : { code: 'THREAD_ORPHAN', message: `inquiry ${inquiryId} is not held here (its opening incident has not arrived)` };
  }
  if (thread.objects.includes(obj)) return undefined;
  const issue = thread.issues.find((i) => i.objectId === obj['id']);
  return issue === undefined
    ? { code: 'THREAD_ORPHAN', message: 'the object does not continue the thread held here' }
    : { code: issue.code, message: issue.message };
}

export interface InquiryIngestGateDeps {
  readonly config: GatewayConfig;
  readonly store: ObjectStore;
  readonly keyring: Keyring;
}

/** The gate for every collection: a no-op except for the configured inquiry collections. */
export class InquiryIngestGate implements IngestGate {
  private readonly collections: ReadonlySet<string>;

  constructor(private readonly deps: InquiryIngestGateDeps) {
    this.collections = new Set(deps.config.inquiries.channels.map((c) => c.collection));
  }

  applies(collectionId: string): boolean {
    return this.collections.has(collectionId);
  }

  async refusals(collectionId: string, objects: readonly IngestGateObject[]): Promise<Map<number, IngestRefusal>> {
    const out = new Map<number, IngestRefusal>();
    if (!this.applies(collectionId) || objects.length === 0) return out;
    const threads = await readCollectionThreads(this.deps.store, collectionId);
    objects.forEach((o, i) => {
      const obj = parse(o.json);
      if (obj === undefined) {
        out.set(i, { code: 'INQUIRY_NOT_A_THREAD_OBJECT', message: 'the object is not a JSON object' });
        return;
      }
      const inquiryId = inquiryOf(obj);
      const held = inquiryId === undefined ? [] : (threads.get(inquiryId) ?? []);
      const refusal = inquiryObjectRefusal(obj, held, this.deps.keyring);
      if (refusal !== undefined) out.set(i, refusal);
      else if (inquiryId !== undefined) threads.set(inquiryId, [...held, obj]);
    });
    return out;
  }
}
