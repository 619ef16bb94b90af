import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { MosaicError } from '../../errors/catalog.ts';
import { execute, type JoinedTransaction } from '../execute.ts';
import { defineOperation, type OperationTx } from '../operation.ts';
import { publishComposition } from '../pages/publish-composition.ts';
import { tenantDefinitionInput, type ProvisionResult } from './tenant-definition.ts';
import { writeTenant } from './write-tenant.ts';

/** A new site's definition, with the pages it starts with (a blueprint's, or another site's). */
export const newSiteInput = tenantDefinitionInput.extend({
  /** Page compositions, each published as version 1 of a new history. */
  pages: z.array(z.unknown()).max(500).default([]),
});

export type NewSiteInput = z.output<typeof newSiteInput>;

/**
 * Writes a new site and publishes its pages, all in the caller's transaction: a page that does not
 * validate, or one past the plan's page limit, leaves nothing. A slug in use is a `Conflict`.
 */
export async function createSite(tx: OperationTx, input: NewSiteInput): Promise<ProvisionResult & { pages: string[] }> {
  const taken = await tx.trx.selectFrom('tenants').select('id').where('slug', '=', input.tenant.slug).executeTakeFirst();
  if (taken) throw new MosaicError('Conflict', `A site with the slug "${input.tenant.slug}" exists.`, [{ path: 'tenant.slug', message: 'is taken' }]);
  const result = await writeTenant(tx, randomUUID(), input, true);
  // The new site is no one's yet: nothing is cached for it, so its page notices can wait for the outbox dispatcher.
  const joined: JoinedTransaction = { trx: tx.trx, pendingChanges: [] };
  const pages: string[] = [];
  for (const [index, composition] of input.pages.entries()) {
    const published = await execute(tx.context, publishComposition, { tenant: { id: result.tenantId }, input: { composition } }, joined).catch((error: unknown) => {
      throw prefixed(error, `pages[${index}]`);
    });
    pages.push(published.path);
  }
  return { ...result, pages };
}

/** Names the page a refusal is about, so one run says which of many pages is wrong. */
function prefixed(error: unknown, at: string): unknown {
  if (!(error instanceof MosaicError) || error.details.length === 0) return error;
  return new MosaicError(error.code, undefined, error.details.map((d) => ({ path: `${at}.${d.path}`, message: d.message })), { ...error.extensions });
}

/** Creates a site from its definition (record, domains, theme, posts, pages). */
export const createTenant = defineOperation({
  name: 'platform.tenant.create',
  scope: 'platform',
  action: 'platform.tenant.create',
  mutates: true,
  input: newSiteInput,
  run: (tx, input) => createSite(tx, input),
});
