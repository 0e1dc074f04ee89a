/**
 * The `inquiries:` section of collections.yaml (formal inquiries between authorities, src/inquiries/): its
 * cross-checks and its runtime form with the default deadlines filled in.
 *
 * An inquiry collection is written only by the inquiry use cases (they sign every object), so it must have
 * no TAXII writers; it is read by exactly its two authorities (and admins), each cleared for the channel's
 * TLP, so that both sides can always read the whole thread.
 */
import { tlpRank } from '../stix/markings';
import { type ConfigProblem, problem } from './config-problem';
import { type RawConfig, type RawInquiryContact, type RawInquiryDeadlines, type RawTlp, closest } from './config-schema';
import { resolveLocalCollection } from './federation-config';
import type { TlpLevel } from '../stix/markings';
import type { InquiriesConfig, InquiryContact, InquiryContacts, InquiryDeadlines, InquiryUrgency } from './types';

export const INQUIRY_URGENCIES: readonly InquiryUrgency[] = ['routine', 'priority', 'urgent'];

/** Deadlines of each urgency where the file gives none (seconds). */
export const INQUIRY_DEADLINE_DEFAULTS: Readonly<Record<InquiryUrgency, InquiryDeadlines>> = Object.freeze({
  routine: { acknowledge_within_seconds: 24 * 3600, answer_within_seconds: 14 * 86400, remind_before_seconds: 2 * 3600 },
  priority: { acknowledge_within_seconds: 4 * 3600, answer_within_seconds: 3 * 86400, remind_before_seconds: 3600 },
  urgent: { acknowledge_within_seconds: 30 * 60, answer_within_seconds: 24 * 3600, remind_before_seconds: 10 * 60 },
});

/** Default TLP of inquiry objects. */
export const INQUIRY_DEFAULT_TLP: TlpLevel = 'amber';

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400 };

/** Seconds of a duration the schema accepted (`30m`); undefined for anything else. */
export function durationSeconds(text: string): number | undefined {
  const m = /^([1-9][0-9]{0,6})([smhd])$/.exec(text);
  const unit = m?.[2] === undefined ? undefined : UNIT_SECONDS[m[2]];
  return m?.[1] === undefined || unit === undefined ? undefined : Number(m[1]) * unit;
}

function tlp(level: RawTlp | undefined): TlpLevel {
  if (level === undefined) return INQUIRY_DEFAULT_TLP;
  return level === 'white' ? 'clear' : level;
}

function deadlines(raw: RawInquiryDeadlines | undefined, fallback: InquiryDeadlines): InquiryDeadlines {
  if (raw === undefined) return fallback;
  return {
    acknowledge_within_seconds: durationSeconds(raw.acknowledge_within) ?? fallback.acknowledge_within_seconds,
    answer_within_seconds: durationSeconds(raw.answer_within) ?? fallback.answer_within_seconds,
    remind_before_seconds: raw.remind_before === undefined ? 0 : (durationSeconds(raw.remind_before) ?? 0),
  };
}

/** The runtime form (a cross-checked config: every reference resolves). */
export function buildInquiries(raw: RawConfig): InquiriesConfig {
  const r = raw.inquiries;
  const urgency = {
    routine: deadlines(r?.urgency?.routine, INQUIRY_DEADLINE_DEFAULTS.routine),
    priority: deadlines(r?.urgency?.priority, INQUIRY_DEADLINE_DEFAULTS.priority),
    urgent: deadlines(r?.urgency?.urgent, INQUIRY_DEADLINE_DEFAULTS.urgent),
  };
  const channels = (r?.channels ?? []).map((c) => {
    const [a = '', b = ''] = c.authorities;
    return { collection: resolveLocalCollection(raw, c.collection) ?? c.collection, authorities: [a, b] as const, tlp: tlp(c.tlp) };
  });
  const partner_keys = (r?.partner_keys ?? []).map((k) => ({ authorities: [...k.authorities], public_key_file: k.public_key_file }));
  const contacts: Record<string, InquiryContacts> = {};
  for (const [name, c] of Object.entries(r?.contacts ?? {})) {
    contacts[name] = { duty: c.duty.map(contact), escalation: (c.escalation ?? []).map(contact) };
  }
  return { urgency, channels, partner_keys, contacts, ...(r?.smtp === undefined ? {} : { smtp: { ...r.smtp } }) };
}

function contact(c: RawInquiryContact): InquiryContact {
  const h = c.hours === undefined ? undefined : /^(\d\d)-(\d\d)$/.exec(c.hours);
  return {
    name: c.name,
    ...(c.email === undefined ? {} : { email: c.email }),
    ...(c.webhook === undefined ? {} : { webhook: c.webhook }),
    ...(c.secret_env === undefined ? {} : { secret_env: c.secret_env }),
    ...(c.secret_file === undefined ? {} : { secret_file: c.secret_file }),
    ...(h?.[1] === undefined || h[2] === undefined ? {} : { hours: { from: Number(h[1]), to: Number(h[2]) } }),
  };
}

function unknownPrincipal(name: string, known: readonly string[], path: readonly (string | number)[]): ConfigProblem[] {
  if (known.includes(name)) return [];
  const guess = closest(name, known);
  const hint = guess === undefined ? '' : ` (did you mean "${guess}"?)`;
  return [problem('UNKNOWN_PRINCIPAL', path, `unknown principal "${name}"${hint}`)];
}

/** The collection, readers, writers, clearances and keys of each channel fit the rules of the module comment. */
export function checkInquiries(raw: RawConfig, env?: Readonly<Record<string, string | undefined>>): ConfigProblem[] {
  const r = raw.inquiries;
  if (r === undefined) return [];
  const principals = raw.principals.map((p) => p.name);
  const uses: ChannelUses = { collection: new Map(), pair: new Map() };
  return [
    ...checkUrgencies(r),
    ...r.channels.flatMap((ch, i) => checkChannel(raw, ch, i, principals, uses)),
    ...checkContacts(r, principals, env),
    ...checkSmtp(r, env),
    ...checkPartnerKeys(r, principals),
  ];
}

type RawInquiries = NonNullable<RawConfig['inquiries']>;
type RawChannel = RawInquiries['channels'][number];
type Env = Readonly<Record<string, string | undefined>> | undefined;

/** Where each collection and each pair of authorities was first given a channel (index into channels). */
interface ChannelUses {
  readonly collection: Map<string, number>;
  readonly pair: Map<string, number>;
}

/** Each urgency's answer deadline is not shorter than its acknowledgement, and the reminder comes before. */
function checkUrgencies(r: RawInquiries): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  for (const u of INQUIRY_URGENCIES) {
    const d = r.urgency?.[u];
    if (d === undefined) continue;
    const ack = durationSeconds(d.acknowledge_within) ?? 0;
    const answer = durationSeconds(d.answer_within) ?? 0;
    if (answer < ack) {
      out.push(
        problem(
          'INVALID_VALUE',
          ['inquiries', 'urgency', u, 'answer_within'],
          `must not be shorter than acknowledge_within (${d.acknowledge_within})`,
        ),
      );
    }
    const remind = d.remind_before === undefined ? 0 : (durationSeconds(d.remind_before) ?? 0);
    if (remind >= ack) {
      out.push(
        problem(
          'INVALID_VALUE',
          ['inquiries', 'urgency', u, 'remind_before'],
          `must be shorter than acknowledge_within (${d.acknowledge_within})`,
        ),
      );
    }
  }
  return out;
}

/** One channel: known authorities, a pair and a collection used once, and the collection's own rules. */
function checkChannel(raw: RawConfig, ch: RawChannel, i: number, principals: readonly string[], uses: ChannelUses): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const path = ['inquiries', 'channels', i];
  ch.authorities.forEach((a, ai) => out.push(...unknownPrincipal(a, principals, [...path, 'authorities', ai])));
  const pair = [...ch.authorities].sort().join('\u0000');
  const otherPair = uses.pair.get(pair);
  if (otherPair !== undefined) {
    out.push(
      problem(
        'DUPLICATE_CHANNEL',
        [...path, 'authorities'],
        `these two authorities already have a channel at inquiries.channels[${otherPair}]`,
      ),
    );
  } else {
    uses.pair.set(pair, i);
  }
  const id = resolveLocalCollection(raw, ch.collection);
  const c = raw.collections.find((x) => x.id === id);
  if (id === undefined || c === undefined) {
    const known = raw.collections.flatMap((x) => (x.alias === undefined ? [x.id] : [x.alias, x.id]));
    const guess = closest(ch.collection, known);
    const hint = guess === undefined ? '' : ` (did you mean "${guess}"?)`;
    out.push(problem('UNKNOWN_COLLECTION', [...path, 'collection'], `no local collection with id or alias "${ch.collection}"${hint}`));
    return out;
  }
  const other = uses.collection.get(id);
  if (other !== undefined) {
    out.push(problem('DUPLICATE_ITEM', [...path, 'collection'], `this collection already holds the channel inquiries.channels[${other}]`));
  } else {
    uses.collection.set(id, i);
  }
  out.push(...checkChannelCollection(raw, c, ch, path));
  return out;
}

/** The channel's collection: no writers, exactly the two authorities as readers, each cleared for its TLP. */
function checkChannelCollection(
  raw: RawConfig,
  c: RawConfig['collections'][number],
  ch: RawChannel,
  path: readonly (string | number)[],
): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const ci = raw.collections.indexOf(c);
  if (c.writers.length > 0) {
    out.push(
      problem(
        'INQUIRY_COLLECTION_WRITERS',
        ['collections', ci, 'writers'],
        'an inquiry collection has no writers (inquiries are written through /gateway/v1/inquiries, signed)',
      ),
    );
  }
  const readers = c.readers.map((x) => (typeof x === 'string' ? x : x.name));
  const expected = [...ch.authorities].sort();
  if ([...readers].sort().join('\u0000') !== expected.join('\u0000')) {
    out.push(
      problem(
        'INQUIRY_COLLECTION_READERS',
        ['collections', ci, 'readers'],
        `the readers of an inquiry collection are exactly its two authorities: ${expected.join(', ')}`,
      ),
    );
  }
  const rank = tlpRank(tlp(ch.tlp));
  c.readers.forEach((x, ri) => {
    if (typeof x === 'string' || x.max_tlp === undefined) return;
    if (tlpRank(tlp(x.max_tlp)) < rank) {
      out.push(
        problem(
          'INQUIRY_READER_CLEARANCE',
          ['collections', ci, 'readers', ri],
          `reader "${x.name}" is not cleared for the channel's TLP ${tlp(ch.tlp)}`,
        ),
      );
    }
  });
  ch.authorities.forEach((a, ai) => {
    const cap = raw.principals.find((p) => p.name === a)?.max_tlp;
    if (cap !== undefined && tlpRank(tlp(cap)) < rank) {
      out.push(
        problem(
          'INQUIRY_READER_CLEARANCE',
          [...path, 'authorities', ai],
          `principal "${a}" (max_tlp ${tlp(cap)}) is not cleared for the channel's TLP ${tlp(ch.tlp)}`,
        ),
      );
    }
  });
  return out;
}

/** Contacts belong to an authority of a channel and can be reached (e-mail with SMTP, webhook with one secret). */
function checkContacts(r: RawInquiries, principals: readonly string[], env: Env): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const principalsWithChannel = new Set(r.channels.flatMap((c) => c.authorities));
  for (const [name, c] of Object.entries(r.contacts ?? {})) {
    const path = ['inquiries', 'contacts', name];
    if (!principals.includes(name)) out.push(...unknownPrincipal(name, principals, path).map((p) => ({ ...p, target: 'key' as const })));
    else if (!principalsWithChannel.has(name))
      out.push(problem('INVALID_VALUE', path, `"${name}" is the authority of no inquiry channel`, 'key'));
    for (const list of ['duty', 'escalation'] as const) {
      (c[list] ?? []).forEach((k, i) => {
        const at = [...path, list, i];
        if (k.email === undefined && k.webhook === undefined)
          out.push(problem('MISSING_KEY', at, 'a contact needs an email or a webhook (or both)'));
        if (k.email !== undefined && r.smtp === undefined)
          out.push(problem('MISSING_KEY', [...at, 'email'], 'e-mail contacts need inquiries.smtp'));
        if (k.webhook !== undefined && (k.secret_env === undefined) === (k.secret_file === undefined)) {
          out.push(
            problem('MISSING_KEY', [...at, 'webhook'], 'a webhook needs exactly one of secret_env or secret_file (its HMAC secret)'),
          );
        }
        if (k.webhook === undefined && (k.secret_env !== undefined || k.secret_file !== undefined)) {
          out.push(problem('INVALID_VALUE', at, 'secret_env/secret_file only go with a webhook'));
        }
        if (env !== undefined && k.secret_env !== undefined && (env[k.secret_env] ?? '') === '') {
          out.push(
            problem(
              'ENV_MISSING',
              [...at, 'secret_env'],
              `environment variable ${k.secret_env} (webhook secret of "${k.name}") is not set`,
            ),
          );
        }
        if (k.hours !== undefined && k.hours.slice(0, 2) === k.hours.slice(3))
          out.push(problem('INVALID_VALUE', [...at, 'hours'], 'an empty shift (from = to)'));
      });
    }
  }
  return out;
}

/** The SMTP password is given once, and its environment variable is set. */
function checkSmtp(r: RawInquiries, env: Env): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const smtpEnv = r.smtp?.password_env;
  if (env !== undefined && smtpEnv !== undefined && (env[smtpEnv] ?? '') === '') {
    out.push(problem('ENV_MISSING', ['inquiries', 'smtp', 'password_env'], `environment variable ${smtpEnv} (SMTP password) is not set`));
  }
  if (r.smtp !== undefined && r.smtp.password_env !== undefined && r.smtp.password_file !== undefined) {
    out.push(problem('INVALID_VALUE', ['inquiries', 'smtp'], 'give password_env or password_file, not both'));
  }
  return out;
}

/** Each authority is signed for by at most one partner key. */
function checkPartnerKeys(r: RawInquiries, principals: readonly string[]): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const signedBy = new Map<string, number>();
  (r.partner_keys ?? []).forEach((k, i) => {
    k.authorities.forEach((a, ai) => {
      const path = ['inquiries', 'partner_keys', i, 'authorities', ai];
      out.push(...unknownPrincipal(a, principals, path));
      const other = signedBy.get(a);
      if (other !== undefined)
        out.push(problem('DUPLICATE_ITEM', path, `"${a}" is already signed for by inquiries.partner_keys[${other}]`));
      else signedBy.set(a, i);
    });
  });
  return out;
}
