/**
 * The duty officers' side of the README's inquiry demos: a local SMTP server and webhook receiver that print one
 * line per notification a gateway sends, and check each webhook's HMAC signature. Not for production: it accepts
 * any mail, without TLS. Run with `npx tsx scripts/inquiry-demo-receivers.ts`; stop with Ctrl-C (or SIGTERM).
 *
 * Environment: DEMO_SMTP_PORT (default 2525), DEMO_HOOK_PORT (default 9099), both on 127.0.0.1; the webhook
 * secret is read from the variable named by DEMO_HOOK_SECRET_ENV (default RU_INQUIRY_HOOK_SECRET).
 *
 * Lines: `e-mail to <addresses> <Message-ID> [<event>] Event: …` and
 * `webhook <event> signature valid|INVALID: contact=<name> kind=<kind> inquiry=<id>`.
 */
import http from 'node:http';
import { mailHeader, startSmtpSink } from '../test/helpers/smtp-sink';
import { webhookSignature } from '../src/inquiries/notifier';

const smtpPort = Number(process.env['DEMO_SMTP_PORT'] ?? 2525);
const hookPort = Number(process.env['DEMO_HOOK_PORT'] ?? 9099);
const secret = process.env[process.env['DEMO_HOOK_SECRET_ENV'] ?? 'RU_INQUIRY_HOOK_SECRET'] ?? '';

// The SMTP side is the tests' sink (test/helpers/smtp-sink.ts) on a fixed port, printing each message.
const smtp = startSmtpSink((raw, recipients, answer) => {
  const head = raw.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const body =
    raw
      .split(/\r?\n\r?\n/)
      .slice(1)
      .join('\n')
      .split('\n')
      .find((l) => l.startsWith('Event:')) ?? '';
  const to = recipients.join(', ');
  process.stdout.write(`e-mail to ${to} ${mailHeader(head, 'Message-ID')} [${mailHeader(head, 'X-Gateway-Event')}] ${body.trim()}\n`);
  answer();
}, smtpPort);
void smtp.then((s) => process.stdout.write(`SMTP server on 127.0.0.1:${s.port}\n`));

/** A field of the webhook's JSON body, '' when absent or when the body is not JSON. */
function field(body: string, name: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed !== 'object' || parsed === null) return '';
    const value: unknown = (parsed as Record<string, unknown>)[name];
    return typeof value === 'string' ? value : '';
  } catch {
    return '';
  }
}

const hooks = http
  .createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const ok = req.headers['x-gateway-signature'] === webhookSignature(secret, body);
      const event = String(req.headers['x-gateway-event'] ?? '');
      const what = `contact=${field(body, 'contact')} kind=${field(body, 'kind')} inquiry=${field(body, 'inquiry_id')}`;
      process.stdout.write(`webhook ${event} signature ${ok ? 'valid' : 'INVALID'}: ${what}\n`);
      res.writeHead(ok ? 204 : 401).end();
    });
  })
  .listen(hookPort, '127.0.0.1', () => process.stdout.write(`webhook receiver on 127.0.0.1:${hookPort}\n`));

const stop = (): void => {
  hooks.close();
  void smtp.then((s) => s.close()).then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
