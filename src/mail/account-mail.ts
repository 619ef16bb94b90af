import { MosaicError } from '../errors/catalog.ts';
import type { Mailer } from './mailer.ts';

/** A single-use link to the admin: an invitation or a password reset. */
export interface AccountLink {
  to: string;
  subject: string;
  /** The message, with `{link}` where the link goes. */
  body: string;
  /** Admin path the link opens, e.g. `/accept-invitation`. */
  path: string;
  token: string;
}

export interface AccountMail {
  /**
   * Mails the link when SMTP is configured (`{ link: null }`: the link went only to its recipient);
   * otherwise logs it and returns it, so the one who asked can hand it over. Throws
   * `MailUnavailable` when the mail server refuses or does not answer.
   */
  sendLink(message: AccountLink): Promise<{ link: string | null }>;
}

export function createAccountMail(options: {
  mailer: Mailer | null;
  /** e.g. `https://admin.example.com` */
  adminOrigin: string;
  logger: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}): AccountMail {
  return {
    async sendLink(message) {
      const url = new URL(message.path, options.adminOrigin);
      url.searchParams.set('token', message.token);
      const link = url.toString();
      const text = message.body.replaceAll('{link}', link);
      if (!options.mailer) {
        options.logger.info({ to: message.to, subject: message.subject, link }, 'account link (no SMTP_URL set: not mailed)');
        return { link };
      }
      try {
        await options.mailer.send({ to: message.to, subject: message.subject, text });
      } catch (error) {
        options.logger.warn({ to: message.to, err: error instanceof Error ? error.message : String(error) }, 'mail not sent');
        throw new MosaicError('MailUnavailable');
      }
      return { link: null };
    },
  };
}

/**
 * Where the admin answers, for links in mails: `*.localhost` is only reachable over http and on
 * the server's own port; any other host uses PUBLIC_SCHEME behind the usual ports.
 */
export function adminOrigin(config: { adminHost: string; publicScheme: 'http' | 'https'; port: number }): string {
  const local = config.adminHost === 'localhost' || config.adminHost.endsWith('.localhost');
  if (!local) return `${config.publicScheme}://${config.adminHost}`;
  const port = config.port === 0 || config.port === 80 ? '' : `:${config.port}`;
  return `http://${config.adminHost}${port}`;
}
