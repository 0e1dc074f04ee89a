/**
 * The requests of the inquiry use cases, narrowed from untrusted JSON: each field checked for type, length and
 * vocabulary, the first problem reported as INQUIRY_INVALID_INPUT with the field's JSON pointer.
 */
import type { InquiryUrgency } from '../config/types';
import { parseStixId } from '../stix/identifiers';
import { InquiryError } from './inquiry-error';
import { type RequestedAction, REQUESTED_ACTIONS, URGENCIES, isRequestedAction, isUrgency } from './model';

export const MAX_SUBJECT = 300;
export const MAX_TEXT = 20_000;
export const MAX_EVIDENCE = 100;
export const MAX_TRANSLATIONS = 10;

/** Language tags as BCP 47 spells them in practice (`en`, `ru`, `en-US`, `zh-Hant-TW`). */
const LANG = /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8}){0,3}$/;

/** Translations of a message's text, by language tag. */
export type Translations = Readonly<
  Record<string, { readonly subject?: string; readonly description?: string; readonly content?: string }>
>;

export interface OpenRequest {
  /** Principal name of the authority asked. */
  readonly asked: string;
  /** When given, must be the caller's own principal name (anything else is a forged authority). */
  readonly asking?: string;
  readonly subject: string;
  readonly description: string;
  readonly lang: string;
  readonly urgency: InquiryUrgency;
  readonly requestedAction: RequestedAction;
  readonly evidenceRefs: readonly string[];
  readonly translations: Translations;
}

export interface TransitionRequest {
  readonly content?: string;
  readonly lang: string;
  /** When given, the digest of the message the caller replies to (the thread's last one); else the last. */
  readonly inReplyTo?: string;
  /** When given, must be the caller's own principal name. */
  readonly author?: string;
  readonly translations: Translations;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function bad(field: string, why: string): InquiryError {
  return new InquiryError('INQUIRY_INVALID_INPUT', `${field}: ${why}`, field);
}

function text(body: Record<string, unknown>, key: string, max: number, required: boolean): string | undefined {
  const v = body[key];
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'string' || v.trim() === '') throw bad(`/${key}`, 'must be a non-empty string');
  if (v.length > max) throw bad(`/${key}`, `must be at most ${max} characters`);
  return v;
}

function lang(body: Record<string, unknown>): string {
  const v = body['lang'];
  if (v === undefined) return 'en';
  if (typeof v !== 'string' || !LANG.test(v)) throw bad('/lang', 'must be a language tag such as "en", "ru" or "en-US"');
  return v;
}

function translations(body: Record<string, unknown>, keys: readonly ('subject' | 'description' | 'content')[]): Translations {
  const v = body['translations'];
  if (v === undefined) return {};
  if (!isRecord(v)) throw bad('/translations', `must be a map from language tag to { ${keys.join(', ')} }`);
  const entries = Object.entries(v);
  if (entries.length > MAX_TRANSLATIONS) throw bad('/translations', `at most ${MAX_TRANSLATIONS} languages`);
  const out: Record<string, { subject?: string; description?: string; content?: string }> = {};
  for (const [tag, t] of entries) {
    if (!LANG.test(tag)) throw bad(`/translations/${tag.slice(0, 20)}`, 'not a language tag');
    if (!isRecord(t)) throw bad(`/translations/${tag}`, `must be { ${keys.join(', ')} }`);
    const entry: { subject?: string; description?: string; content?: string } = {};
    for (const [k, s] of Object.entries(t)) {
      if (!(keys as readonly string[]).includes(k))
        throw bad(`/translations/${tag}/${k.slice(0, 40)}`, `unknown key (allowed: ${keys.join(', ')})`);
      if (typeof s !== 'string' || s.trim() === '' || s.length > MAX_TEXT)
        throw bad(`/translations/${tag}/${k}`, `must be a non-empty string of at most ${MAX_TEXT} characters`);
      if (k === 'subject' || k === 'description' || k === 'content') entry[k] = s;
    }
    if (Object.keys(entry).length === 0) throw bad(`/translations/${tag}`, 'translates nothing');
    out[tag] = entry;
  }
  return out;
}

function onlyKeys(body: Record<string, unknown>, allowed: readonly string[]): void {
  for (const k of Object.keys(body))
    if (!allowed.includes(k)) throw bad(`/${k.slice(0, 60)}`, `unknown field (allowed: ${allowed.join(', ')})`);
}

export function parseOpenRequest(body: unknown): OpenRequest {
  if (!isRecord(body)) throw bad('', 'the body must be a JSON object');
  onlyKeys(body, ['asked', 'asking', 'subject', 'description', 'lang', 'urgency', 'requested_action', 'evidence_refs', 'translations']);
  const asked = text(body, 'asked', 64, true) ?? '';
  const asking = text(body, 'asking', 64, false);
  const urgency = body['urgency'];
  if (!isUrgency(urgency)) throw bad('/urgency', `must be one of ${URGENCIES.join(', ')}`);
  const requested = body['requested_action'];
  if (!isRequestedAction(requested)) throw bad('/requested_action', `must be one of ${REQUESTED_ACTIONS.join(', ')}`);
  const refs = body['evidence_refs'] ?? [];
  if (!Array.isArray(refs) || refs.length > MAX_EVIDENCE) throw bad('/evidence_refs', `must be a list of at most ${MAX_EVIDENCE} STIX ids`);
  const evidenceRefs: string[] = [];
  refs.forEach((r: unknown, i) => {
    if (typeof r !== 'string' || parseStixId(r) === undefined) throw bad(`/evidence_refs/${i}`, 'must be a STIX id (type--uuid)');
    if (!evidenceRefs.includes(r)) evidenceRefs.push(r);
  });
  return {
    asked,
    ...(asking === undefined ? {} : { asking }),
    subject: text(body, 'subject', MAX_SUBJECT, true) ?? '',
    description: text(body, 'description', MAX_TEXT, true) ?? '',
    lang: lang(body),
    urgency,
    requestedAction: requested,
    evidenceRefs,
    translations: translations(body, ['subject', 'description']),
  };
}

export function parseTransitionRequest(body: unknown): TransitionRequest {
  if (body === undefined) return { lang: 'en', translations: {} };
  if (!isRecord(body)) throw bad('', 'the body must be a JSON object');
  onlyKeys(body, ['content', 'lang', 'in_reply_to', 'author', 'translations']);
  const content = text(body, 'content', MAX_TEXT, false);
  const author = text(body, 'author', 64, false);
  const r = body['in_reply_to'];
  if (r !== undefined && (typeof r !== 'string' || !/^[0-9a-f]{64}$/.test(r)))
    throw bad('/in_reply_to', 'must be the SHA-256 (64 lower-case hex digits) of the message replied to');
  return {
    ...(content === undefined ? {} : { content }),
    lang: lang(body),
    ...(typeof r === 'string' ? { inReplyTo: r } : {}),
    ...(author === undefined ? {} : { author }),
    translations: translations(body, ['content']),
  };
}
