/**
 * `inquiry <open|list|show|ack|answer|request-clarification|clarify|close|withdraw|verify|public-key>`:
 * formal inquiries from the command line. Every action goes through the gateway's API
 * (/gateway/v1/inquiries), under a principal's credentials, so it is authenticated, signed by the gateway and
 * in the audit trail like any other. `verify` works offline on a saved thread; `public-key` prints this
 * gateway's public key (to give to the partner).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfigFile, formatConfigIssue } from '../../config/load-config';
import { type StixJson, inquiryOf } from '../../inquiries/model';
import { Keyring, type KeyringEntry, keyIdOf } from '../../inquiries/signature';
import { PUBLIC_KEY_FILE, keyringFor, parsePublicKey } from '../../inquiries/signing-key';
import { foldThread } from '../../inquiries/thread';
import type { CliIo, Command } from '../cli-types';
import type { FlagSpec } from '../args';
import { command, valueSpec } from '../define-command';

export const INQUIRY_HELP = `Usage: taxii-gateway inquiry <command> [options]

Formal inquiries between competent authorities (docs/inquiries.md).

Commands (through the gateway's API, as an authority):
  open --to PRINCIPAL --subject TEXT --description TEXT --urgency routine|priority|urgent
       --action information|mitigation|notification [--evidence ID]... [--lang TAG]
  list [--state STATE] [--urgency U] [--overdue | --not-overdue]
  show ID [--bundle]           the thread (--bundle: its STIX objects as a bundle, for verify)
  ack ID [--text TEXT]         acknowledge receipt (asked authority)
  answer ID --text TEXT        answer (asked authority)
  request-clarification ID --text TEXT   (asked authority)
  clarify ID --text TEXT       (asking authority)
  close ID [--text TEXT]       (asking authority, after the answer)
  withdraw ID [--text TEXT]    (asking authority)
  Transitions also take --lang TAG and --translation TAG=TEXT (repeatable).

Offline:
  verify FILE                  checks every thread in FILE (a bundle, a JSON list or \`show\` output; - for
                               stdin): signatures, signing keys against authorities, reply chain, states.
                               Keys: --key IDENTITY=PEM_FILE (repeatable) and/or --config FILE
                               [--data-dir DIR] (partner_keys of the config and this gateway's own key)
  public-key [--data-dir DIR]  prints this gateway's inquiry public key (PEM)
  -h, --help                   shows this help

Connection: --url URL (default $GATEWAY_URL), --user NAME (default $GATEWAY_USER) with the password in
$GATEWAY_PASSWORD or --password-file FILE; or a bearer token in $GATEWAY_TOKEN or --token-file FILE.

Exit status: 0 ok, 1 refused or verification failed, 2 usage error.
`;

const VALUE_FLAGS = [
  'to',
  'subject',
  'description',
  'urgency',
  'action',
  'evidence',
  'lang',
  'state',
  'text',
  'translation',
  'key',
  'config',
  'data-dir',
  'url',
  'user',
  'password-file',
  'token-file',
];
const BOOLEAN_FLAGS = ['overdue', 'not-overdue', 'bundle'];
/** The options the parser below accepts: name → whether it takes a value. */
const OPTIONS: FlagSpec = { ...valueSpec(VALUE_FLAGS), ...Object.fromEntries(BOOLEAN_FLAGS.map((n) => [`--${n}`, false])) };
const REPEATABLE = new Set(['evidence', 'translation', 'key']);

interface Args {
  readonly positional: string[];
  readonly values: Map<string, string[]>;
  readonly flags: Set<string>;
}

function parseArgs(argv: readonly string[]): Args | 'help' | string {
  const args: Args = { positional: [], values: new Map(), flags: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '-h' || arg === '--help') return 'help';
    if (!arg.startsWith('--') || arg === '-') {
      args.positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq > 0 ? eq : undefined);
    const takesValue = OPTIONS[`--${name}`];
    if (takesValue === false) {
      args.flags.add(name);
      continue;
    }
    if (takesValue === undefined) return `unknown option "${arg}"`;
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) return `--${name} needs a value`;
    const list = args.values.get(name) ?? [];
    if (list.length > 0 && !REPEATABLE.has(name)) return `--${name} given twice`;
    list.push(value);
    args.values.set(name, list);
  }
  return args;
}

function one(a: Args, name: string): string | undefined {
  return a.values.get(name)?.[0];
}

class UsageError extends Error {}

function required(a: Args, name: string): string {
  const v = one(a, name);
  if (v === undefined || v === '') throw new UsageError(`--${name} is required`);
  return v;
}

async function authorization(a: Args, io: CliIo): Promise<string> {
  const tokenFile = one(a, 'token-file');
  const token = tokenFile === undefined ? io.env['GATEWAY_TOKEN'] : (await readFile(tokenFile, 'utf8')).trim();
  if (token !== undefined && token !== '') return `Bearer ${token}`;
  const user = one(a, 'user') ?? io.env['GATEWAY_USER'];
  const passwordFile = one(a, 'password-file');
  const password = passwordFile === undefined ? io.env['GATEWAY_PASSWORD'] : (await readFile(passwordFile, 'utf8')).replace(/\r?\n$/, '');
  if (user === undefined || password === undefined)
    throw new UsageError('credentials needed: --user with $GATEWAY_PASSWORD or --password-file, or a bearer token');
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

async function call(
  a: Args,
  io: CliIo,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ ok: boolean; json: unknown; text: string }> {
  const url = one(a, 'url') ?? io.env['GATEWAY_URL'];
  if (url === undefined) throw new UsageError('--url (or $GATEWAY_URL) is required');
  const res = await fetch(`${url.replace(/\/+$/, '')}/gateway/v1/inquiries${path}`, {
    method,
    headers: {
      Accept: 'application/json',
      Authorization: await authorization(a, io),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { ok: res.ok, json, text };
}

function translations(a: Args, field: 'content'): Record<string, Record<string, string>> | undefined {
  const list = a.values.get('translation') ?? [];
  if (list.length === 0) return undefined;
  const out: Record<string, Record<string, string>> = {};
  for (const t of list) {
    const eq = t.indexOf('=');
    if (eq <= 0) throw new UsageError('--translation takes TAG=TEXT (e.g. ru=Получено)');
    out[t.slice(0, eq)] = { [field]: t.slice(eq + 1) };
  }
  return out;
}

const ACTIONS: Readonly<Record<string, string>> = {
  ack: 'acknowledge',
  acknowledge: 'acknowledge',
  answer: 'answer',
  'request-clarification': 'request-clarification',
  clarify: 'clarify',
  close: 'close',
  withdraw: 'withdraw',
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The objects of a saved thread: a bundle, a plain list, or the `show` answer (its `objects`). */
export function threadObjects(value: unknown): StixJson[] {
  const list: unknown = Array.isArray(value) ? value : isRecord(value) ? value['objects'] : undefined;
  if (!Array.isArray(list)) throw new UsageError('the file holds neither a bundle, a list of objects nor a thread');
  return list.filter(isRecord);
}

async function verifyKeyring(a: Args): Promise<Keyring> {
  const entries: KeyringEntry[] = [];
  for (const spec of a.values.get('key') ?? []) {
    const eq = spec.indexOf('=');
    if (eq <= 0) throw new UsageError('--key takes IDENTITY=PEM_FILE');
    const file = spec.slice(eq + 1);
    const publicKey = parsePublicKey(await readFile(file, 'utf8'), file);
    entries.push({ keyId: keyIdOf(publicKey), publicKey, identities: new Set([spec.slice(0, eq)]) });
  }
  const configFile = one(a, 'config');
  if (configFile !== undefined) {
    const loaded = await loadConfigFile(configFile);
    if (!loaded.config) throw new UsageError(`${configFile} has problems:\n${loaded.issues.map(formatConfigIssue).join('\n')}`);
    const dataDir = one(a, 'data-dir');
    const own =
      dataDir === undefined
        ? undefined
        : parsePublicKey(await readFile(join(dataDir, PUBLIC_KEY_FILE), 'utf8'), join(dataDir, PUBLIC_KEY_FILE));
    entries.push(...(await keyringFor(loaded.config, own)).entries());
  }
  if (entries.length === 0) throw new UsageError('verify needs keys: --key IDENTITY=PEM_FILE or --config FILE [--data-dir DIR]');
  return new Keyring(entries);
}

/** Checks every thread of the objects; prints one line per thread and per issue. Returns the exit code. */
export function verifyThreads(objects: readonly StixJson[], keyring: Keyring, io: CliIo): number {
  const ids = [
    ...new Set(
      objects
        .filter((o) => o['type'] === 'incident')
        .map((o) => inquiryOf(o))
        .filter((x): x is string => x !== undefined),
    ),
  ];
  if (ids.length === 0) {
    io.stderr('verify: no inquiry (incident with the inquiry extension) in the input\n');
    return 1;
  }
  let failed = 0;
  for (const id of ids) {
    const mine = objects.filter((o) => inquiryOf(o) === id);
    const thread = foldThread(id, mine, keyring);
    if (thread === undefined) {
      const incident = mine.find((o) => o['type'] === 'incident');
      const why = incident === undefined ? 'not an inquiry' : keyring.verify(incident);
      io.stdout(
        `${id}: FAILED the opening message does not verify${typeof why === 'string' || why.ok ? '' : `: ${why.code} ${why.message}`}\n`,
      );
      failed++;
      continue;
    }
    const used = new Set(thread.objects.map((o) => `${String(o['id'])}@${String(o['modified'])}`));
    const unused = mine.filter((o) => !used.has(`${String(o['id'])}@${String(o['modified'])}`));
    const ok = thread.issues.length === 0 && unused.length === 0;
    if (!ok) failed++;
    io.stdout(`${id}: ${ok ? 'OK' : 'FAILED'} ${thread.messages.length} messages, state ${thread.state}, last ${thread.last.sha256}\n`);
    for (const m of thread.messages)
      io.stdout(`  ${m.created} ${m.action} by ${m.party} (${m.author}) key ${m.keyId ?? '?'} sha256 ${m.sha256}\n`);
    for (const i of thread.issues) io.stdout(`  ${i.code}${i.objectId === undefined ? '' : ` ${i.objectId}`}: ${i.message}\n`);
  }
  return failed === 0 ? 0 : 1;
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  const a = parseArgs(rest);
  if (sub === undefined || sub === '-h' || sub === '--help' || a === 'help') {
    io.stdout(INQUIRY_HELP);
    return sub === undefined ? 2 : 0;
  }
  if (typeof a === 'string') throw new UsageError(a);
  const print = (r: { ok: boolean; json: unknown; text: string }): number => {
    (r.ok ? io.stdout : io.stderr)(`${r.json === undefined ? r.text : JSON.stringify(r.json, null, 2)}\n`);
    return r.ok ? 0 : 1;
  };
  const id = (): string => {
    const v = a.positional[0];
    if (v === undefined) throw new UsageError(`${sub} needs the inquiry id`);
    return encodeURIComponent(v);
  };
  switch (sub) {
    case 'open': {
      const lang = one(a, 'lang');
      return print(
        await call(a, io, 'POST', '', {
          asked: required(a, 'to'),
          subject: required(a, 'subject'),
          description: required(a, 'description'),
          urgency: required(a, 'urgency'),
          requested_action: required(a, 'action'),
          ...(lang === undefined ? {} : { lang }),
          ...(a.values.has('evidence') ? { evidence_refs: a.values.get('evidence') } : {}),
        }),
      );
    }
    case 'list': {
      const q = new URLSearchParams();
      const state = one(a, 'state');
      const urgency = one(a, 'urgency');
      if (state !== undefined) q.set('state', state);
      if (urgency !== undefined) q.set('urgency', urgency);
      if (a.flags.has('overdue')) q.set('overdue', 'true');
      if (a.flags.has('not-overdue')) q.set('overdue', 'false');
      const qs = q.toString();
      return print(await call(a, io, 'GET', qs === '' ? '' : `?${qs}`));
    }
    case 'show': {
      const r = await call(a, io, 'GET', `/${id()}`);
      if (r.ok && a.flags.has('bundle') && isRecord(r.json)) {
        const bundle = { type: 'bundle', id: `bundle--${crypto.randomUUID()}`, objects: threadObjects(r.json) };
        io.stdout(`${JSON.stringify(bundle, null, 2)}\n`);
        return 0;
      }
      return print(r);
    }
    case 'verify': {
      const file = a.positional[0];
      if (file === undefined) throw new UsageError('verify needs a FILE (or - for stdin)');
      const text = file === '-' ? (await io.readStdin()).toString('utf8') : await readFile(file, 'utf8');
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (err) {
        io.stderr(`verify: ${file} is not JSON (${err instanceof Error ? err.message : String(err)})\n`);
        return 1;
      }
      return verifyThreads(threadObjects(parsed), await verifyKeyring(a), io);
    }
    case 'public-key': {
      const dir = one(a, 'data-dir') ?? io.env['GATEWAY_DATA_DIR'] ?? './data';
      io.stdout(await readFile(join(dir, PUBLIC_KEY_FILE), 'utf8'));
      return 0;
    }
    default: {
      const action = ACTIONS[sub];
      if (action === undefined) throw new UsageError(`unknown inquiry command "${sub}"`);
      const text = one(a, 'text');
      if ((action === 'answer' || action === 'request-clarification' || action === 'clarify') && text === undefined) {
        throw new UsageError(`${sub} needs --text`);
      }
      const lang = one(a, 'lang');
      const tr = translations(a, 'content');
      return print(
        await call(a, io, 'POST', `/${id()}/${action}`, {
          ...(text === undefined ? {} : { content: text }),
          ...(lang === undefined ? {} : { lang }),
          ...(tr === undefined ? {} : { translations: tr }),
        }),
      );
    }
  }
}

export const inquiryCommand: Command = command(INQUIRY_HELP, OPTIONS, async (argv, io) => {
  try {
    return await run(argv, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`inquiry: ${err.message}\n\n${INQUIRY_HELP}`);
      return 2;
    }
    io.stderr(`inquiry: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
});
