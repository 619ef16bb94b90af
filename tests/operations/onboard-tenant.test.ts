import { afterAll, describe, expect, test } from 'vitest';
import { withTenant } from '../../src/db/tenant-scope.ts';
import { createAccountMail } from '../../src/mail/account-mail.ts';
import { execute } from '../../src/operations/execute.ts';
import type { OperationContext } from '../../src/operations/operation.ts';
import { onboardTenant, type OnboardRow } from '../../src/operations/tenants/onboard-tenant.ts';
import { createTestTenant, lockHolder, openTestDatabases, uniqueSlug, type LockHolder } from '../support/databases.ts';
import { mosaicError } from '../support/operations.ts';
import { testContext } from '../support/publish.ts';

describe('platform.tenant.onboard: one client site per row, whole or not at all', () => {
  const dbs = openTestDatabases(2);
  afterAll(() => dbs.close());
  const quiet = { info: () => {}, warn: () => {} };
  const context = (): OperationContext => ({ ...testContext(dbs.app), mail: createAccountMail({ mailer: null, adminOrigin: 'http://admin.localhost', logger: quiet }) });
  const onboard = (row: OnboardRow & { dryRun?: boolean }, ctx = context()) => execute(ctx, onboardTenant, { input: row });
  const tenantsWithSlug = (slug: string) => dbs.admin.selectFrom('tenants').select('id').where('slug', '=', slug).execute();
  const row = (): OnboardRow => {
    const slug = uniqueSlug('onb');
    return {
      slug,
      name: 'Harbor Dental',
      blueprint: 'local-business',
      plan: 'pro',
      domains: [`www.${slug}.example`, `${slug}.example`],
      ownerEmail: `owner@${slug}.example`,
      theme: { preset: 'forest', overrides: { colors: { primary: '#0b6e4f' } } },
    };
  };

  test('creates the site from its blueprint, with the theme overrides, unverified domains with TXT records, and the owner invited', async () => {
    const input = row();
    const result = await onboard(input);
    expect(result).toMatchObject({ slug: input.slug, outcome: 'created', plan: 'pro', blueprint: 'local-business', pages: expect.arrayContaining(['/', '/contact']) });
    expect(result.domains.map((d) => d.hostname)).toEqual(input.domains);
    for (const domain of result.domains) {
      expect(domain.verified).toBe(false);
      expect(domain.records).toEqual(
        expect.arrayContaining([
          { type: 'TXT', name: `_mosaic-challenge.${domain.hostname}`, value: expect.stringMatching(/\S{20,}/) },
          { type: 'CNAME', name: domain.hostname, value: `${input.slug}.localhost` },
        ]),
      );
    }
    expect(result.invitation).toMatchObject({ email: input.ownerEmail, link: expect.stringContaining('/accept-invitation') });
    const id = result.tenantId!;
    const theme = await withTenant(dbs.admin, id, (trx) => trx.selectFrom('themes').select(['preset', 'overrides']).where('tenant_id', '=', id).executeTakeFirstOrThrow());
    expect(theme).toEqual({ preset: 'forest', overrides: { colors: { primary: '#0b6e4f' } } });
    const invitations = await withTenant(dbs.admin, id, (trx) => trx.selectFrom('invitations').select(['email', 'role']).where('tenant_id', '=', id).execute());
    expect(invitations).toEqual([{ email: input.ownerEmail, role: 'owner' }]);
  });

  test('the same row again: reported as existing, nothing written twice; the slug with other data is a conflict', async () => {
    const input = row();
    const first = await onboard(input);
    const again = await onboard(input);
    expect(again).toMatchObject({ outcome: 'existed', tenantId: first.tenantId, invitation: null });
    const records = (domains: { hostname: string; records: unknown[] }[]) => [...domains].sort((a, b) => a.hostname.localeCompare(b.hostname)).map((d) => d.records);
    expect(records(again.domains)).toEqual(records(first.domains));
    expect(await tenantsWithSlug(input.slug)).toHaveLength(1);
    const invitations = await withTenant(dbs.admin, first.tenantId!, (trx) => trx.selectFrom('invitations').select('id').where('tenant_id', '=', first.tenantId!).execute());
    expect(invitations).toHaveLength(1);
    const conflict = await mosaicError(onboard({ ...input, name: 'Someone Else', plan: 'starter' }));
    expect(conflict.code).toBe('Conflict');
    expect(conflict.details.map((d) => d.path).sort()).toEqual(['name', 'plan']);
  });

  test('a dry run checks the row and writes nothing', async () => {
    const input = row();
    expect(await onboard({ ...input, dryRun: true })).toMatchObject({ outcome: 'valid', tenantId: null, pages: expect.arrayContaining(['/', '/contact']) });
    expect(await tenantsWithSlug(input.slug)).toEqual([]);
  });

  test('every problem of a row at once: blueprint, plan features, theme, domains held elsewhere or under the platform', async () => {
    const holder = await createTestTenant(dbs.admin);
    const input = { ...row(), blueprint: 'no-such-blueprint', plan: 'free' as const, theme: { preset: 'ocean', overrides: { colors: { primary: 'blue' } } } };
    const error = await mosaicError(onboard({ ...input, domains: [`${holder.slug}.test`, `x.localhost`] }));
    expect(error.code).toBe('InvalidInput');
    const paths = error.details.map((d) => `${d.path}: ${d.message}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        'blueprint: no blueprint is called "no-such-blueprint"',
        expect.stringMatching(/^theme\.overrides\.colors\.primary: /),
        expect.stringMatching(/^domains: The Free plan does not include custom domains/),
        `domains: hostname "${holder.slug}.test" belongs to tenant "${holder.slug}"`,
        expect.stringMatching(/^domains: hostname "x\.localhost" is under the platform domain/),
      ]),
    );
    expect(await tenantsWithSlug(input.slug)).toEqual([]);
  });

  test('a row that fails after the site is written leaves nothing: no site, no domains', async () => {
    const input = row();
    // Without a way to send the owner's invitation, the last step fails.
    await expect(onboard(input, testContext(dbs.app))).rejects.toThrow(/context\.mail/);
    expect(await tenantsWithSlug(input.slug)).toEqual([]);
    const domains = await dbs.admin.selectFrom('domains').select('hostname').where('hostname', 'in', input.domains!).execute();
    expect(domains).toEqual([]);
  });

  test('a domain another site claims while the row is being written is DomainUnavailable, and leaves nothing', async () => {
    const holder = await createTestTenant(dbs.admin);
    const input = row();
    const [contested] = input.domains!;
    // The holder's claim is in flight (uncommitted) when the row is checked, so the check passes;
    // the row's insert then waits on the unique index and meets the claim once it commits.
    let commitClaim!: () => void;
    const claimed = new Promise<void>((resolve) => (commitClaim = resolve));
    let claimWritten!: (claimant: LockHolder) => void;
    const written = new Promise<LockHolder>((resolve) => (claimWritten = resolve));
    const claim = dbs.admin.transaction().execute(async (trx) => {
      await trx.insertInto('domains').values({ tenant_id: holder.id, hostname: contested!, is_primary: false, verified: false }).execute();
      claimWritten(await lockHolder(trx, dbs.admin));
      await claimed;
    });
    const claimant = await written;
    const outcome = mosaicError(onboard(input));
    // The onboarding's insert waits on this claim (and on nothing else of another test file).
    await claimant.blocking(1);
    commitClaim();
    await claim;
    const error = await outcome;
    expect(error.code).toBe('DomainUnavailable');
    // Row-level security hides the taken key from the app role: the row's hostnames are named.
    expect(error.details).toEqual([{ path: 'domains', message: `one of ${input.domains!.map((h) => `"${h}"`).join(', ')} belongs to another tenant` }]);
    expect(await tenantsWithSlug(input.slug)).toEqual([]);
  });
});
