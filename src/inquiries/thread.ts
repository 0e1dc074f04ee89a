/**
 * Folds the stored objects of one inquiry into its thread: the opening incident, then the notes in reply
 * chain order (each note's `in_reply_to` names the digest of the message before it), the state each one
 * leads to, and the deadlines in force. Pure: the same objects give the same thread on either gateway.
 *
 * Objects that do not belong in the chain are reported, never silently dropped: a note replying to anything
 * but the current head (a fork, a replay), an action the state machine refuses, a note whose declared state
 * is not the one its action leads to, an author that is neither authority, and (with a keyring) a missing or
 * invalid signature. `verify` treats any such issue as a failure.
 */
import { compareTimestamps } from '../stix/time';
import { type InquiryHead, type MessageRef, type StixJson, type TransitionMessage, readInquiryHead, readTransition } from './model';
import { type Keyring, objectDigest } from './signature';
import { type InquiryParty, type InquiryState, transition } from './state-machine';

export interface ThreadIssue {
  readonly code: string;
  readonly objectId?: string;
  readonly message: string;
}

export interface ThreadMessage {
  readonly id: string;
  readonly action: 'open' | TransitionMessage['action'];
  readonly author: string;
  readonly party: InquiryParty;
  readonly created: string;
  /** State after this message. */
  readonly state: InquiryState;
  readonly sha256: string;
  readonly keyId?: string;
}

export interface InquiryThread {
  readonly head: InquiryHead;
  readonly state: InquiryState;
  /** The last message of the chain: what the next message replies to. */
  readonly last: MessageRef;
  readonly messages: readonly ThreadMessage[];
  /** Deadlines in force (a clarification restarts them). */
  readonly acknowledgeBy: string;
  readonly answerBy: string;
  /** When the first acknowledgement, the answer and the closing were made (thread timestamps). */
  readonly acknowledgedAt?: string;
  readonly answeredAt?: string;
  readonly finishedAt?: string;
  /** Every object of the thread in chain order (incident, notes), then translations. */
  readonly objects: readonly StixJson[];
  readonly issues: readonly ThreadIssue[];
}

function partyOf(head: InquiryHead, author: string): InquiryParty | undefined {
  if (author === head.asking) return 'asking';
  if (author === head.asked) return 'asked';
  return undefined;
}

function idOf(o: StixJson): string | undefined {
  return typeof o['id'] === 'string' ? o['id'] : undefined;
}

/** Signature check of one object (always ok without a keyring); a failure is reported in `issues`. */
type Checker = (o: StixJson) => { ok: boolean; keyId?: string };

function signatureChecker(issues: ThreadIssue[], keyring: Keyring | undefined): Checker {
  return (o) => {
    if (keyring === undefined) return { ok: true };
    const v = keyring.verify(o);
    if (v.ok) return { ok: true, keyId: v.keyId };
    issues.push({ code: v.code, objectId: idOf(o), message: v.message });
    return { ok: false };
  };
}

/** The inquiry's incident (the earliest version if several, which is reported) and its head. */
function openingIncident(
  inquiryId: string,
  objects: readonly StixJson[],
  issues: ThreadIssue[],
): { incident: StixJson; head: InquiryHead } | undefined {
  const incidents = objects.filter((o) => o['type'] === 'incident' && o['id'] === inquiryId);
  if (incidents.length === 0) return undefined;
  if (incidents.length > 1)
    issues.push({
      code: 'THREAD_INCIDENT_VERSIONS',
      objectId: inquiryId,
      message: 'the inquiry incident has several versions; the first is used',
    });
  const incident = [...incidents].sort((a, b) => compareTimestamps(String(a['modified']), String(b['modified'])))[0];
  const head = incident === undefined ? undefined : readInquiryHead(incident);
  return incident === undefined || head === undefined ? undefined : { incident, head };
}

interface CandidateNote {
  readonly obj: StixJson;
  readonly t: TransitionMessage;
  readonly sha: string;
}

/** The inquiry's notes that read as transitions and carry a valid signature; the others are reported. */
function signedNotes(inquiryId: string, objects: readonly StixJson[], checked: Checker, issues: ThreadIssue[]): CandidateNote[] {
  const notes: CandidateNote[] = [];
  for (const o of objects) {
    if (o['type'] !== 'note') continue;
    const t = readTransition(o);
    if (t === undefined || t.inquiryRef !== inquiryId) {
      issues.push({ code: 'THREAD_NOT_A_TRANSITION', objectId: idOf(o), message: 'a note without valid inquiry transition properties' });
      continue;
    }
    if (!checked(o).ok) continue;
    notes.push({ obj: o, t, sha: objectDigest(o) });
  }
  return notes;
}

/** Where the reply chain stands after the messages followed so far. */
interface ChainState {
  state: InquiryState;
  last: MessageRef;
  acknowledgeBy: string;
  answerBy: string;
  acknowledgedAt?: string;
  answeredAt?: string;
  finishedAt?: string;
  readonly messages: ThreadMessage[];
  readonly chain: StixJson[];
}

/** Why a note that replies to the head cannot follow it (author, state machine, declared state, reply), if so. */
function refusalOf(
  head: InquiryHead,
  c: ChainState,
  t: TransitionMessage,
): { issue: ThreadIssue } | { party: InquiryParty; state: InquiryState } {
  const party = partyOf(head, t.author);
  if (party === undefined)
    return { issue: { code: 'THREAD_FOREIGN_AUTHOR', objectId: t.id, message: `${t.author} is neither authority of the inquiry` } };
  const r = transition(c.state, t.action, party);
  if (!r.ok) return { issue: { code: r.code, objectId: t.id, message: r.message } };
  if (r.state !== t.state)
    return {
      issue: { code: 'THREAD_STATE_MISMATCH', objectId: t.id, message: `declares state ${t.state}, but ${t.action} leads to ${r.state}` },
    };
  if (t.inReplyTo.object_ref !== c.last.object_ref || t.inReplyTo.object_modified !== c.last.object_modified)
    return {
      issue: { code: 'THREAD_BAD_REPLY', objectId: t.id, message: 'in_reply_to names another message than the one its digest matches' },
    };
  return { party, state: r.state };
}

/** Appends one accepted note to the chain: state, timestamps, deadlines moved by a clarification. */
function advance(c: ChainState, note: CandidateNote, party: InquiryParty, state: InquiryState, keyId: string | undefined): void {
  const { t, obj, sha } = note;
  c.state = state;
  if (t.action === 'acknowledge' && c.acknowledgedAt === undefined) c.acknowledgedAt = t.created;
  if (t.action === 'answer') c.answeredAt = t.created;
  if (state === 'closed' || state === 'withdrawn') c.finishedAt = t.created;
  if (t.action === 'clarify' && t.deadlines !== undefined) {
    c.acknowledgeBy = t.deadlines.acknowledgeBy;
    c.answerBy = t.deadlines.answerBy;
  }
  c.messages.push({
    id: t.id,
    action: t.action,
    author: t.author,
    party,
    created: t.created,
    state,
    sha256: sha,
    ...(keyId === undefined ? {} : { keyId }),
  });
  c.chain.push(obj);
  c.last = { object_ref: t.id, object_modified: t.modified, sha256: sha };
}

/**
 * Follows the reply chain from the incident: each step takes the note replying to the current last message
 * (others replying to it are forks), and stops at the first note that cannot follow. Bounded by the number of
 * notes. Returns the indexes of the notes used (followed or reported as forks).
 */
function followChain(
  head: InquiryHead,
  c: ChainState,
  notes: readonly CandidateNote[],
  keyring: Keyring | undefined,
  issues: ThreadIssue[],
): Set<number> {
  const used = new Set<number>();
  for (let step = 0; step < notes.length; step++) {
    const candidates = notes.map((n, i) => ({ n, i })).filter(({ n, i }) => !used.has(i) && n.t.inReplyTo.sha256 === c.last.sha256);
    const next = candidates[0];
    if (next === undefined) break;
    for (const extra of candidates.slice(1)) {
      used.add(extra.i);
      issues.push({
        code: 'THREAD_FORK',
        objectId: extra.n.t.id,
        message: `replies to ${c.last.object_ref}, which ${next.n.t.id} already follows`,
      });
    }
    used.add(next.i);
    const verdict = refusalOf(head, c, next.n.t);
    if ('issue' in verdict) {
      issues.push(verdict.issue);
      break;
    }
    const key = keyring?.verify(next.n.obj);
    advance(c, next.n, verdict.party, verdict.state, key?.ok === true ? key.keyId : undefined);
  }
  return used;
}

/** The translations of chain messages by their authors; the others are reported. */
function threadTranslations(objects: readonly StixJson[], chain: readonly StixJson[], checked: Checker, issues: ThreadIssue[]): StixJson[] {
  const inChain = new Map(chain.map((o) => [String(o['id']), String(o['modified'])]));
  const translations: StixJson[] = [];
  for (const o of objects) {
    if (o['type'] !== 'language-content') continue;
    if (!checked(o).ok) continue;
    const ref = o['object_ref'];
    if (typeof ref !== 'string' || inChain.get(ref) !== o['object_modified']) {
      issues.push({ code: 'THREAD_ORPHAN', objectId: idOf(o), message: 'a translation of no message of the thread' });
      continue;
    }
    const target = chain.find((c) => c['id'] === ref);
    if (target !== undefined && target['created_by_ref'] !== o['created_by_ref']) {
      issues.push({
        code: 'THREAD_FOREIGN_AUTHOR',
        objectId: String(o['id']),
        message: 'a translation must come from the author of the message it translates',
      });
      continue;
    }
    translations.push(o);
  }
  return translations;
}

/** Folds one inquiry's objects; undefined when none of them is the inquiry's (valid) incident. */
export function foldThread(inquiryId: string, objects: readonly StixJson[], keyring?: Keyring): InquiryThread | undefined {
  const issues: ThreadIssue[] = [];
  const checked = signatureChecker(issues, keyring);
  const opening = openingIncident(inquiryId, objects, issues);
  if (opening === undefined) return undefined;
  const { incident, head } = opening;
  const first = checked(incident);
  if (!first.ok) return undefined;
  const sha = objectDigest(incident);
  const c: ChainState = {
    state: 'open',
    last: { object_ref: head.id, object_modified: head.modified, sha256: sha },
    acknowledgeBy: head.acknowledgeBy,
    answerBy: head.answerBy,
    messages: [
      {
        id: head.id,
        action: 'open',
        author: head.asking,
        party: 'asking',
        created: head.created,
        state: 'open',
        sha256: sha,
        ...(first.keyId === undefined ? {} : { keyId: first.keyId }),
      },
    ],
    chain: [incident],
  };
  const notes = signedNotes(inquiryId, objects, checked, issues);
  const used = followChain(head, c, notes, keyring, issues);
  notes.forEach((n, i) => {
    if (!used.has(i)) issues.push({ code: 'THREAD_ORPHAN', objectId: n.t.id, message: 'a note that does not continue the reply chain' });
  });
  const translations = threadTranslations(objects, c.chain, checked, issues);
  return {
    head,
    state: c.state,
    last: c.last,
    messages: c.messages,
    acknowledgeBy: c.acknowledgeBy,
    answerBy: c.answerBy,
    ...(c.acknowledgedAt === undefined ? {} : { acknowledgedAt: c.acknowledgedAt }),
    ...(c.answeredAt === undefined ? {} : { answeredAt: c.answeredAt }),
    ...(c.finishedAt === undefined ? {} : { finishedAt: c.finishedAt }),
    objects: [...c.chain, ...translations],
    issues,
  };
}

/** Which deadline has passed at `now` (RFC 3339), if any: the asked side owes an acknowledgement or an answer. */
export function overdue(
  thread: Pick<InquiryThread, 'state' | 'acknowledgeBy' | 'answerBy'>,
  now: string,
): 'acknowledge' | 'answer' | undefined {
  if (thread.state === 'open' && compareTimestamps(now, thread.acknowledgeBy) > 0) return 'acknowledge';
  if (thread.state === 'acknowledged' && compareTimestamps(now, thread.answerBy) > 0) return 'answer';
  return undefined;
}
