import { expect, test } from 'vitest';
import { classifyHost, MEMO_HOSTS } from '../../src/host/host-kind.ts';

// A file of its own: the memo is module state, empty when this file starts.
test('a full memo keeps answering the names it holds; only a new name starts it over', () => {
  const first = classifyHost('site-0.example.com', 'admin.example.com');
  for (let i = 1; i < MEMO_HOSTS; i++) classifyHost(`site-${i}.example.com`, 'admin.example.com');
  // Full now: a known name is still answered from the memo (the very same object).
  expect(classifyHost('site-0.example.com', 'admin.example.com')).toBe(first);
  expect(classifyHost(`site-${MEMO_HOSTS - 1}.example.com`, 'admin.example.com')).toEqual({ kind: 'site', host: `site-${MEMO_HOSTS - 1}.example.com` });
  // A new name starts the memo over; answers stay right.
  expect(classifyHost('another.example.com', 'admin.example.com')).toEqual({ kind: 'site', host: 'another.example.com' });
  expect(classifyHost('site-0.example.com', 'admin.example.com')).not.toBe(first);
  expect(classifyHost('site-0.example.com', 'admin.example.com')).toEqual(first);
});
