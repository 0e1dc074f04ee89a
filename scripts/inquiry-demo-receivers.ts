/**
 * The README's inquiry demo: a local SMTP server (127.0.0.1:2525) and webhook receiver (127.0.0.1:9099) that
 * print every notification the gateway sends, and check each webhook's HMAC signature with
 * $RU_INQUIRY_HOOK_SECRET. Run with `npx tsx scripts/inquiry-demo-receivers.ts`; stop with Ctrl-C.
 */
import http from 'node:http';
import { SMTPServer } from 'smtp-server';
import { webhookSignature } from '../src/inquiries/notifier';

const secret = process.env['RU_INQUIRY_HOOK_SECRET'] ?? '';

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const event = /^X-Gateway-Event:\s*(.*)$/im.exec(raw)?.[1] ?? '';
      const body =
        raw
          .split(/\r?\n\r?\n/)
          .slice(1)
          .join('\n')
          .split('\n')
          .find((l) => l.startsWith('Event:')) ?? '';
      process.stdout.write(`e-mail to ${session.envelope.rcptTo.map((r) => r.address).join(', ')} [${event.trim()}] ${body.trim()}\n`);
      callback();
    });
  },
});
smtp.listen(2525, '127.0.0.1', () => process.stdout.write('SMTP server on 127.0.0.1:2525\n'));

http
  .createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const ok = req.headers['x-gateway-signature'] === webhookSignature(secret, body);
      process.stdout.write(
        `webhook ${req.headers['x-gateway-event'] ?? ''} signature ${ok ? 'valid' : 'INVALID'}: ${body.slice(0, 200)}\n`,
      );
      res.writeHead(204).end();
    });
  })
  .listen(9099, '127.0.0.1', () => process.stdout.write('webhook receiver on 127.0.0.1:9099\n'));
