import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';

const TABLE_PRIVILEGES = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'];
const COLUMN_PRIVILEGES = ['SELECT', 'INSERT', 'UPDATE', 'REFERENCES'];
const ATTRIBUTES = ['rolsuper', 'rolinherit', 'rolcreaterole', 'rolcreatedb', 'rolcanlogin', 'rolreplication', 'rolbypassrls'];

/**
 * A role's effective privileges in the current database, read from the catalog with the
 * `has_*_privilege` functions — so grants to PUBLIC and through role membership count too — over
 * the database, every non-system schema and every table, column and function in them, plus the
 * role's memberships and attributes. One line each, sorted, in the format of `APP_ROLE_GRANTS`.
 * Built-in functions in `pg_catalog` (executable by everyone) are outside its scope.
 */
export async function readRolePrivileges(db: Kysely<Database>, role: string): Promise<string[]> {
  const lines: string[] = [];
  const database = await sql<{ privilege: string }>`
    SELECT p AS privilege FROM unnest(ARRAY['CONNECT', 'TEMPORARY', 'CREATE']) AS p
     WHERE has_database_privilege(${role}, current_database(), p)
  `.execute(db);
  lines.push(...database.rows.map((r) => `database: ${r.privilege}`));

  const schemas = await sql<{ name: string; privilege: string }>`
    SELECT n.nspname AS name, p AS privilege
      FROM pg_namespace n, unnest(ARRAY['USAGE', 'CREATE']) AS p
     WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema' AND has_schema_privilege(${role}, n.oid, p)
  `.execute(db);
  lines.push(...schemas.rows.map((r) => `schema ${r.name}: ${r.privilege}`));

  const tables = await sql<{ name: string; privilege: string }>`
    SELECT c.relname AS name, p AS privilege
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, unnest(${TABLE_PRIVILEGES}::text[]) AS p
     WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
       AND has_table_privilege(${role}, c.oid, p)
  `.execute(db);
  lines.push(...tables.rows.map((r) => `table ${r.name}: ${r.privilege}`));

  // Column grants that the table-level ones above do not already cover.
  const columns = await sql<{ name: string; privilege: string; columns: string[] }>`
    SELECT c.relname AS name, p AS privilege, array_agg(a.attname::text ORDER BY a.attname) AS columns
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped, unnest(${COLUMN_PRIVILEGES}::text[]) AS p
     WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
       AND NOT has_table_privilege(${role}, c.oid, p) AND has_column_privilege(${role}, c.oid, a.attnum, p)
     GROUP BY c.relname, p
  `.execute(db);
  lines.push(...columns.rows.map((r) => `table ${r.name} (${r.columns.join(', ')}): ${r.privilege}`));

  const functions = await sql<{ signature: string }>`
    SELECT p.oid::regprocedure::text AS signature
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema' AND has_function_privilege(${role}, p.oid, 'EXECUTE')
  `.execute(db);
  lines.push(...functions.rows.map((r) => `function ${r.signature}: EXECUTE`));

  const memberships = await sql<{ name: string }>`
    SELECT g.rolname AS name FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles r ON r.oid = m.member
     WHERE r.rolname = ${role}
  `.execute(db);
  lines.push(...memberships.rows.map((r) => `member of ${r.name}`));

  const attributes = await sql<Record<string, boolean>>`SELECT * FROM pg_roles WHERE rolname = ${role}`.execute(db);
  const row = attributes.rows[0] ?? {};
  for (const name of ATTRIBUTES) {
    // INHERIT is every role's default and grants nothing by itself (memberships are listed above).
    if (name !== 'rolinherit' && row[name] === true) lines.push(`attribute: ${name.slice(3).toUpperCase().replace('CANLOGIN', 'LOGIN')}`);
  }
  return lines.sort();
}
