import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

// The narrow doors that work before anyone is known (SECURITY DEFINER functions; see the
// accounts migration). Each returns only what its caller needs.

export interface AccountRow {
  user_id: string;
  email: string;
  name: string;
  password_hash: string | null;
  platform_role: 'admin' | null;
  disabled_at: Date | null;
}

export async function findAccount(db: Kysely<Database>, email: string): Promise<AccountRow | null> {
  const { rows } = await sql<AccountRow>`SELECT * FROM mosaic_sign_in_lookup(${email})`.execute(db);
  return rows[0] ?? null;
}

export interface SessionRow {
  session_id: string;
  user_id: string;
  email: string;
  platform_role: 'admin' | null;
  disabled_at: Date | null;
  created_at: Date;
  expires_at: Date;
  last_seen_at: Date;
  revoked_at: Date | null;
}

export async function findSession(db: Kysely<Database>, sessionId: string): Promise<SessionRow | null> {
  const { rows } = await sql<SessionRow>`SELECT * FROM mosaic_session_lookup(${sessionId})`.execute(db);
  return rows[0] ?? null;
}

export async function touchSession(db: Kysely<Database>, sessionId: string, at: Date): Promise<void> {
  await sql`SELECT mosaic_touch_session(${sessionId}, ${at.toISOString()}::timestamptz)`.execute(db);
}

export interface ApiKeyRow {
  key_id: string;
  tenant_id: string | null;
  role: 'owner' | 'admin' | 'editor' | 'viewer' | null;
  secret_hash: string;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export async function findApiKey(db: Kysely<Database>, prefix: string): Promise<ApiKeyRow | null> {
  const { rows } = await sql<ApiKeyRow>`SELECT * FROM mosaic_api_key_lookup(${prefix})`.execute(db);
  return rows[0] ?? null;
}

export async function touchApiKey(db: Kysely<Database>, keyId: string, at: Date): Promise<void> {
  await sql`SELECT mosaic_touch_api_key(${keyId}::uuid, ${at.toISOString()}::timestamptz)`.execute(db);
}

export interface InvitationRow {
  invitation_id: string;
  tenant_id: string;
  tenant_slug: string;
  tenant_name: string;
  tenant_status: string;
  email: string;
  role: 'owner' | 'admin' | 'editor' | 'viewer';
  expires_at: Date;
  accepted_at: Date | null;
  revoked_at: Date | null;
}

export async function findInvitation(db: Kysely<Database>, tokenHash: string): Promise<InvitationRow | null> {
  const { rows } = await sql<InvitationRow>`SELECT * FROM mosaic_invitation_lookup(${tokenHash})`.execute(db);
  return rows[0] ?? null;
}

export interface ResetRow {
  reset_id: string;
  user_id: string;
  email: string;
  platform_role: 'admin' | null;
  disabled_at: Date | null;
  expires_at: Date;
  used_at: Date | null;
}

export async function findPasswordReset(db: Kysely<Database>, tokenHash: string): Promise<ResetRow | null> {
  const { rows } = await sql<ResetRow>`SELECT * FROM mosaic_password_reset_lookup(${tokenHash})`.execute(db);
  return rows[0] ?? null;
}
