export interface UserView {
  id: string;
  email: string;
  name: string;
  platformAdmin: boolean;
  disabled: boolean;
  createdAt: string;
}

export const USER_COLUMNS = ['id', 'email', 'name', 'platform_role', 'disabled_at', 'created_at'] as const;

export function userView(row: {
  id: string;
  email: string;
  name: string;
  platform_role: 'admin' | null;
  disabled_at: Date | null;
  created_at: Date | string;
}): UserView {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    platformAdmin: row.platform_role === 'admin',
    disabled: row.disabled_at !== null,
    createdAt: new Date(row.created_at).toISOString(),
  };
}
