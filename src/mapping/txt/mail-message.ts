/**
 * The mail header blocks of a text list (a pasted malspam message, as CERT and vendor write-ups give them) →
 * one STIX 2.1 observed-data holding an `email-message` SCO (§6.6), so that what the headers say is kept
 * although only the sender's values become indicators: the relays of `Received:` lines (`received_lines`,
 * unfolded, as written), the subject, date, message id, content type, the sender address (`from_ref`) and every
 * other header (`additional_header_fields`, case kept, one list of strings per name). MIME part headers that
 * follow the message (`Content-Disposition: attachment; filename=…`) become its `body_multipart` entries, an
 * attachment's file name a `file` SCO. Masked addresses (`t****@…`) make no `email-addr`; their header stays
 * text. Pure.
 */
import { tlp2IdFor, type TlpLevel } from '../../stix/markings';
import { deterministicScoId, GATEWAY_ID_NAMESPACE, uuidV4From } from '../../stix/identifiers';
import { canonicalEmail } from '../../stix/values';
import { inferValueType } from '../common/infer-type';
import { derivedId } from '../common/stix-builders';
import type { StixObject } from '../types';

/** One header of a block: its name as written and its value, continuation lines joined by one space. */
export interface MailHeader {
  readonly name: string;
  value: string;
}

/** A message's header block and the MIME part header blocks found after it. */
export interface MailBlock {
  readonly headers: MailHeader[];
  readonly parts: MailHeader[][];
}

/** What the observed-data and its SCOs carry from the list. */
export interface MailContext {
  readonly sourceName: string;
  readonly created: string;
  readonly createdByRef?: string;
  readonly tlp?: TlpLevel;
}

/** Headers with a property of their own in `email-message`; the rest go to `additional_header_fields`. */
const OWN_PROPERTIES: ReadonlySet<string> = new Set(['received', 'subject', 'date', 'message-id', 'content-type', 'from']);

/** Headers that make a block a message rather than a MIME part. */
const MESSAGE_HEADERS: ReadonlySet<string> = new Set(['received', 'from', 'message-id', 'subject', 'return-path', 'to', 'date']);

/** Whether a header block is a message's (it names its route, sender or subject), not a MIME part's. */
export function isMessageBlock(headers: readonly MailHeader[]): boolean {
  return headers.some((h) => MESSAGE_HEADERS.has(h.name.toLowerCase()));
}

const values = (headers: readonly MailHeader[], name: string): string[] =>
  headers.filter((h) => h.name.toLowerCase() === name).map((h) => h.value.trim());

/**
 * The `email-addr` of a header value (`Name <a@b>` or `a@b`): the canonical address and the display name;
 * undefined when the value holds no unmasked address.
 */
function address(value: string | undefined): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  const angled = /^(.*)<([^<>\s]+@[^<>\s]+)>\s*$/.exec(value.trim());
  const inferred = inferValueType(angled?.[2] ?? value.trim());
  const canonical = inferred.type === 'email-addr' && inferred.masked !== true ? canonicalEmail(inferred.value) : undefined;
  if (canonical === undefined) return undefined;
  const name = angled?.[1]?.trim().replace(/^"(.*)"$/, '$1');
  return { type: 'email-addr', value: canonical, ...(name !== undefined && name !== '' ? { display_name: name } : {}) };
}

/** A parameter of a structured header (`filename="a.doc"`, `name=a.doc`). */
function parameter(value: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|;)\\s*${name}\\*?=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(value);
  const found = m?.[1] ?? m?.[2];
  return found === undefined || found.trim() === '' ? undefined : found.trim();
}

/**
 * The body_multipart entries of the MIME parts that name a file (attachments), each with a `file` SCO; parts
 * without a name are left out (their body is not in a header, and an empty `body` would claim it was empty).
 */
function bodyParts(parts: readonly MailHeader[][], sco: (o: Record<string, unknown>) => string): Record<string, unknown>[] {
  return parts.flatMap((part) => {
    const type = values(part, 'content-type')[0];
    const disposition = values(part, 'content-disposition')[0];
    const name =
      (disposition !== undefined ? parameter(disposition, 'filename') : undefined) ??
      (type !== undefined ? parameter(type, 'name') : undefined);
    if (name === undefined) return [];
    return [
      {
        body_raw_ref: sco({ type: 'file', name }),
        ...(type !== undefined ? { content_type: type } : {}),
        ...(disposition !== undefined ? { content_disposition: disposition } : {}),
      },
    ];
  });
}

/**
 * The observed-data and SCOs of one message block; empty when the block holds nothing to keep. `at` names the
 * block's first line, part of the observed-data's derived id.
 */
export function mailObservation(block: MailBlock, at: string, ctx: MailContext): StixObject[] {
  const { headers } = block;
  const markings = ctx.tlp === undefined ? {} : { object_marking_refs: [tlp2IdFor(ctx.tlp)] };
  const scos: StixObject[] = [];
  const sco = (o: Record<string, unknown>): string => {
    const id =
      deterministicScoId(o) ?? `${String(o['type'])}--${uuidV4From(`${ctx.sourceName}\u0000${JSON.stringify(o)}`, GATEWAY_ID_NAMESPACE)}`;
    if (!scos.some((s) => s.id === id)) scos.push({ ...o, type: String(o['type']), id, spec_version: '2.1', ...markings });
    return id;
  };
  const message: Record<string, unknown> = { type: 'email-message' };
  const contentType = values(headers, 'content-type')[0];
  message['is_multipart'] = contentType !== undefined && /^multipart\//i.test(contentType);
  if (contentType !== undefined) message['content_type'] = contentType;
  const subject = values(headers, 'subject')[0];
  if (subject !== undefined && subject !== '') message['subject'] = subject;
  const messageId = values(headers, 'message-id')[0];
  if (messageId !== undefined && messageId !== '') message['message_id'] = messageId;
  const date = values(headers, 'date')[0];
  const instant = date === undefined ? NaN : Date.parse(date);
  if (!Number.isNaN(instant)) message['date'] = new Date(instant).toISOString();
  const received = values(headers, 'received');
  if (received.length > 0) message['received_lines'] = received;
  const from = address(values(headers, 'from')[0]);
  if (from !== undefined) message['from_ref'] = sco(from);
  const other: Record<string, string[]> = {};
  for (const h of headers) {
    const own = OWN_PROPERTIES.has(h.name.toLowerCase()) && !(h.name.toLowerCase() === 'from' && from === undefined);
    const kept = own && !(h.name.toLowerCase() === 'date' && Number.isNaN(instant));
    if (!kept) (other[h.name] ??= []).push(h.value.trim());
  }
  if (Object.keys(other).length > 0) message['additional_header_fields'] = other;
  const attachments = message['is_multipart'] === true ? bodyParts(block.parts, sco) : [];
  if (attachments.length > 0) message['body_multipart'] = attachments;
  const messageRef = sco(message);
  const observedAt = Number.isNaN(instant) ? ctx.created : new Date(instant).toISOString();
  const observed: StixObject = {
    type: 'observed-data',
    spec_version: '2.1',
    id: derivedId('observed-data', ctx.sourceName, 'mail', at, messageRef),
    created: ctx.created,
    modified: ctx.created,
    first_observed: observedAt,
    last_observed: observedAt,
    number_observed: 1,
    object_refs: [messageRef, ...scos.map((s) => s.id).filter((id) => id !== messageRef)],
    ...(ctx.createdByRef !== undefined ? { created_by_ref: ctx.createdByRef } : {}),
    ...markings,
  };
  return [observed, ...scos];
}
