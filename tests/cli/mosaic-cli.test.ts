import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_ADMIN_EMAIL, DEMO_PASSWORD, demoOwnerEmail } from '../../src/auth/demo-accounts.ts';
import { withScope } from '../../src/db/scope.ts';
import { isMosaicError } from '../../src/errors/catalog.ts';
import { uniqueEmail } from '../support/accounts.ts';
import { createTestAuth } from '../support/auth.ts';
import { cliEnv, MOSAIC_BIN, ROOT, run, type Run } from '../support/cli-process.ts';
import { createTestTenant, openTestDatabases } from '../support/databases.ts';

const BIN = MOSAIC_BIN;

describe('the mosaic command line, run as a real process', { timeout: 120_000 }, () => {
  const dbs = openTestDatabases(2);
  const { auth } = createTestAuth(dbs);
  const client = { address: null, userAgent: null };
  let env: Record<string, string>;
  let site: { id: string; slug: string };
  let cwd: string;
  const mosaic = (args: string[], stdin?: string) => run(process.execPath, [BIN, ...args], env, { stdin, cwd });
  const json = (result: Run) => JSON.parse(result.stdout) as Record<string, unknown>;

  beforeAll(async () => {
    cwd = await mkdtemp(path.join(tmpdir(), 'mosaic-cli-'));
    site = await createTestTenant(dbs.admin);
    env = cliEnv();
  });
  afterAll(async () => {
    await rm(cwd, { recursive: true, force: true });
    await dbs.close();
  });

  test('user create --platform-admin --password-stdin: the first platform admin, who can sign in; audited as cli:$USER', async () => {
    const email = uniqueEmail('first-admin');
    const result = await mosaic(
      ['--json', 'user', 'create', '--email', email, '--name', 'First Admin', '--platform-admin', '--password-stdin'],
      'a strong first password\n',
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(json(result)).toMatchObject({ email, name: 'First Admin', platformAdmin: true, disabled: false });
    const session = await auth.signIn({ email, password: 'a strong first password' }, client);
    expect(session.actor.platformAdmin).toBe(true);
    const trail = await withScope(dbs.admin, { platform: true }, (trx) =>
      trx.selectFrom('platform_audit_log').selectAll().where('action', '=', 'platform.user.create').where('subject', '=', email).execute(),
    );
    expect(trail).toEqual([expect.objectContaining({ actor: 'cli:tester', actor_kind: 'cli' })]);

    const again = await mosaic(['--json', 'user', 'create', '--email', email]);
    expect(again.code).toBe(3);
    expect(JSON.parse(again.stderr)).toMatchObject({ error: { code: 'EmailTaken' } });
  });

  test('without a terminal or --password-stdin the account has no password; human output says so', async () => {
    const email = uniqueEmail('nopass');
    const result = await mosaic(['user', 'create', '--email', email]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Created ${email} \\(.+\\), without a password`));
  });

  test('called the wrong way: exit 2 and nothing created', async () => {
    const email = uniqueEmail('wrong');
    const cases: [string[], string?][] = [
      [['user', 'create', '--email', 'not-an-email']],
      [['user', 'create', '--email', email, '--password-stdin'], 'short\n'],
      [['user', 'create']],
      [['user', 'create', '--email', email, '--bogus']],
      [['user', 'frobnicate']],
      [['key', 'create', '--name', 'x']],
      [['key', 'create', '--tenant', site.slug, '--platform', '--name', 'x']],
      [['key', 'create', '--platform', '--role', 'admin', '--name', 'x']],
      [['key', 'create', '--tenant', site.slug, '--name', 'x']],
      [['key', 'create', '--tenant', site.slug, '--role', 'admin', '--name', 'x', '--expires', 'soon']],
      [['key', 'create', '--tenant', site.slug, '--role', 'superuser', '--name', 'x']],
      [['user', 'list', '--limit', 'many']],
    ];
    // A few at a time: each is a Node process on a machine others share.
    for (let i = 0; i < cases.length; i += 3) {
      const batch = cases.slice(i, i + 3);
      const results = await Promise.all(batch.map(([args, stdin]) => mosaic(args, stdin)));
      results.forEach((result, j) => {
        const args = batch[j]![0].join(' ');
        expect(result.code, args).toBe(2);
        expect(result.stderr, args).not.toMatch(/\n\s+at /);
      });
    }
    const invalid = await mosaic(['--json', 'user', 'create', '--email', email, '--password-stdin'], 'short\n');
    expect(JSON.parse(invalid.stderr)).toEqual({
      error: {
        code: 'InvalidInput',
        message: 'The request is not valid.',
        details: [{ path: 'password', message: 'must be at least 10 characters' }],
      },
    });
    const list = await mosaic(['--json', 'user', 'list', '--search', email]);
    expect(json(list)).toEqual([]);
  });

  test('user list, disable and enable', async () => {
    const email = uniqueEmail('toggle');
    await mosaic(['user', 'create', '--email', email, '--password-stdin'], 'toggle password 1\n');
    const listed = await mosaic(['--json', 'user', 'list', '--search', email]);
    expect((json(listed) as unknown as { email: string }[]).map((u) => u.email)).toEqual([email]);
    const human = await mosaic(['user', 'list', '--search', email]);
    expect(human.stdout.split('\n')[0]).toMatch(/^email\s+name\s+platform\s+disabled\s+id$/);

    expect((await mosaic(['user', 'disable', email])).code).toBe(0);
    const refused = await auth.signIn({ email, password: 'toggle password 1' }, client).catch((e: unknown) => e);
    expect(isMosaicError(refused) && refused.code).toBe('InvalidCredentials');
    expect((await mosaic(['user', 'enable', email])).code).toBe(0);
    expect((await auth.signIn({ email, password: 'toggle password 1' }, client)).actor.email).toBe(email);
    expect((await mosaic(['user', 'disable', 'nobody-at-all@example.test'])).code).toBe(3);
  });

  test('key create, list and revoke for a site; the secret works once created and stops when revoked', async () => {
    const created = await mosaic(['--json', 'key', 'create', '--tenant', site.slug, '--role', 'editor', '--name', 'CI deploys', '--expires', '30d']);
    expect(created.code).toBe(0);
    const { key, secret } = json(created) as { key: { id: string; prefix: string; expiresAt: string }; secret: string };
    expect(secret).toMatch(/^mk_[a-z0-9]{12}_/);
    expect(new Date(key.expiresAt).getTime() - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect((await auth.authenticateApiKey(`Bearer ${secret}`))?.grant).toEqual({ scope: 'tenant', tenantId: site.id, role: 'editor' });

    const listed = await mosaic(['--json', 'key', 'list', '--tenant', site.slug]);
    expect((json(listed) as unknown as { prefix: string }[]).map((k) => k.prefix)).toContain(key.prefix);
    expect(listed.stdout).not.toContain(secret.slice(16));

    const revoked = await mosaic(['key', 'revoke', key.prefix]);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toMatch(/^Revoked key mk_/);
    expect(await auth.authenticateApiKey(`Bearer ${secret}`)).toBeNull();
    expect((await mosaic(['key', 'revoke', 'mk_zzzzzzzzzzzz'])).code).toBe(3);
    expect((await mosaic(['key', 'revoke', '00000000-0000-4000-8000-000000000000'])).code).toBe(3);
    expect((await mosaic(['key', 'create', '--tenant', 'no-such-site', '--role', 'viewer', '--name', 'x'])).code).toBe(3);
  });

  test('key create --platform: a platform key, listed with --platform', async () => {
    const created = await mosaic(['key', 'create', '--platform', '--name', 'Agency sync']);
    expect(created.code).toBe(0);
    const secret = created.stdout.trim().split('\n').at(-1)!;
    expect((await auth.authenticateApiKey(`Bearer ${secret}`))?.grant).toEqual({ scope: 'platform' });
    const listed = await mosaic(['key', 'list', '--platform']);
    expect(listed.stdout).toContain(secret.slice(0, 15));
  });

  test('--help exits 0 and names the commands', async () => {
    for (const args of [['--help'], ['user', '--help'], ['key', 'create', '--help']]) {
      const result = await mosaic(args);
      expect(result.code, args.join(' ')).toBe(0);
      expect(result.stdout).toMatch(/^Usage: mosaic/);
    }
  });

  test('npx mosaic runs it with the project’s Node 24, whatever node is first on PATH', async () => {
    // npx takes a --json before the command for itself: options go after it.
    const result = await run(
      'npx',
      ['--no', 'mosaic', 'user', 'list', '--limit', '1', '--json'],
      { ...env, HOME: process.env.HOME ?? cwd },
      { cwd: ROOT },
    );
    expect(result.code).toBe(0);
    expect(Array.isArray(JSON.parse(result.stdout))).toBe(true);
  });

  test('on the embedded database, which it migrates first like the server does', async () => {
    const embedded = { PATH: env.PATH!, USER: 'tester', NODE_ENV: 'test', PGLITE_DIR: path.join(cwd, 'pglite') };
    const created = await run(
      process.execPath,
      [BIN, 'user', 'create', '--email', 'first@example.test', '--platform-admin', '--password-stdin', '--json'],
      embedded,
      {
        stdin: 'embedded password\n',
        cwd,
      },
    );
    expect(created.code).toBe(0);
    const listed = await run(process.execPath, [BIN, 'user', 'list', '--json'], embedded, { cwd });
    expect((JSON.parse(listed.stdout) as { email: string; platformAdmin: boolean }[]).map((u) => [u.email, u.platformAdmin])).toEqual([
      ['first@example.test', true],
    ]);
  });

  test('npm run seed -- --demo-accounts adds the demo accounts, once', async () => {
    const seed = (args: string[]) => run(process.execPath, [path.join(ROOT, 'scripts/seed.ts'), ...args], env, { cwd });
    const first = await seed(['--demo-accounts']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/demo accounts: (created|already there)/);
    expect((await seed(['--demo-accounts'])).stdout).toContain('demo accounts: already there');
    expect((await auth.signIn({ email: DEMO_ADMIN_EMAIL, password: DEMO_PASSWORD }, client)).actor.platformAdmin).toBe(true);
    expect((await auth.signIn({ email: demoOwnerEmail('darkflows'), password: DEMO_PASSWORD }, client)).actor.platformAdmin).toBe(false);
  });
});
