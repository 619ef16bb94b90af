import { z } from 'zod';
import type { ErrorDetail } from '../errors/catalog.ts';

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;

/** A new password's shape; `passwordIssues` adds the checks that need the account's email. */
export const newPasswordSchema = z
  .string()
  .min(PASSWORD_MIN, `must be at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `must be at most ${PASSWORD_MAX} characters`);

/** A password as typed at sign-in: bounded, so a megabyte of text never reaches the hash. */
export const givenPasswordSchema = z.string().min(1, 'required').max(PASSWORD_MAX, `must be at most ${PASSWORD_MAX} characters`);

/** Problems with a new password for the account `email`, under `path`. */
export function passwordIssues(password: string, email: string, path = 'password'): ErrorDetail[] {
  const issues: ErrorDetail[] = [];
  const parsed = newPasswordSchema.safeParse(password);
  if (!parsed.success) issues.push(...parsed.error.issues.map((issue) => ({ path, message: issue.message })));
  const plain = password.trim().toLowerCase();
  if (plain === email.toLowerCase() || plain === email.toLowerCase().split('@')[0]) issues.push({ path, message: 'must not be the email address' });
  return issues;
}
