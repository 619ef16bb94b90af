import type { TenantRole } from '../../db/schema.ts';

/** How long an invitation link works. */
export const INVITATION_TTL_MS = 7 * 24 * 3_600_000;

export interface InvitationView {
  id: string;
  email: string;
  role: TenantRole;
  invitedBy: string;
  createdAt: string;
  expiresAt: string;
  /** Still open but past its expiry: it can only be replaced by a new invitation. */
  expired: boolean;
}

interface InvitationRow {
  id: string;
  email: string;
  role: TenantRole;
  invited_by: string;
  created_at: Date | string;
  expires_at: Date | string;
}

export function invitationView(row: InvitationRow, now: Date): InvitationView {
  const expiresAt = new Date(row.expires_at);
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    invitedBy: row.invited_by,
    createdAt: new Date(row.created_at).toISOString(),
    expiresAt: expiresAt.toISOString(),
    expired: expiresAt <= now,
  };
}

export const INVITATION_COLUMNS = ['id', 'email', 'role', 'invited_by', 'created_at', 'expires_at'] as const;
