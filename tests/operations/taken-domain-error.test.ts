import { describe, expect, test } from 'vitest';
import { takenDomainError } from '../../src/operations/tenants/write-tenant.ts';

const unique = (detail?: string) => ({ code: '23505', constraint: 'domains_hostname_key', detail });

describe('takenDomainError: a domain claim that raced past the check', () => {
  test('names the hostname from the key when Postgres shows it', () => {
    const error = takenDomainError(unique('Key (hostname)=(shop.example) already exists.'), ['a.example', 'shop.example']);
    expect(error).toMatchObject({ code: 'DomainUnavailable', details: [{ path: 'shop.example', message: 'hostname "shop.example" belongs to another tenant' }] });
  });

  test('with the key hidden (row-level security), names the one hostname claimed, or every one of several', () => {
    expect(takenDomainError(unique(), ['shop.example'])?.details).toEqual([{ path: 'shop.example', message: 'hostname "shop.example" belongs to another tenant' }]);
    expect(takenDomainError(unique(), ['a.example', 'b.example'])?.details).toEqual([{ path: 'domains', message: 'one of "a.example", "b.example" belongs to another tenant' }]);
  });

  test('any other error is not its business', () => {
    expect(takenDomainError({ code: '23505', constraint: 'posts_tenant_id_slug_key' }, ['a.example'])).toBeNull();
    expect(takenDomainError(new Error('connection lost'))).toBeNull();
  });
});
