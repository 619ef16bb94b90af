import { z } from 'zod';
import { defineOperation } from '../operation.ts';
import type { DomainView } from './domain-schemas.ts';
import { listDomainRows, toDomainView } from './domain-store.ts';

/** The site's custom domains, with their state and the DNS records each needs. */
export const listDomains = defineOperation({
  name: 'domain.list',
  scope: 'tenant',
  action: 'domain.read',
  mutates: false,
  input: z.strictObject({}),
  async run(tx): Promise<DomainView[]> {
    return (await listDomainRows(tx)).map((row) => toDomainView(tx, row));
  },
});
