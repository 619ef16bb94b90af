import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, describe, expect, test } from 'vitest';
import { createApiApp, openApiDocument } from '../../src/api/api-app.ts';
import { createApiRateLimit } from '../../src/api/rate-limit.ts';
import { UNLIMITED_ORIGIN } from '../../src/limits/origin-limit.ts';
import { createPreviewLinks } from '../../src/preview/preview-links.ts';
import { createTestAuth } from '../support/auth.ts';
import { openTestDatabases } from '../support/databases.ts';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

describe('the OpenAPI document', () => {
  const dbs = openTestDatabases(1);
  const { auth } = createTestAuth(dbs);
  const previews = createPreviewLinks({ keys: auth.deps.keys, tenant: async () => null, config: { platformDomain: 'localhost', publicScheme: 'http', port: 0 } });
  const app = createApiApp({ auth, logger: console, rateLimit: createApiRateLimit({ perMinute: 1000, redis: null, prefix: '' }), originLimit: UNLIMITED_ORIGIN, tenantBySlug: async () => null, previews });
  const document = openApiDocument(app, auth.adminOrigin) as any;
  const operations = Object.entries(document.paths as Record<string, Record<string, any>>).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({ method, path, op: item[method] })),
  );
  afterAll(() => dbs.close());

  test('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(structuredClone(document));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe('3.1.0');
  });

  test('every schema in it compiles as JSON Schema 2020-12', () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    ajv.addSchema({ $id: 'doc', components: document.components ?? {} });
    const schemas = operations.flatMap(({ op }) => [
      ...Object.values(op.requestBody?.content ?? {}).map((m: any) => m.schema),
      ...Object.values(op.responses ?? {}).flatMap((r: any) => Object.values(r.content ?? {}).map((m: any) => m.schema)),
      ...(op.parameters ?? []).map((p: any) => p.schema),
    ]);
    expect(schemas.length).toBeGreaterThan(20);
    for (const schema of schemas) {
      const rewritten = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"doc#/components/'));
      expect(() => ajv.compile(rewritten)).not.toThrow();
    }
  });

  test('every route the app answers is documented, and every documented route exists', () => {
    const answered = new Set(
      app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method.toLowerCase()} ${r.path.replaceAll(/:([A-Za-z]+)/g, '{$1}')}`),
    );
    const documented = new Set(operations.map(({ method, path }) => `${method} ${path}`));
    expect([...answered].sort()).toEqual([...documented].sort());
  });

  test('every operation has a unique operationId, a summary, a tag and a problem answer for errors', () => {
    const ids = operations.map(({ op }) => op.operationId);
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { op } of operations) {
      expect(op.summary).toEqual(expect.any(String));
      expect(op.tags).toHaveLength(1);
      expect(op.responses.default.content['application/problem+json']).toBeDefined();
    }
  });

  test('every body a call takes has an example that its own schema accepts (a file body is binary)', () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    ajv.addSchema({ $id: 'doc', components: document.components ?? {} });
    const withBodies = operations.filter(({ op }) => op.requestBody);
    expect(withBodies.length).toBeGreaterThan(5);
    for (const { method, path, op } of withBodies) {
      const media = op.requestBody.content['application/json'];
      if (!media) {
        // A file (a site archive): its only type says what it is, and its schema that it is bytes.
        expect(Object.values(op.requestBody.content).map((c: any) => c.schema), `${method} ${path}`).toEqual([{ type: 'string', format: 'binary' }]);
        continue;
      }
      expect(media.example, `${method} ${path}`).toBeDefined();
      const validate = ajv.compile(JSON.parse(JSON.stringify(media.schema).replaceAll('"#/components/', '"doc#/components/')));
      expect(validate(media.example), `${method} ${path}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  test('routes that need a caller say so; sign-in and emailed links do not', () => {
    const open = operations.filter(({ op }) => Array.isArray(op.security) && op.security.length === 0).map(({ op }) => op.operationId);
    expect(open.sort()).toEqual(
      ['acceptInvitation', 'confirmPasswordReset', 'getOpenApiDocument', 'getReference', 'previewInvitation', 'requestPasswordReset', 'signIn'].sort(),
    );
    expect(Object.keys(document.components.securitySchemes).sort()).toEqual(['apiKey', 'session']);
  });
});
