import { z } from 'zod';
import type { TenantRole } from '../../db/schema.ts';

export interface ApiKeyView {
  id: string;
  name: string;
  /** `mk_<prefix>`: how the key shows in lists and in the audit trail. */
  prefix: string;
  /** null for a platform key. */
  role: TenantRole | null;
  scope: 'tenant' | 'platform';
  createdBy: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  /** Usable now: neither revoked nor expired. */
  active: boolean;
}

export const API_KEY_COLUMNS = [
  'id',
  'tenant_id',
  'name',
  'prefix',
  'role',
  'created_by',
  'created_at',
  'expires_at',
  'last_used_at',
  'revoked_at',
] as const;

interface ApiKeyRow {
  id: string;
  tenant_id: string | null;
  name: string;
  prefix: string;
  role: TenantRole | null;
  created_by: string;
  created_at: Date | string;
  expires_at: Date | string | null;
  last_used_at: Date | string | null;
  revoked_at: Date | string | null;
}

const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

export function apiKeyView(row: ApiKeyRow, now: Date): ApiKeyView {
  const expired = row.expires_at !== null && new Date(row.expires_at) <= now;
  return {
    id: row.id,
    name: row.name,
    prefix: `mk_${row.prefix}`,
    role: row.role,
    scope: row.tenant_id ? 'tenant' : 'platform',
    createdBy: row.created_by,
    createdAt: new Date(row.created_at).toISOString(),
    expiresAt: iso(row.expires_at),
    lastUsedAt: iso(row.last_used_at),
    revokedAt: iso(row.revoked_at),
    active: row.revoked_at === null && !expired,
  };
}

/** A key's name and optional expiry, as every creating call takes them. */
export const keyNameSchema = z.string().trim().min(1, 'required').max(100, 'must be at most 100 characters');
export const keyExpirySchema = z.iso.datetime({ offset: true }).nullable().optional();
