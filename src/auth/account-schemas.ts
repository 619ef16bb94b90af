import { z } from 'zod';
import { TENANT_ROLES } from '../operations/permissions.ts';

/** An email as stored: trimmed, lower case. */
export const emailSchema = z.string().trim().toLowerCase().max(254, 'must be at most 254 characters').pipe(z.email('must be an email address'));

export const tenantRoleSchema = z.enum(TENANT_ROLES);

export const personNameSchema = z.string().trim().max(200, 'must be at most 200 characters');

/** A cookie, invitation or reset token as handed out (43 base64url characters). */
export const tokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'is not a valid token');
