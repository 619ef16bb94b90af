import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AppServices } from '../../src/app/app-services.ts';
import { createAppContext } from '../../src/app/create-app-context.ts';
import { DEMO_ADMIN_EMAIL, DEMO_PASSWORD, demoOwnerEmail, demoSignInHint } from '../../src/auth/demo-accounts.ts';
import { loadConfig } from '../../src/config/config.ts';
import { createLogger } from '../../src/log/logger.ts';
import { execute } from '../../src/operations/execute.ts';
import { readMe } from '../../src/operations/me/read-me.ts';

// A newcomer's first start: the embedded database gets the demo sites and accounts to sign in with.
describe('demo accounts on a fresh embedded database', () => {
  let app: AppServices;
  const client = { address: '127.0.0.1', userAgent: 'vitest' };
  beforeAll(async () => {
    app = await createAppContext(loadConfig({ PGLITE_DIR: 'memory://', NODE_ENV: 'test' }), createLogger('silent', 'demo'));
  }, 90_000);
  afterAll(() => app?.close());

  test('the platform admin signs in with the demo password and sees every site', async () => {
    const session = await app.auth.signIn({ email: DEMO_ADMIN_EMAIL, password: DEMO_PASSWORD }, client);
    expect(session.actor).toMatchObject({ email: DEMO_ADMIN_EMAIL, platformAdmin: true });
    expect((await app.auth.authenticateSession(session.token))?.actor.email).toBe(DEMO_ADMIN_EMAIL);
  });

  test('each demo site has its owner, who signs in and owns that site only', async () => {
    for (const slug of ['clientsite', 'codersinflow', 'darkflows', 'oldshop']) {
      const session = await app.auth.signIn({ email: demoOwnerEmail(slug), password: DEMO_PASSWORD }, client);
      const me = await execute(app.auth.context(session.actor, null), readMe);
      expect(me.kind === 'user' && me.memberships.map((m) => [m.slug, m.role])).toEqual([[slug, 'owner']]);
    }
  });

  test('the start-up hint names the admin address and the demo sign-in', async () => {
    const hint = await demoSignInHint(app.db, 'http://admin.localhost:4321');
    expect(hint).toBe(
      `Sign in at http://admin.localhost:4321/ as ${DEMO_ADMIN_EMAIL} / ${DEMO_PASSWORD} (platform admin), or as <site>@demo.mosaic.localhost / ${DEMO_PASSWORD} (owner of that demo site)`,
    );
  });
});
