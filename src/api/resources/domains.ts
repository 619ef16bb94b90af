import { OpenAPIHono, z } from '@hono/zod-openapi';
import { addDomain } from '../../operations/domains/add-domain.ts';
import { listDomains } from '../../operations/domains/list-domains.ts';
import { makePrimaryDomain } from '../../operations/domains/make-primary-domain.ts';
import { removeDomain } from '../../operations/domains/remove-domain.ts';
import { verifyDomain } from '../../operations/domains/verify-domain.ts';
import { createdOnce, IDEMPOTENCY_HEADERS } from '../idempotency.ts';
import type { ApiEnv } from '../api-env.ts';
import { jsonBody, jsonResponse, PROBLEM_RESPONSES, run, signedInRoute, tenantParams } from '../route.ts';

const dnsRecordSchema = z.object({ type: z.enum(['TXT', 'CNAME']), name: z.string(), value: z.string() }).openapi('DnsRecord');
const domainSchema = z
  .object({
    hostname: z.string(),
    primary: z.boolean(),
    verified: z.boolean(),
    verifiedAt: z.string().nullable(),
    checkedAt: z.string().nullable(),
    brokenSince: z.string().nullable(),
    lastCheckError: z.string().nullable(),
    records: z.array(dnsRecordSchema),
  })
  .openapi('Domain');

// The operation validates and normalizes the name (a bad one is `422` at `hostname`); the path
// only bounds it.
const domainParams = tenantParams.extend({
  hostname: z
    .string()
    .min(1)
    .max(300)
    .openapi({ param: { name: 'hostname', in: 'path' }, example: 'www.bakery.example' }),
});
const DOMAINS = ['Domains'];

const listRoute = signedInRoute({
  method: 'get',
  path: '/tenants/{tenant}/domains',
  operationId: 'listDomains',
  tags: DOMAINS,
  summary: 'The site’s custom domains, with their state and the DNS records each needs',
  request: { params: tenantParams },
  responses: { 200: jsonResponse(z.object({ items: z.array(domainSchema), nextCursor: z.null() }), 'Domains, by hostname.'), ...PROBLEM_RESPONSES },
});

const addRoute = signedInRoute({
  method: 'post',
  path: '/tenants/{tenant}/domains',
  operationId: 'addDomain',
  tags: DOMAINS,
  summary: 'Add a custom domain, unverified',
  description:
    'The answer names the TXT record that proves control of the name and the CNAME target. The domain does not route until it is verified. ' +
    'A name under the platform domain or held by another site is `409 DomainUnavailable`; a plan without custom domains `403`, past its limit `402`.',
  request: { params: tenantParams, headers: IDEMPOTENCY_HEADERS, body: jsonBody(addDomain.input, { hostname: 'www.bakery.example' }) },
  responses: { 201: jsonResponse(domainSchema, 'Added, unverified.'), ...PROBLEM_RESPONSES },
});

const verifyRoute = signedInRoute({
  method: 'post',
  path: '/tenants/{tenant}/domains/{hostname}/verify',
  operationId: 'verifyDomain',
  tags: DOMAINS,
  summary: 'Look the challenge record up now',
  description: 'Found: the domain is verified and routes on every instance. Not found: the reason is kept and the job runner retries (`retryAt`).',
  request: { params: domainParams },
  responses: { 200: jsonResponse(domainSchema.extend({ retryAt: z.string().nullable() }), 'The domain after the check.'), ...PROBLEM_RESPONSES },
});

const primaryRoute = signedInRoute({
  method: 'post',
  path: '/tenants/{tenant}/domains/{hostname}/primary',
  operationId: 'makeDomainPrimary',
  tags: DOMAINS,
  summary: 'Make a verified domain the site’s primary address',
  description: 'The other names redirect to it; every instance follows at once.',
  request: { params: domainParams },
  responses: { 200: jsonResponse(domainSchema, 'The domain, now primary.'), ...PROBLEM_RESPONSES },
});

const removeRoute = signedInRoute({
  method: 'delete',
  path: '/tenants/{tenant}/domains/{hostname}',
  operationId: 'removeDomain',
  tags: DOMAINS,
  summary: 'Remove a domain',
  description: 'It stops routing on every instance at once and the name is free for another site.',
  request: { params: domainParams },
  responses: { 204: { description: 'Removed.' }, ...PROBLEM_RESPONSES },
});

/** A site's custom domains: add, verify, make primary, remove. */
export function domainsResource() {
  const app = new OpenAPIHono<ApiEnv>();
  app.openapi(listRoute, async (c) => c.json({ items: await run(c, listDomains, {}, c.req.valid('param').tenant), nextCursor: null }, 200));
  app.openapi(addRoute, async (c) => {
    const { tenant } = c.req.valid('param');
    const body = c.req.valid('json');
    return c.json(await createdOnce(c, tenant, body, (joined) => run(c, addDomain, body, tenant, joined)), 201);
  });
  app.openapi(verifyRoute, async (c) => {
    const { tenant, hostname } = c.req.valid('param');
    return c.json(await run(c, verifyDomain, { hostname }, tenant), 200);
  });
  app.openapi(primaryRoute, async (c) => {
    const { tenant, hostname } = c.req.valid('param');
    return c.json(await run(c, makePrimaryDomain, { hostname }, tenant), 200);
  });
  app.openapi(removeRoute, async (c) => {
    const { tenant, hostname } = c.req.valid('param');
    await run(c, removeDomain, { hostname }, tenant);
    return c.body(null, 204);
  });
  return app;
}
