import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { ACTIONS, can, type Role } from '../../src/operations/permissions.ts';

// The README's roles table is for people; the permission table decides. They must say the same.
describe('the README roles table', () => {
  test('lists every action with exactly the roles the permission table gives it', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const block = /<!-- roles:start -->\n([\s\S]*?)\n<!-- roles:end -->/.exec(readme)?.[1] ?? '';
    const [header, , ...rows] = block.split('\n');
    const roles = (header ?? '')
      .split('|')
      .slice(2, -1)
      .map((cell) => cell.trim().replace(' ', '-')) as Role[];
    expect(roles).toEqual(['viewer', 'editor', 'admin', 'owner', 'platform-admin']);
    const table = Object.fromEntries(
      rows.map((row) => {
        const cells = row
          .split('|')
          .slice(1, -1)
          .map((cell) => cell.trim());
        return [cells[0]!.replaceAll('`', ''), cells.slice(1).map((cell) => cell === '✓')];
      }),
    );
    expect(Object.keys(table)).toEqual([...ACTIONS]);
    for (const action of ACTIONS) expect(table[action], action).toEqual(roles.map((role) => can(role, action)));
  });
});
