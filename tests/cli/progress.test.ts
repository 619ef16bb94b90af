import { describe, expect, test } from 'vitest';
import { createProgress, createStepProgress } from '../../src/cli/progress.ts';

/** A stand-in for stderr that keeps what is written. */
function fakeStream(isTTY: boolean): NodeJS.WriteStream & { text: () => string } {
  const chunks: string[] = [];
  return { isTTY, write: (chunk: string) => (chunks.push(chunk), true), text: () => chunks.join('') } as unknown as NodeJS.WriteStream & { text: () => string };
}

describe('progress on the command line', () => {
  test('steps on a terminal: one bar redrawn in place, ended with a new line when full', () => {
    const stream = fakeStream(true);
    const step = createStepProgress(stream);
    step({ what: 'images exported', done: 1, total: 2 });
    step({ what: 'images exported', done: 2, total: 2 });
    expect(stream.text()).toBe(`\rimages exported [${'#'.repeat(15)}${'.'.repeat(15)}] 1/2\rimages exported [${'#'.repeat(30)}] 2/2\n`);
  });

  test('steps elsewhere: a plain line each, no bar or carriage return', () => {
    const stream = fakeStream(false);
    const step = createStepProgress(stream);
    step({ what: 'images copied', done: 1, total: 3 });
    expect(stream.text()).toBe('images copied: 1/3\n');
  });

  test('a counted bar draws the same bar with the seconds taken, and nothing off a terminal', () => {
    const tty = fakeStream(true);
    const bar = createProgress(4, 'Onboarding', tty);
    bar.tick();
    bar.done();
    expect(tty.text()).toMatch(new RegExp(`^\\rOnboarding \\[\\.{30}\\] 0/4 \\d+\\.\\ds\\rOnboarding \\[#{8}\\.{22}\\] 1/4 \\d+\\.\\ds\\n$`));
    const piped = fakeStream(false);
    createProgress(4, 'Onboarding', piped).tick();
    expect(piped.text()).toBe('');
  });
});
