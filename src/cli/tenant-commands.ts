import type { Command } from 'commander';
import { plans } from '../../plans/index.ts';
import { catalog } from '../../registry/catalog.ts';
import { MosaicError } from '../errors/catalog.ts';
import { execute } from '../operations/execute.ts';
import { createTenant } from '../operations/tenants/create-tenant.ts';
import { listAllTenants, type TenantSummary } from '../operations/tenants/list-tenants.ts';
import { readTenant, type TenantView } from '../operations/tenants/read-tenant.ts';
import {
  LIFECYCLE_OPERATIONS,
  readTenantLifecycle,
  setTrial,
  TRANSITION_NAMES,
  TRANSITIONS,
  type TenantLifecycleView,
} from '../operations/tenants/tenant-lifecycle.ts';
import { updateTenant } from '../operations/tenants/update-tenant.ts';
import { PLAN_NAMES, type Plan } from '../plans/plan-schema.ts';
import { loadBlueprint, listBlueprints, type Blueprint } from '../tenants/blueprints.ts';
import { cloneTenant } from '../operations/tenants/clone-tenant.ts';
import { runEitherWay, settle, type CliSession, type CommandOutput } from './cli-session.ts';
import type { RemoteApi } from './remote-api.ts';
import { EXIT } from './exit-codes.ts';
import { formatTable, parseExpiry } from './output.ts';

type Finish = (code: number) => void;

/** Blueprints are files: read here without a database, or the installation's over `--api`. */
function filesOrApi(options: { json: boolean; api?: string }, command: string, way: { local: () => Promise<CommandOutput>; remote: (api: RemoteApi) => Promise<CommandOutput> }) {
  return options.api ? runEitherWay(options, command, way) : settle(options, way.local);
}

interface Global {
  json?: boolean;
  api?: string;
}

const describePhase = (view: TenantLifecycleView) =>
  `${view.slug} is ${view.phase}${view.trialEndsAt && view.phase === 'trial' ? ` until ${view.trialEndsAt}` : ''}${view.deletedAt ? ` (deleted ${view.deletedAt})` : ''}`;

const TRANSITION_HELP: Record<string, string> = {
  activate: 'end a trial: the site becomes active',
  suspend: 'suspend a site: visitors get 503, members can read but not change it',
  resume: 'resume a suspended site',
  cancel: 'cancel a site: visitors get 410, members can read but not change it',
  delete: 'delete a site: gone at once, restorable until the retention period ends, then purged',
  restore: 'restore a deleted site as it was',
};

/** The site and where it is in its life cycle, locally (platform scope) or over the API. */
async function showTenant(session: CliSession, slug: string): Promise<{ tenant: TenantView; lifecycle: TenantLifecycleView }> {
  const lifecycle = await execute(session.context, readTenantLifecycle, { input: { slug } });
  // A deleted site is hidden from tenant-scoped reads for members, not for the platform.
  const tenant = await execute(session.context, readTenant, { tenant: { slug } });
  return { tenant, lifecycle };
}

function tenantText({ tenant, lifecycle }: { tenant: TenantView; lifecycle: TenantLifecycleView }): string {
  const domains = tenant.domains.map((d) => `${d.hostname}${d.primary ? ' (primary)' : ''}${d.verified ? '' : ' (unverified)'}`);
  return [
    `${tenant.name} (${tenant.slug}, id ${tenant.id})`,
    `phase:    ${describePhase(lifecycle)}`,
    `plan:     ${tenant.plan}`,
    `domains:  ${domains.join(', ') || '(none)'}`,
    `version:  ${tenant.siteVersion}`,
    `created:  ${tenant.createdAt}`,
  ].join('\n');
}

const planRow = (plan: Plan) => ({
  name: plan.name,
  label: plan.label,
  pages: plan.limits.pages ?? 'unlimited',
  posts: plan.limits.posts ?? 'unlimited',
  members: plan.limits.members ?? 'unlimited',
  domains: plan.limits.customDomains ?? 'unlimited',
  'api keys': plan.limits.apiKeys ?? 'unlimited',
});

function planText(plan: Plan): string {
  const limits = Object.entries(plan.limits).map(([k, v]) => `  ${k}: ${v ?? 'unlimited'}`);
  const features = Object.entries(plan.features).map(([k, v]) => `  ${k}: ${v ? 'yes' : 'no'}`);
  return [`${plan.label} (${plan.name}): ${plan.description}`, 'limits:', ...limits, 'features:', ...features].join('\n');
}

export function registerTenantCommands(program: Command, finish: Finish): void {
  const global = () => {
    const options = program.opts<Global>();
    return { json: options.json === true, api: options.api };
  };
  const tenant = program.command('tenant').description('sites: create, list, show, update, and their life cycle');

  tenant
    .command('list')
    .description('every site on the platform, by slug')
    .action(async () => {
      const text = (items: TenantSummary[]) => formatTable(items.map((t) => ({ ...t })), ['slug', 'name', 'status', 'id']);
      finish(
        await runEitherWay(global(), 'tenant list', {
          local: async ({ context }) => {
            const items = await execute(context, listAllTenants);
            return { json: items, text: text(items) };
          },
          remote: async (api) => {
            const { items } = await api.call<{ items: TenantSummary[] }>('GET', '/platform/tenants');
            return { json: items, text: text(items) };
          },
        }),
      );
    });

  tenant
    .command('show <slug>')
    .description('one site: its phase, plan, domains and version')
    .action(async (slug: string) => {
      finish(
        await runEitherWay(global(), 'tenant show', {
          local: async (session) => {
            const shown = await showTenant(session, slug);
            return { json: shown, text: tenantText(shown) };
          },
          remote: async (api) => {
            const lifecycle = await api.call<TenantLifecycleView>('GET', `/platform/tenants/${encodeURIComponent(slug)}/lifecycle`);
            const shown = { tenant: await api.call<TenantView>('GET', `/tenants/${encodeURIComponent(slug)}`), lifecycle };
            return { json: shown, text: tenantText(shown) };
          },
        }),
      );
    });

  tenant
    .command('create <slug>')
    .description('create a site (empty, on the platform address and any --domain)')
    .requiredOption('--name <name>', 'the site’s name')
    .option('--plan <plan>', `one of ${PLAN_NAMES.join(', ')} (default: the blueprint’s, else starter)`)
    .option('--blueprint <name>', 'start from a blueprint (blueprints/) or a demo site (tenants/): its pages, theme and posts')
    .option('--status <status>', 'trial or active', 'trial')
    .option('--theme <preset>', 'a theme preset (default: the blueprint’s, else ocean)')
    .option('--domain <hostname...>', 'custom domains (the first is primary), unverified')
    .action(async (slug: string, options: { name: string; plan?: string; status: string; theme?: string; domain?: string[]; blueprint?: string }) => {
      const bodyFrom = (blueprint: Blueprint | null) => ({
        tenant: {
          slug,
          name: options.name,
          status: options.status,
          plan: options.plan ?? blueprint?.plan ?? 'starter',
          settings: blueprint?.settings ?? {},
          domains: (options.domain ?? []).map((hostname, i) => ({ hostname, primary: i === 0 })),
          theme: options.theme ? { preset: options.theme, overrides: {} } : (blueprint?.theme ?? { preset: 'ocean', overrides: {} }),
        },
        posts: blueprint?.posts ?? [],
        pages: blueprint?.pages ?? [],
      });
      const text = (r: { slug: string; tenantId: string; pages?: string[] }) =>
        `Created ${r.slug} (id ${r.tenantId})${r.pages?.length ? ` with ${r.pages.length} published page${r.pages.length === 1 ? '' : 's'}: ${r.pages.join(', ')}` : ''}.`;
      finish(
        await runEitherWay(global(), 'tenant create', {
          local: async ({ context, config }) => {
            const blueprint = options.blueprint ? await loadBlueprint(options.blueprint, context.registry) : null;
            const created = await execute({ ...context, platformDomain: config.platformDomain }, createTenant, { input: bodyFrom(blueprint) });
            return { json: created, text: text(created) };
          },
          // A blueprint is read from this checkout's files and sent whole.
          remote: async (api) => {
            const body = bodyFrom(options.blueprint ? await loadBlueprint(options.blueprint, catalog) : null);
            const created = await api.call<{ slug: string; tenantId: string }>('POST', '/platform/tenants', body);
            return { json: created, text: text(created) };
          },
        }),
      );
    });

  tenant
    .command('clone <from> <to>')
    .description('a new site from another one’s published pages (as new history), theme, posts and the images they show; never its messages, members or domains')
    .requiredOption('--name <name>', 'the new site’s name')
    .option('--plan <plan>', 'its plan (default: the source’s)')
    .option('--status <status>', 'trial or active', 'trial')
    .action(async (from: string, to: string, options: { name: string; plan?: string; status: string }) => {
      const text = (cloned: { slug: string; tenantId: string; pages: string[] }) => `Cloned ${from} as ${cloned.slug} (id ${cloned.tenantId}): ${cloned.pages.length} pages published.`;
      finish(
        await runEitherWay(global(), 'tenant clone', {
          local: async ({ context, config }) => {
            const cloned = await execute({ ...context, platformDomain: config.platformDomain }, cloneTenant, {
              input: { from, tenant: { slug: to, name: options.name, plan: options.plan, status: options.status } },
            });
            return { json: cloned, text: text(cloned) };
          },
          remote: async (api) => {
            const cloned = await api.call<{ slug: string; tenantId: string; pages: string[] }>('POST', `/platform/tenants/${encodeURIComponent(from)}/clone`, {
              slug: to,
              name: options.name,
              plan: options.plan,
              status: options.status,
            });
            return { json: cloned, text: text(cloned) };
          },
        }),
      );
    });

  const blueprint = program.command('blueprint').description('starting points for new sites: blueprints/ and the demo sites in tenants/');
  type BlueprintSummary = { name: string; kind: string };
  blueprint
    .command('list')
    .description('every blueprint')
    .action(async () => {
      const answer = (items: BlueprintSummary[]) => ({ json: items, text: formatTable(items, ['name', 'kind']) });
      finish(
        await filesOrApi(global(), 'blueprint list', {
          local: async () => answer((await listBlueprints()).map(({ name, kind }) => ({ name, kind }))),
          remote: async (api) => answer((await api.call<{ items: BlueprintSummary[] }>('GET', '/blueprints')).items),
        }),
      );
    });
  type BlueprintView = { name: string; kind: string; plan: string; theme: { preset: string }; pages: string[]; posts: number };
  blueprint
    .command('show <name>')
    .description('a blueprint’s plan, theme, pages and posts (checked as `tenant create` would)')
    .action(async (name: string) => {
      const answer = (found: BlueprintView) => ({
        json: found,
        text: [`${found.name} (${found.kind})`, `plan:  ${found.plan}`, `theme: ${found.theme.preset}`, `pages: ${found.pages.join(', ')}`, `posts: ${found.posts}`].join('\n'),
      });
      finish(
        await filesOrApi(global(), 'blueprint show', {
          local: async () => {
            const found = await loadBlueprint(name, catalog);
            return answer({ ...found, pages: found.pages.map((p) => (p as { path: string }).path), posts: found.posts.length });
          },
          remote: async (api) => answer(await api.call<BlueprintView>('GET', `/blueprints/${encodeURIComponent(name)}`)),
        }),
      );
    });

  tenant
    .command('update <slug>')
    .description('rename a site')
    .requiredOption('--name <name>', 'its new name')
    .action(async (slug: string, options: { name: string }) => {
      const text = (r: { name: string; siteVersion: number }) => `Renamed ${slug} to "${r.name}" (site version ${r.siteVersion}).`;
      finish(
        await runEitherWay(global(), 'tenant update', {
          local: async ({ context }) => {
            const updated = await execute(context, updateTenant, { tenant: { slug }, input: { name: options.name } });
            return { json: updated, text: text(updated) };
          },
          remote: async (api) => {
            const updated = await api.call<{ name: string; siteVersion: number }>('PATCH', `/tenants/${encodeURIComponent(slug)}`, { name: options.name });
            return { json: updated, text: text(updated) };
          },
        }),
      );
    });

  for (const name of TRANSITION_NAMES) {
    tenant
      .command(`${name} <slug>`)
      .description(`${TRANSITION_HELP[name]} (from ${TRANSITIONS[name].from.join(', ')})`)
      .action(async (slug: string) => {
        const text = (view: TenantLifecycleView) => (view.changed ? `Done: ${describePhase(view)}.` : `Nothing to do: ${describePhase(view)} already.`);
        finish(
          await runEitherWay(global(), `tenant ${name}`, {
            local: async ({ context }) => {
              const view = await execute(context, LIFECYCLE_OPERATIONS[name], { input: { slug } });
              return { json: view, text: text(view) };
            },
            remote: async (api) => {
              const view = await api.call<TenantLifecycleView>('POST', `/platform/tenants/${encodeURIComponent(slug)}/${name}`);
              return { json: view, text: text(view) };
            },
          }),
        );
      });
  }

  tenant
    .command('trial <slug>')
    .description('put a site on trial until a date; the job runner suspends it then unless it is activated')
    .requiredOption('--until <when>', 'e.g. 30d, or a date')
    .action(async (slug: string, options: { until: string }, command: Command) => {
      const endsAt = parseExpiry(options.until, new Date());
      if (!endsAt) command.error(`error: --until "${options.until}" is not like 30d, 12h or a date`, { exitCode: EXIT.usage });
      const text = (view: TenantLifecycleView) => `Done: ${describePhase(view)}.`;
      finish(
        await runEitherWay(global(), 'tenant trial', {
          local: async ({ context }) => {
            const view = await execute(context, setTrial, { input: { slug, endsAt } });
            return { json: view, text: text(view) };
          },
          remote: async (api) => {
            const view = await api.call<TenantLifecycleView>('PUT', `/platform/tenants/${encodeURIComponent(slug)}/trial`, { endsAt });
            return { json: view, text: text(view) };
          },
        }),
      );
    });

  const plan = program.command('plan').description('plans: their limits and features (plans/*.json)');
  plan
    .command('list')
    .description('every plan, cheapest first')
    .action(async () => {
      const all = PLAN_NAMES.map((name) => plans[name]);
      const text = (items: Plan[]) => formatTable(items.map(planRow), ['name', 'label', 'pages', 'posts', 'members', 'domains', 'api keys']);
      finish(
        await runEitherWay(global(), 'plan list', {
          local: async () => ({ json: all, text: text(all) }),
          remote: async (api) => {
            const { items } = await api.call<{ items: Plan[] }>('GET', '/plans');
            return { json: items, text: text(items) };
          },
        }),
      );
    });
  plan
    .command('show <name>')
    .description('one plan’s limits and features')
    .action(async (name: string) => {
      finish(
        await runEitherWay(global(), 'plan show', {
          local: async () => {
            const found = (PLAN_NAMES as readonly string[]).includes(name) ? plans[name as Plan['name']] : null;
            if (!found) throw new MosaicError('NotFound', `No plan is called "${name}"; the plans are ${PLAN_NAMES.join(', ')}.`);
            return { json: found, text: planText(found) };
          },
          remote: async (api) => {
            const found = await api.call<Plan>('GET', `/plans/${encodeURIComponent(name)}`);
            return { json: found, text: planText(found) };
          },
        }),
      );
    });
}
