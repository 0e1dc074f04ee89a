/**
 * Inquiries as STIX 2.1 objects, readable by any TAXII client:
 *
 * - the inquiry is an `incident` (the 2.1 stub, §4.6) created by the asking authority, carrying the inquiry's
 *   properties in a property extension defined by INQUIRY_EXTENSION_DEFINITION (§7.3), which is served in
 *   every inquiry collection so consumers can resolve it. The incident is never versioned: like any formal
 *   message it is not edited, later messages refer to it;
 * - every transition (acknowledgement, answer, clarification request and clarification, closing, withdrawal)
 *   is a `note` (§4.12) whose `object_refs` names the incident, with the action, the state it leads to and
 *   `in_reply_to`: the id, version and SHA-256 of the message it follows. The notes form a hash chain from the
 *   incident, so the order of the thread and the exact version each message replies to (for an
 *   acknowledgement: the version it is the receipt of) are fixed by the signed content;
 * - translations are `language-content` objects (§7.1) naming the incident or note and its version; the
 *   original's `lang` stays and remains authoritative.
 *
 * Every such object carries a detached signature in its extension (src/inquiries/signature.ts).
 */
import type { InquiryUrgency } from '../config/types';
import { type InquiryAction, type InquiryState, isInquiryAction, isInquiryState } from './state-machine';

/** The extension-definition of the inquiry properties (a fixed object: the same on every gateway). */
export const INQUIRY_EXTENSION_ID = 'extension-definition--1ef32d59-3d74-5d0e-931c-b7c65e3fe785';
/** The identity named as the extension-definition's creator (the gateway project; uuidv5 of a fixed name). */
export const INQUIRY_EXTENSION_AUTHOR = 'identity--4c918a80-fce2-59a1-bf02-c8a701cf5ac9';

export const INQUIRY_EXTENSION_DEFINITION: Readonly<Record<string, unknown>> = Object.freeze({
  type: 'extension-definition',
  spec_version: '2.1',
  id: INQUIRY_EXTENSION_ID,
  created_by_ref: INQUIRY_EXTENSION_AUTHOR,
  created: '2026-12-01T00:00:00.000Z',
  modified: '2026-12-01T00:00:00.000Z',
  name: 'Formal inquiry between competent authorities',
  description:
    'Properties of a formal inquiry (on an incident) and of its transitions (on notes and language-content): ' +
    'authorities, urgency, deadlines, evidence, requested action, state, reply chain and Ed25519 signature.',
  schema:
    'incident: asking_authority_ref, asked_authority_ref (identity ids); urgency (routine|priority|urgent); ' +
    'requested_action (information|mitigation|notification); acknowledge_by, answer_by (timestamps); ' +
    'evidence_refs (ids); withheld_evidence_count (integer). note: inquiry_ref (incident id); action ' +
    '(acknowledge|answer|request-clarification|clarify|close|withdraw); state (open|acknowledged|' +
    'clarification-requested|answered|closed|withdrawn); in_reply_to {object_ref, object_modified, sha256 of the ' +
    'RFC 8785 form}; clarify: acknowledge_by, answer_by. language-content: inquiry_ref. All: signature ' +
    '{algorithm: Ed25519, key_id, value: base64 over the RFC 8785 form of the object without signature}.',
  version: '1.0.0',
  extension_types: ['property-extension'],
});

export const URGENCIES: readonly InquiryUrgency[] = ['routine', 'priority', 'urgent'];
export const REQUESTED_ACTIONS = ['information', 'mitigation', 'notification'] as const;
export type RequestedAction = (typeof REQUESTED_ACTIONS)[number];

export function isUrgency(v: unknown): v is InquiryUrgency {
  return typeof v === 'string' && (URGENCIES as readonly string[]).includes(v);
}

export function isRequestedAction(v: unknown): v is RequestedAction {
  return typeof v === 'string' && (REQUESTED_ACTIONS as readonly string[]).includes(v);
}

/** A message of the thread named exactly: id, version (modified) and digest of its canonical form. */
export interface MessageRef {
  readonly object_ref: string;
  readonly object_modified: string;
  readonly sha256: string;
}

export type StixJson = Record<string, unknown>;

/** What an inquiry asks, of whom, how urgently and by when: written into its incident, read back from it. */
export interface InquiryTerms {
  readonly asking: string;
  readonly asked: string;
  readonly subject: string;
  readonly description: string;
  readonly urgency: InquiryUrgency;
  readonly requestedAction: RequestedAction;
  readonly acknowledgeBy: string;
  readonly answerBy: string;
  readonly evidenceRefs: readonly string[];
  readonly withheldEvidenceCount: number;
}

export interface IncidentInput extends InquiryTerms {
  readonly id: string;
  readonly time: string;
  readonly lang: string;
  readonly markingRef: string;
}

/** The opening message (unsigned). */
export function buildIncident(i: IncidentInput): StixJson {
  return {
    type: 'incident',
    spec_version: '2.1',
    id: i.id,
    created_by_ref: i.asking,
    created: i.time,
    modified: i.time,
    name: i.subject,
    description: i.description,
    lang: i.lang,
    object_marking_refs: [i.markingRef],
    extensions: {
      [INQUIRY_EXTENSION_ID]: {
        extension_type: 'property-extension',
        asking_authority_ref: i.asking,
        asked_authority_ref: i.asked,
        urgency: i.urgency,
        requested_action: i.requestedAction,
        acknowledge_by: i.acknowledgeBy,
        answer_by: i.answerBy,
        ...(i.evidenceRefs.length === 0 ? {} : { evidence_refs: [...i.evidenceRefs] }),
        ...(i.withheldEvidenceCount === 0 ? {} : { withheld_evidence_count: i.withheldEvidenceCount }),
      },
    },
  };
}

export interface NoteInput {
  readonly id: string;
  readonly time: string;
  readonly author: string;
  readonly inquiryRef: string;
  readonly action: InquiryAction;
  readonly state: InquiryState;
  readonly content: string;
  readonly lang: string;
  readonly inReplyTo: MessageRef;
  readonly markingRef: string;
  /** New deadlines (a clarification restarts them). */
  readonly deadlines?: { readonly acknowledgeBy: string; readonly answerBy: string };
}

/** Default text of a transition note when the authority writes none (note.content is required). */
export const DEFAULT_NOTE_CONTENT: Readonly<Record<InquiryAction, string>> = {
  acknowledge: 'Receipt acknowledged.',
  answer: 'Answer.',
  'request-clarification': 'Clarification requested.',
  clarify: 'Clarification.',
  close: 'Inquiry closed.',
  withdraw: 'Inquiry withdrawn.',
};

/** A transition message (unsigned). */
export function buildNote(n: NoteInput): StixJson {
  return {
    type: 'note',
    spec_version: '2.1',
    id: n.id,
    created_by_ref: n.author,
    created: n.time,
    modified: n.time,
    abstract: `${n.action}: ${n.state}`,
    content: n.content,
    lang: n.lang,
    object_refs: [n.inquiryRef],
    object_marking_refs: [n.markingRef],
    extensions: {
      [INQUIRY_EXTENSION_ID]: {
        extension_type: 'property-extension',
        inquiry_ref: n.inquiryRef,
        action: n.action,
        state: n.state,
        in_reply_to: { ...n.inReplyTo },
        ...(n.deadlines === undefined ? {} : { acknowledge_by: n.deadlines.acknowledgeBy, answer_by: n.deadlines.answerBy }),
      },
    },
  };
}

export interface TranslationInput {
  readonly id: string;
  readonly time: string;
  readonly author: string;
  readonly inquiryRef: string;
  readonly objectRef: string;
  readonly objectModified: string;
  /** Language tag → translated text properties of the object (name/description, or content). */
  readonly contents: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly markingRef: string;
}

/** A translation of one message (unsigned). */
export function buildTranslation(t: TranslationInput): StixJson {
  return {
    type: 'language-content',
    spec_version: '2.1',
    id: t.id,
    created_by_ref: t.author,
    created: t.time,
    modified: t.time,
    object_ref: t.objectRef,
    object_modified: t.objectModified,
    contents: t.contents,
    object_marking_refs: [t.markingRef],
    extensions: { [INQUIRY_EXTENSION_ID]: { extension_type: 'property-extension', inquiry_ref: t.inquiryRef } },
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function ext(obj: StixJson): Record<string, unknown> | undefined {
  const e = obj['extensions'];
  if (!isRecord(e)) return undefined;
  const mine = e[INQUIRY_EXTENSION_ID];
  return isRecord(mine) ? mine : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** The inquiry properties of an incident, narrowed from untrusted JSON; undefined when it is not an inquiry. */
export interface InquiryHead extends InquiryTerms {
  readonly id: string;
  readonly created: string;
  readonly modified: string;
  readonly lang?: string;
}

/** What every message of a thread carries: its id, version and author; undefined when one is missing. */
function messageBasics(obj: StixJson): { id: string; created: string; modified: string; author: string } | undefined {
  const [id, created, modified, author] = [str(obj['id']), str(obj['created']), str(obj['modified']), str(obj['created_by_ref'])];
  return id === undefined || created === undefined || modified === undefined || author === undefined
    ? undefined
    : { id, created, modified, author };
}

export function readInquiryHead(obj: StixJson): InquiryHead | undefined {
  const e = ext(obj);
  if (obj['type'] !== 'incident' || e === undefined) return undefined;
  const m = messageBasics(obj);
  const [asking, asked, ackBy, answerBy] = [
    str(e['asking_authority_ref']),
    str(e['asked_authority_ref']),
    str(e['acknowledge_by']),
    str(e['answer_by']),
  ];
  const urgency = e['urgency'];
  const requested = e['requested_action'];
  if (m === undefined || asking === undefined || asked === undefined) return undefined;
  if (m.author !== asking || ackBy === undefined || answerBy === undefined || !isUrgency(urgency) || !isRequestedAction(requested))
    return undefined;
  const refs = e['evidence_refs'];
  const withheld = e['withheld_evidence_count'];
  const lang = str(obj['lang']);
  return {
    id: m.id,
    created: m.created,
    modified: m.modified,
    asking,
    asked,
    subject: str(obj['name']) ?? '',
    description: str(obj['description']) ?? '',
    ...(lang === undefined ? {} : { lang }),
    urgency,
    requestedAction: requested,
    acknowledgeBy: ackBy,
    answerBy,
    evidenceRefs: Array.isArray(refs) ? refs.filter((r): r is string => typeof r === 'string') : [],
    withheldEvidenceCount: typeof withheld === 'number' && Number.isInteger(withheld) && withheld > 0 ? withheld : 0,
  };
}

/** The transition properties of a note, narrowed; undefined when it is not an inquiry note. */
export interface TransitionMessage {
  readonly id: string;
  readonly created: string;
  readonly modified: string;
  readonly author: string;
  readonly inquiryRef: string;
  readonly action: InquiryAction;
  readonly state: InquiryState;
  readonly content: string;
  readonly lang?: string;
  readonly inReplyTo: MessageRef;
  readonly deadlines?: { readonly acknowledgeBy: string; readonly answerBy: string };
}

export function readTransition(obj: StixJson): TransitionMessage | undefined {
  const e = ext(obj);
  if (obj['type'] !== 'note' || e === undefined) return undefined;
  const m = messageBasics(obj);
  const inquiryRef = str(e['inquiry_ref']);
  const action = e['action'];
  const state = e['state'];
  const r = e['in_reply_to'];
  if (m === undefined || inquiryRef === undefined) return undefined;
  if (!isInquiryAction(action) || !isInquiryState(state) || !isRecord(r)) return undefined;
  const [ref, refModified, sha] = [str(r['object_ref']), str(r['object_modified']), str(r['sha256'])];
  if (ref === undefined || refModified === undefined || sha === undefined) return undefined;
  const refs = obj['object_refs'];
  if (!Array.isArray(refs) || !refs.includes(inquiryRef)) return undefined;
  const ackBy = str(e['acknowledge_by']);
  const answerBy = str(e['answer_by']);
  const lang = str(obj['lang']);
  return {
    ...m,
    inquiryRef,
    action,
    state,
    content: str(obj['content']) ?? '',
    ...(lang === undefined ? {} : { lang }),
    inReplyTo: { object_ref: ref, object_modified: refModified, sha256: sha },
    ...(ackBy === undefined || answerBy === undefined ? {} : { deadlines: { acknowledgeBy: ackBy, answerBy } }),
  };
}

/** The inquiry a thread object belongs to (incident: itself; note and language-content: inquiry_ref). */
export function inquiryOf(obj: StixJson): string | undefined {
  if (obj['type'] === 'incident') return ext(obj) === undefined ? undefined : str(obj['id']);
  return str(ext(obj)?.['inquiry_ref']);
}
