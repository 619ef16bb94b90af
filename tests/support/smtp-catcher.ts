import { SMTPServer } from 'smtp-server';
import { freePort } from './free-port.ts';

export interface CaughtMail {
  from: string;
  to: string[];
  raw: string;
}

/** A local SMTP server that keeps every message it is given; plain SMTP, no authentication. */
export async function startSmtpCatcher(): Promise<{ url: string; mails: CaughtMail[]; close(): Promise<void> }> {
  const mails: CaughtMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `smtp://127.0.0.1:${port}`, mails, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** The first `?token=` link in a mail's text (quoted-printable soft breaks undone). */
export function linkIn(mail: CaughtMail): URL | null {
  const text = mail.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
  const match = /https?:\/\/\S+\?token=[A-Za-z0-9_-]{43}/.exec(text);
  return match ? new URL(match[0]) : null;
}
