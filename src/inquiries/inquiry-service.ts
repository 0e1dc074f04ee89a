/**
 * The inquiry use cases: open, list, show and every transition (acknowledge, answer, request-clarification,
 * clarify, close, withdraw). The HTTP routes (src/http/inquiries.ts), the CLI and federation call these.
 *
 * Trust rules (the same boundary as the rest of the gateway):
 * - an inquiry is seen only by its two authorities and by admins; to anyone else it does not exist (404);
 * - only an authority acts, only as itself, and only in its turn (the state machine); admins read only;
 * - evidence the asked authority cannot read in any shared collection (above its clearance, refused by its
 *   sharing rules, or in a collection it does not read) is not named in the inquiry: the incident carries only
 *   how many references were withheld; the withheld ids are kept apart for the asking authority and admins;
 * - a refused request changes nothing: every check runs before the one atomic store call, under a per-inquiry
 *   lock, so two concurrent transitions cannot both pass.
 *
 * The stored objects are the record: the state is folded from them (src/inquiries/thread.ts) on every read.
 */
import type { Cluster, Redis } from 'ioredis';
import type { AuthenticatedPrincipal } from '../auth/types';
import type {
  CollectionConfig,
  GatewayConfig,
  InquiryChannelConfig,
  InquiryDeadlines,
  InquiryUrgency,
  PrincipalConfig,
} from '../config/types';
import { withRunLock } from '../federation/run-lock';
import { readPolicyFor } from '../policy/clearance';
import { recordTlpRank } from '../policy/record-rank';
import { randomStixId } from '../stix/identifiers';
import { tlp2IdFor } from '../stix/markings';
import { formatMicros, parseTimestamp } from '../stix/time';
import type { KeyBuilder } from '../store/keys';
import type { ObjectStore, StoreItem, VersionSelector } from '../store/types';
import { InquiryError } from './inquiry-error';
import {
  DEFAULT_NOTE_CONTENT,
  INQUIRY_EXTENSION_DEFINITION,
  type MessageRef,
  type StixJson,
  buildIncident,
  buildNote,
  buildTranslation,
} from './model';
import type { OpenRequest, TransitionRequest, Translations } from './requests';
import { type Keyring, type Signer, signObject } from './signature';
import { type InquiryAction, type InquiryParty, nextActions, transition } from './state-machine';
import { type InquiryThread, type ThreadIssue, foldThread, overdue } from './thread';
import { readCollectionThreads } from './thread-objects';

const LATEST: VersionSelector = { all: false, first: false, last: true, exact: [] };
const LOCK_TTL_MS = 10_000;
/** Tries to take a busy inquiry lock before answering INQUIRY_BUSY. */
const LOCK_ATTEMPTS = 20;

export interface InquiryServiceDeps {
  readonly config: GatewayConfig;
  readonly store: ObjectStore;
  readonly redis: Redis | Cluster;
  readonly keys: KeyBuilder;
  readonly signer: Signer;
  readonly keyring: Keyring;
  /** Milliseconds since the epoch (tests move it). */
  readonly now?: () => number;
  /** Called after each recorded message (notifications, metrics); failures are the callee's to handle. */
  readonly onMessage?: (event: InquiryEvent) => void;
}

/** A message just recorded, for the deadline scheduler and the metrics. */
export interface InquiryEvent {
  readonly collection: string;
  readonly inquiryId: string;
  readonly action: 'open' | InquiryAction;
  readonly thread: InquiryThread;
}

export interface ListFilters {
  readonly state?: string;
  readonly urgency?: InquiryUrgency;
  readonly overdue?: boolean;
}

/** An authority as the API shows it. */
export interface AuthorityView {
  readonly identity: string;
  readonly principal?: string;
}

/** The summary of one inquiry, as the caller may see it. */
export interface InquirySummary {
  readonly id: string;
  readonly collection: string;
  readonly subject: string;
  readonly lang?: string;
  readonly asking: AuthorityView;
  readonly asked: AuthorityView;
  readonly urgency: InquiryUrgency;
  readonly requested_action: string;
  readonly state: string;
  readonly created: string;
  readonly acknowledge_by: string;
  readonly answer_by: string;
  /** The deadline passed, if any (the asked side owes an acknowledgement or an answer). */
  readonly overdue?: 'acknowledge' | 'answer';
  readonly acknowledged_at?: string;
  readonly answered_at?: string;
  readonly finished_at?: string;
  readonly evidence_refs: readonly string[];
  readonly withheld_evidence_count: number;
  /** The caller's side, when it is an authority of the inquiry. */
  readonly your_side?: InquiryParty;
  readonly next_actions: readonly InquiryAction[];
  /** The last message: what the next one replies to. */
  readonly last: MessageRef;
}

export interface InquiryDetail extends InquirySummary {
  readonly description: string;
  readonly messages: InquiryThread['messages'];
  /** The STIX objects of the thread (incident, notes in order, translations), as stored and signed. */
  readonly objects: readonly StixJson[];
  /** Asking authority and admins only: the evidence ids withheld from the asked authority. */
  readonly withheld_evidence_refs?: readonly string[];
  readonly issues: readonly ThreadIssue[];
}

export class InquiryService {
  private readonly now: () => number;

  constructor(private readonly deps: InquiryServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** The channels whose inquiries the principal sees: its own, or all for an admin. */
  private channelsOf(p: AuthenticatedPrincipal): InquiryChannelConfig[] {
    return this.deps.config.inquiries.channels.filter((c) => p.admin || c.authorities.includes(p.name));
  }

  private collection(id: string): CollectionConfig {
    const c = this.deps.config.collections.find((x) => x.id === id);
    if (c === undefined) throw new Error(`inquiry collection ${id} is not configured`);
    return c;
  }

  private principalByName(name: string): PrincipalConfig | undefined {
    return this.deps.config.principals.find((p) => p.name === name);
  }

  private authorityView(identity: string, channel: InquiryChannelConfig): AuthorityView {
    const name = channel.authorities.find((a) => this.principalByName(a)?.identity === identity);
    return name === undefined ? { identity } : { identity, principal: name };
  }

  private timestamp(ms: number): string {
    return formatMicros(ms * 1000);
  }

  /**
   * A new signed thread message (the incident, a note) made at `nowMs` under the channel's TLP: `build` gets its
   * fresh id, time and marking. Returns the object and the marking (its translations carry the same).
   */
  private signedMessage(
    type: 'incident' | 'note',
    channel: InquiryChannelConfig,
    nowMs: number,
    build: (base: { readonly id: string; readonly time: string; readonly markingRef: string }) => Readonly<Record<string, unknown>>,
  ): { readonly object: Record<string, unknown>; readonly marking: string } {
    const marking = tlp2IdFor(channel.tlp);
    const object = signObject(build({ id: randomStixId(type), time: this.timestamp(nowMs), markingRef: marking }), this.deps.signer);
    return { object, marking };
  }

  /** The acknowledge-by and answer-by times of a message sent at `nowMs` with this urgency. */
  private deadlinesFrom(nowMs: number, urgency: InquiryUrgency): { acknowledgeBy: string; answerBy: string } {
    const d = this.deadlinesOf(urgency);
    return {
      acknowledgeBy: this.timestamp(nowMs + d.acknowledge_within_seconds * 1000),
      answerBy: this.timestamp(nowMs + d.answer_within_seconds * 1000),
    };
  }

  /** Opens an inquiry from `p` to the authority named in the request. */
  async open(p: AuthenticatedPrincipal, req: OpenRequest): Promise<InquiryDetail> {
    if (req.asking !== undefined && req.asking !== p.name) {
      throw new InquiryError(
        'INQUIRY_FORGED_AUTHORITY',
        `you are ${p.name}: you cannot open an inquiry as ${req.asking.slice(0, 64)}`,
        '/asking',
      );
    }
    const channel = this.deps.config.inquiries.channels.find(
      (c) => c.authorities.includes(p.name) && c.authorities.includes(req.asked) && p.name !== req.asked,
    );
    const asked = this.principalByName(req.asked);
    if (channel === undefined || asked === undefined) {
      throw new InquiryError('INQUIRY_NO_CHANNEL', `there is no inquiry channel between ${p.name} and ${req.asked.slice(0, 64)}`, '/asked');
    }
    const askedPrincipal: AuthenticatedPrincipal = { name: asked.name, identity: asked.identity, admin: asked.admin };
    const { visible, withheld } = await this.sortEvidence(p, askedPrincipal, req.evidenceRefs, channel.collection);
    const nowMs = this.now();
    const { object: incident, marking } = this.signedMessage('incident', channel, nowMs, (base) =>
      buildIncident({
        ...base,
        asking: p.identity,
        asked: asked.identity,
        subject: req.subject,
        description: req.description,
        lang: req.lang,
        urgency: req.urgency,
        requestedAction: req.requestedAction,
        ...this.deadlinesFrom(nowMs, req.urgency),
        evidenceRefs: visible,
        withheldEvidenceCount: withheld.length,
      }),
    );
    const id = String(incident['id']);
    const translations = this.translations(req.translations, incident, p.identity, id, marking, {
      subject: 'name',
      description: 'description',
    });
    const ik = this.deps.keys.inquiry(channel.collection);
    // The withheld ids first: an inquiry visible without them would show the asking side an incomplete record.
    if (withheld.length > 0) await this.deps.redis.hset(ik.withheld, id, JSON.stringify(withheld));
    await this.storeObjects(channel.collection, [INQUIRY_EXTENSION_DEFINITION, incident, ...translations]);
    const thread = await this.loadThread(channel.collection, id);
    if (thread === undefined) throw new Error(`inquiry ${id} not readable after storing it`);
    this.deps.onMessage?.({ collection: channel.collection, inquiryId: id, action: 'open', thread });
    return this.detail(p, channel, thread, withheld);
  }

  /**
   * Splits evidence references into those the asked authority can read (in some shared collection, under its
   * clearance and sharing rules) and the withheld rest. A reference the asking authority cannot read itself is
   * refused: it could otherwise probe for ids it has no right to know.
   */
  private async sortEvidence(
    asking: AuthenticatedPrincipal,
    asked: AuthenticatedPrincipal,
    refs: readonly string[],
    inquiryCollection: string,
  ): Promise<{ visible: string[]; withheld: string[] }> {
    const inquiryCollections = new Set(this.deps.config.inquiries.channels.map((c) => c.collection));
    const shared = this.deps.config.collections.filter((c) => !inquiryCollections.has(c.id) || c.id === inquiryCollection);
    const visible: string[] = [];
    const withheld: string[] = [];
    for (const [i, ref] of refs.entries()) {
      if (!(await this.readableBy(asking, shared, ref))) {
        throw new InquiryError(
          'INQUIRY_EVIDENCE_NOT_FOUND',
          `evidence_refs[${i}]: ${ref} is in no shared collection you can read`,
          `/evidence_refs/${i}`,
        );
      }
      if (await this.readableBy(asked, shared, ref)) visible.push(ref);
      else withheld.push(ref);
    }
    return { visible, withheld };
  }

  private async readableBy(p: AuthenticatedPrincipal, collections: readonly CollectionConfig[], id: string): Promise<boolean> {
    for (const c of collections) {
      // Listed readers only (not admin rights): evidence is what the authority itself may receive.
      if (!c.readers.includes(p.name)) continue;
      const policy = readPolicyFor(this.deps.config, p.name, c);
      const found = await this.deps.store.selectVersions(c.id, id, LATEST, {}, policy.maxTlpRank, policy.rules);
      if (found.length > 0) return true;
    }
    return false;
  }

  private translations(
    t: Translations,
    message: StixJson,
    author: string,
    inquiryId: string,
    marking: string,
    fields: Readonly<Record<string, string>>,
  ): StixJson[] {
    const contents: Record<string, Record<string, string>> = {};
    for (const [tag, entry] of Object.entries(t)) {
      const props: Record<string, string> = {};
      for (const [k, v] of Object.entries(entry)) {
        const prop = fields[k];
        if (prop === undefined)
          throw new InquiryError('INQUIRY_INVALID_INPUT', `translations/${tag}/${k}: not translatable here`, `/translations/${tag}/${k}`);
        if (typeof v === 'string') props[prop] = v;
      }
      contents[tag] = props;
    }
    if (Object.keys(contents).length === 0) return [];
    return [
      signObject(
        buildTranslation({
          id: randomStixId('language-content'),
          time: String(message['modified']),
          author,
          inquiryRef: inquiryId,
          objectRef: String(message['id']),
          objectModified: String(message['modified']),
          contents,
          markingRef: marking,
        }),
        this.deps.signer,
      ),
    ];
  }

  private async storeObjects(collectionId: string, objects: readonly Readonly<Record<string, unknown>>[]): Promise<void> {
    const items: StoreItem[] = objects.map((o) => {
      const json = JSON.stringify(o);
      const version = typeof o['modified'] === 'string' ? o['modified'] : undefined;
      const ts = version === undefined ? undefined : parseTimestamp(version);
      const markings = Array.isArray(o['object_marking_refs'])
        ? o['object_marking_refs'].filter((m): m is string => typeof m === 'string')
        : [];
      return {
        id: String(o['id']),
        type: String(o['type']),
        specVersion: '2.1',
        tlpRank: o['type'] === 'extension-definition' ? 0 : recordTlpRank(String(o['type']), markings, json),
        json,
        ...(ts === undefined ? {} : { version, versionMicros: ts.micros }),
      };
    });
    const outcomes = await this.deps.store.storeBatch(collectionId, items);
    const conflict = outcomes.findIndex((o) => o.kind === 'conflict');
    if (conflict >= 0)
      throw new Error(`storing inquiry object ${items[conflict]?.id ?? ''}: a different object with this id and version exists`);
  }

  /** Every thread object of one collection, grouped by inquiry id. */
  private async collectionThreads(collectionId: string): Promise<Map<string, StixJson[]>> {
    return readCollectionThreads(this.deps.store, collectionId);
  }

  private async loadThread(collectionId: string, inquiryId: string): Promise<InquiryThread | undefined> {
    const objects = (await this.collectionThreads(collectionId)).get(inquiryId) ?? [];
    return foldThread(inquiryId, objects, this.deps.keyring);
  }

  /** One inquiry's thread as stored (for the deadline worker; no visibility rule: not for callers' eyes). */
  async thread(collectionId: string, inquiryId: string): Promise<InquiryThread | undefined> {
    return this.loadThread(collectionId, inquiryId);
  }

  /** Every inquiry of every channel (for the deadline worker's reconciliation and the overdue gauge). */
  async threads(): Promise<{ collection: string; channel: InquiryChannelConfig; thread: InquiryThread }[]> {
    const out: { collection: string; channel: InquiryChannelConfig; thread: InquiryThread }[] = [];
    for (const channel of this.deps.config.inquiries.channels) {
      for (const [id, objects] of await this.collectionThreads(channel.collection)) {
        const thread = foldThread(id, objects, this.deps.keyring);
        if (thread !== undefined) out.push({ collection: channel.collection, channel, thread });
      }
    }
    return out;
  }

  /** The channel held in a collection. */
  channelOf(collectionId: string): InquiryChannelConfig | undefined {
    return this.deps.config.inquiries.channels.find((c) => c.collection === collectionId);
  }

  /** The configured deadlines of an urgency. */
  deadlinesOf(urgency: InquiryUrgency): InquiryDeadlines {
    return this.deps.config.inquiries.urgency[urgency];
  }

  /** The principal name of an authority's identity in a channel. */
  principalOf(identity: string, channel: InquiryChannelConfig): string | undefined {
    return this.authorityView(identity, channel).principal;
  }

  /** The inquiry and its channel, if the principal may see it; INQUIRY_NOT_FOUND otherwise. */
  private async find(p: AuthenticatedPrincipal, inquiryId: string): Promise<{ channel: InquiryChannelConfig; thread: InquiryThread }> {
    if (!/^incident--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(inquiryId)) {
      throw new InquiryError('INQUIRY_NOT_FOUND', `"${inquiryId.slice(0, 100)}" is not an inquiry id (incident--<uuid>)`);
    }
    for (const channel of this.channelsOf(p)) {
      const stored = await this.deps.store.latest(channel.collection, inquiryId);
      if (stored === undefined) continue;
      const thread = await this.loadThread(channel.collection, inquiryId);
      if (thread === undefined) continue;
      if (p.admin || thread.head.asking === p.identity || thread.head.asked === p.identity) return { channel, thread };
    }
    throw new InquiryError('INQUIRY_NOT_FOUND', `no inquiry ${inquiryId} that you may see`);
  }

  private sideOf(p: AuthenticatedPrincipal, thread: InquiryThread): InquiryParty | undefined {
    if (p.identity === thread.head.asking) return 'asking';
    if (p.identity === thread.head.asked) return 'asked';
    return undefined;
  }

  private summary(p: AuthenticatedPrincipal, channel: InquiryChannelConfig, t: InquiryThread): InquirySummary {
    const side = this.sideOf(p, t);
    const late = overdue(t, this.timestamp(this.now()));
    return {
      id: t.head.id,
      collection: channel.collection,
      subject: t.head.subject,
      ...(t.head.lang === undefined ? {} : { lang: t.head.lang }),
      asking: this.authorityView(t.head.asking, channel),
      asked: this.authorityView(t.head.asked, channel),
      urgency: t.head.urgency,
      requested_action: t.head.requestedAction,
      state: t.state,
      created: t.head.created,
      acknowledge_by: t.acknowledgeBy,
      answer_by: t.answerBy,
      ...(late === undefined ? {} : { overdue: late }),
      ...(t.acknowledgedAt === undefined ? {} : { acknowledged_at: t.acknowledgedAt }),
      ...(t.answeredAt === undefined ? {} : { answered_at: t.answeredAt }),
      ...(t.finishedAt === undefined ? {} : { finished_at: t.finishedAt }),
      evidence_refs: t.head.evidenceRefs,
      withheld_evidence_count: t.head.withheldEvidenceCount,
      ...(side === undefined ? {} : { your_side: side }),
      next_actions: side === undefined ? [] : nextActions(t.state, side),
      last: t.last,
    };
  }

  private async withheldRefs(collectionId: string, inquiryId: string): Promise<string[]> {
    const raw = await this.deps.redis.hget(this.deps.keys.inquiry(collectionId).withheld, inquiryId);
    if (raw === null) return [];
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : [];
  }

  private detail(p: AuthenticatedPrincipal, channel: InquiryChannelConfig, t: InquiryThread, withheld: readonly string[]): InquiryDetail {
    // The asked side learns how many references were withheld (in the incident), never which.
    const mayKnowWithheld = p.admin || this.sideOf(p, t) === 'asking';
    return {
      ...this.summary(p, channel, t),
      description: t.head.description,
      messages: t.messages,
      objects: t.objects,
      ...(mayKnowWithheld && withheld.length > 0 ? { withheld_evidence_refs: [...withheld] } : {}),
      issues: t.issues,
    };
  }

  async show(p: AuthenticatedPrincipal, inquiryId: string): Promise<InquiryDetail> {
    const { channel, thread } = await this.find(p, inquiryId);
    const mayKnowWithheld = p.admin || this.sideOf(p, thread) === 'asking';
    return this.detail(p, channel, thread, mayKnowWithheld ? await this.withheldRefs(channel.collection, inquiryId) : []);
  }

  async list(p: AuthenticatedPrincipal, filters: ListFilters): Promise<InquirySummary[]> {
    const out: InquirySummary[] = [];
    for (const channel of this.channelsOf(p)) {
      for (const [id, objects] of await this.collectionThreads(channel.collection)) {
        const t = foldThread(id, objects, this.deps.keyring);
        if (t === undefined) continue;
        if (!p.admin && t.head.asking !== p.identity && t.head.asked !== p.identity) continue;
        const s = this.summary(p, channel, t);
        if (filters.state !== undefined && s.state !== filters.state) continue;
        if (filters.urgency !== undefined && s.urgency !== filters.urgency) continue;
        if (filters.overdue !== undefined && (s.overdue !== undefined) !== filters.overdue) continue;
        out.push(s);
      }
    }
    return out.sort((a, b) => (a.created < b.created ? 1 : a.created > b.created ? -1 : a.id < b.id ? -1 : 1));
  }

  /** Records one transition by `p`; refused (nothing stored) unless it is `p`'s turn for this action. */
  async act(p: AuthenticatedPrincipal, inquiryId: string, action: InquiryAction, req: TransitionRequest): Promise<InquiryDetail> {
    if (req.author !== undefined && req.author !== p.name) {
      throw new InquiryError('INQUIRY_FORGED_AUTHORITY', `you are ${p.name}: you cannot write as ${req.author.slice(0, 64)}`, '/author');
    }
    const { channel } = await this.find(p, inquiryId);
    const key = this.deps.keys.inquiry(channel.collection).lock(inquiryId);
    for (let attempt = 0; attempt < LOCK_ATTEMPTS; attempt++) {
      const r = await withRunLock(this.deps.redis, key, LOCK_TTL_MS, () => this.actLocked(p, channel, inquiryId, action, req));
      if (r.ran) return r.value;
      await new Promise((resolve) => setTimeout(resolve, 25 + attempt * 10));
    }
    throw new InquiryError('INQUIRY_BUSY', 'another message of this inquiry is being recorded; retry');
  }

  private async actLocked(
    p: AuthenticatedPrincipal,
    channel: InquiryChannelConfig,
    inquiryId: string,
    action: InquiryAction,
    req: TransitionRequest,
  ): Promise<InquiryDetail> {
    // Read again under the lock: the thread may have moved since find().
    const thread = await this.loadThread(channel.collection, inquiryId);
    if (thread === undefined) throw new InquiryError('INQUIRY_NOT_FOUND', `no inquiry ${inquiryId} that you may see`);
    const side = this.sideOf(p, thread);
    if (side === undefined) {
      throw new InquiryError(
        'INQUIRY_NOT_AN_AUTHORITY',
        `${p.name} is not an authority of this inquiry: admins read inquiries, they do not act on them`,
      );
    }
    const r = transition(thread.state, action, side);
    if (!r.ok) throw new InquiryError(r.code, r.message);
    if (req.inReplyTo !== undefined && req.inReplyTo !== thread.last.sha256) {
      throw new InquiryError(
        'INQUIRY_STALE',
        `in_reply_to names ${req.inReplyTo.slice(0, 64)}, but the last message is ${thread.last.object_ref} (${thread.last.sha256})`,
        '/in_reply_to',
      );
    }
    const nowMs = Math.max(
      this.now(),
      Number(parseTimestamp(thread.messages[thread.messages.length - 1]?.created ?? '')?.micros ?? 0) / 1000 + 1,
    );
    const { object: note, marking } = this.signedMessage('note', channel, nowMs, (base) =>
      buildNote({
        ...base,
        author: p.identity,
        inquiryRef: inquiryId,
        action,
        state: r.state,
        content: req.content ?? DEFAULT_NOTE_CONTENT[action],
        lang: req.lang,
        inReplyTo: thread.last,
        ...(action === 'clarify'
          ? {
              deadlines: this.deadlinesFrom(nowMs, thread.head.urgency),
            }
          : {}),
      }),
    );
    const translations = this.translations(req.translations, note, p.identity, inquiryId, marking, { content: 'content' });
    await this.storeObjects(channel.collection, [note, ...translations]);
    const after = await this.loadThread(channel.collection, inquiryId);
    if (after === undefined) throw new Error(`inquiry ${inquiryId} not readable after storing a message`);
    this.deps.onMessage?.({ collection: channel.collection, inquiryId, action, thread: after });
    const mayKnowWithheld = side === 'asking';
    return this.detail(p, channel, after, mayKnowWithheld ? await this.withheldRefs(channel.collection, inquiryId) : []);
  }
}
