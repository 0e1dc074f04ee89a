/**
 * A real SMTP server (the smtp-server package) on 127.0.0.1 for notification tests: no TLS, no
 * authentication. Each message is handed over whole with its envelope recipients; `answer` accepts it (no
 * argument) or refuses it, now or later (a test may hold the answer to keep the sender waiting). Not a test file:
 * scripts/inquiry-demo-receivers.ts runs the same sink for the README's inquiry demos.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface SmtpSink {
  readonly port: number;
  close(): Promise<void>;
}

export type SmtpMessageHandler = (raw: string, recipients: readonly string[], answer: (err?: Error) => void) => void;

/** Starts the sink on 127.0.0.1:`port` (0 = a free port). */
export async function startSmtpSink(onMessage: SmtpMessageHandler, port = 0): Promise<SmtpSink> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        onMessage(
          Buffer.concat(chunks).toString('utf8'),
          session.envelope.rcptTo.map((r) => r.address),
          (err) => (err === undefined ? callback() : callback(err)),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The value of a header of a raw message (first occurrence, unfolded lines only). */
export function mailHeader(raw: string, name: string): string {
  return new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(raw)?.[1]?.trim() ?? '';
}
