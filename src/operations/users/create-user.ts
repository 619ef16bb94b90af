import { sql } from 'kysely';
import { z } from 'zod';
import { emailSchema, personNameSchema } from '../../auth/account-schemas.ts';
import { hashPassword } from '../../auth/password-hash.ts';
import { newPasswordSchema, passwordIssues } from '../../auth/password-policy.ts';
import { isUniqueViolation } from '../../db/database-errors.ts';
import { MosaicError } from '../../errors/catalog.ts';
import { defineOperation } from '../operation.ts';
import { USER_COLUMNS, userView, type UserView } from './user-view.ts';

/**
 * Creates an account, with a password or without one (the person then sets it through a password
 * reset, or is invited). `platformAdmin` makes it platform staff.
 */
export const createUser = defineOperation({
  name: 'platform.user.create',
  scope: 'platform',
  action: 'platform.user.manage',
  mutates: true,
  input: z.strictObject({
    email: emailSchema,
    name: personNameSchema.optional(),
    platformAdmin: z.boolean().optional(),
    password: newPasswordSchema.optional(),
  }),
  async run(tx, input): Promise<UserView> {
    if (input.password !== undefined) {
      const issues = passwordIssues(input.password, input.email);
      if (issues.length) throw new MosaicError('InvalidInput', undefined, issues);
    }
    const taken = await tx.trx.selectFrom('users').select('id').where('email', '=', input.email).executeTakeFirst();
    if (taken) throw new MosaicError('EmailTaken', `An account with the email ${input.email} already exists.`);
    const row = await tx.trx
      .insertInto('users')
      .values({
        email: input.email,
        name: input.name ?? '',
        platform_role: input.platformAdmin ? 'admin' : null,
        password_hash: input.password === undefined ? null : await hashPassword(input.password),
      })
      .returning(USER_COLUMNS)
      .executeTakeFirstOrThrow()
      .catch((error: unknown) => {
        // Created by someone else since the check above.
        if (isUniqueViolation(error)) throw new MosaicError('EmailTaken', `An account with the email ${input.email} already exists.`);
        throw error;
      });
    const user = userView(row);
    await tx.audit({
      subject: user.email,
      after: { email: user.email, name: user.name, platformAdmin: user.platformAdmin, hasPassword: input.password !== undefined },
      detail: { userId: user.id },
    });
    return user;
  },
});

/** Lists accounts by email, optionally those whose email or name contains `search`; keyset-paged by email. */
export const listUsers = defineOperation({
  name: 'platform.user.list',
  scope: 'platform',
  action: 'platform.user.manage',
  mutates: false,
  input: z.strictObject({
    search: z.string().trim().max(254).optional(),
    limit: z.number().int().min(1).max(500).default(100),
    /** The last email of the previous page. */
    after: z.string().max(254).optional(),
  }),
  async run({ trx }, input): Promise<{ items: UserView[]; nextAfter: string | null }> {
    let query = trx
      .selectFrom('users')
      .select(USER_COLUMNS)
      .orderBy('email')
      .limit(input.limit + 1);
    if (input.after) query = query.where('email', '>', input.after);
    if (input.search) {
      const pattern = `%${input.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query = query.where((eb) => eb.or([eb('email', 'ilike', pattern), eb('name', 'ilike', pattern)]));
    }
    const rows = await query.execute();
    const items = rows.slice(0, input.limit).map(userView);
    return { items, nextAfter: rows.length > input.limit ? (items.at(-1)?.email ?? null) : null };
  },
});

/** Reads one account and the sites it belongs to. */
export const readUser = defineOperation({
  name: 'platform.user.read',
  scope: 'platform',
  action: 'platform.user.manage',
  mutates: false,
  input: z
    .strictObject({ userId: z.uuid().optional(), email: emailSchema.optional() })
    .refine((i) => (i.userId ? 1 : 0) + (i.email ? 1 : 0) === 1, 'give userId or email'),
  async run({ trx }, input) {
    let query = trx.selectFrom('users').select(USER_COLUMNS);
    query = input.userId ? query.where('id', '=', input.userId) : query.where('email', '=', input.email!);
    const row = await query.executeTakeFirst();
    if (!row) throw new MosaicError('NotFound', 'No account matches.');
    const { rows: sites } = await sql<{ slug: string; role: string }>`SELECT slug, role FROM mosaic_user_tenants(${row.id})`.execute(trx);
    return { ...userView(row), memberships: sites.map((s) => ({ slug: s.slug, role: s.role })) };
  },
});
