import type { Command } from 'commander';
import { createDnsLookup } from '../domains/dns-challenge.ts';
import { addDomain, listDomains, makePrimaryDomain, removeDomain, verifyDomain, type DomainView } from '../operations/domains/index.ts';
import { execute } from '../operations/execute.ts';
import type { OperationContext, OperationSpec } from '../operations/operation.ts';
import type { z } from 'zod';
import { runEitherWay, type CliSession } from './cli-session.ts';
import { APEX_NOTE, dnsRecordsText } from './dns-records.ts';
import { formatTable } from './output.ts';
import type { RemoteApi } from './remote-api.ts';

type Finish = (code: number) => void;

const state = (d: DomainView) => (d.verified ? (d.brokenSince ? 'broken' : 'verified') : 'unverified');

/** Domain operations need the platform domain and, to verify, the configured resolvers. */
function domainContext({ context, config }: CliSession): OperationContext {
  return { ...context, platformDomain: config.platformDomain, dns: createDnsLookup(config.dnsResolvers) };
}

const path = (site: string, hostname?: string) => `/tenants/${encodeURIComponent(site)}/domains${hostname ? `/${encodeURIComponent(hostname)}` : ''}`;

/** Runs a domain operation on one site, locally or over the API, and prints it with `text`. */
function onSite<S extends z.ZodType, O>(
  op: OperationSpec<S, O>,
  site: string,
  input: Record<string, unknown>,
  remote: (api: RemoteApi) => Promise<O>,
  text: (result: O) => string,
) {
  return {
    local: async (session: CliSession) => {
      const result = await execute(domainContext(session), op, { tenant: { slug: site }, input });
      return { json: result, text: text(result) };
    },
    remote: async (api: RemoteApi) => {
      const result = await remote(api);
      return { json: result, text: text(result) };
    },
  };
}

export function registerDomainCommands(program: Command, finish: Finish): void {
  const global = () => {
    const options = program.opts<{ json?: boolean; api?: string }>();
    return { json: options.json === true, api: options.api };
  };
  const domain = program.command('domain').description('a site’s custom domains: add (with the DNS records to create), verify, make primary, remove, list');

  domain
    .command('add <site> <hostname>')
    .description('add a custom domain, unverified (it does not route yet); prints the TXT and CNAME records to create')
    .action(async (site: string, hostname: string) => {
      const text = (d: DomainView) =>
        [`Added ${d.hostname} to ${site}, unverified. Create these DNS records:`, dnsRecordsText(d.records), APEX_NOTE, `Then: mosaic domain verify ${site} ${d.hostname}`].join('\n');
      finish(
        await runEitherWay(global(), 'domain add', onSite(addDomain, site, { hostname }, (api) => api.call<DomainView>('POST', path(site), { hostname }), text)),
      );
    });

  domain
    .command('verify <site> <hostname>')
    .description('look the TXT record up now; if it is not there yet, the job runner keeps trying with a backoff')
    .action(async (site: string, hostname: string) => {
      const text = (d: DomainView & { retryAt: string | null }) =>
        d.verified
          ? `${d.hostname} is verified: it routes to ${site}, and gets its certificate on the first HTTPS request.`
          : `${d.hostname} is not verified yet (${d.lastCheckError ?? 'no record'}); the job runner tries again from ${d.retryAt}.`;
      finish(
        await runEitherWay(
          global(),
          'domain verify',
          onSite(verifyDomain, site, { hostname }, (api) => api.call('POST', `${path(site, hostname)}/verify`), text),
        ),
      );
    });

  domain
    .command('primary <site> <hostname>')
    .description('make a verified domain the site’s primary address: its other names redirect there')
    .action(async (site: string, hostname: string) => {
      const text = (d: DomainView) => `${d.hostname} is the primary address of ${site}.`;
      finish(await runEitherWay(global(), 'domain primary', onSite(makePrimaryDomain, site, { hostname }, (api) => api.call('POST', `${path(site, hostname)}/primary`), text)));
    });

  domain
    .command('remove <site> <hostname>')
    .description('remove a domain: it stops routing on every instance at once')
    .action(async (site: string, hostname: string) => {
      const text = (r: { hostname: string }) => `Removed ${r.hostname} from ${site}.`;
      finish(
        await runEitherWay(
          global(),
          'domain remove',
          onSite(removeDomain, site, { hostname }, async (api) => {
            await api.call('DELETE', path(site, hostname));
            return { hostname, removed: true as const };
          }, text),
        ),
      );
    });

  domain
    .command('list <site>')
    .description('the site’s domains, their state and the DNS records each needs')
    .action(async (site: string) => {
      const text = (items: DomainView[]) =>
        formatTable(
          items.map((d) => ({ hostname: d.hostname, state: state(d), primary: d.primary ? 'yes' : '', 'TXT record': d.records.find((r) => r.type === 'TXT')?.value })),
          ['hostname', 'state', 'primary', 'TXT record'],
        );
      finish(
        await runEitherWay(
          global(),
          'domain list',
          onSite(listDomains, site, {}, async (api) => (await api.call<{ items: DomainView[] }>('GET', path(site))).items, text),
        ),
      );
    });
}
