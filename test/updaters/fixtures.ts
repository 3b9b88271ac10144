import { readFileSync } from 'node:fs';
import type { FileUpdater, Resource } from '@gantry/core';
import { expect } from 'vitest';

/** A fixture of test/fixtures/layouts, as its project documents it (the name says which). */
export const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/layouts/${name}`, import.meta.url), 'utf8');

export const digestOf = (c: string): string => `sha256:${c.repeat(64)}`;

/** The same text with Windows line endings. */
export const crlf = (text: string): string => text.replaceAll('\n', '\r\n');

/**
 * Writes `resource` with `updater` and checks that exactly the given lines changed (1-based
 * line -> its new text) and every other byte is as it was. Returns the new text.
 */
export function expectLines<R extends Resource>(
  updater: FileUpdater<R>,
  before: string,
  resource: R,
  changes: Readonly<Record<number, string>>,
  file = 'fixture.yaml',
): string {
  const after = updater.write(before, resource, file);
  const eol = before.includes('\r\n') ? '\r\n' : '\n';
  const expected = before
    .split(eol)
    .map((line, i) => changes[i + 1] ?? line)
    .join(eol);
  expect(after).toBe(expected);
  return after;
}

/** Runs `fn` and returns what it threw; fails the test when it throws nothing. */
export function thrown(fn: () => unknown): Error & { code?: string; context?: Record<string, unknown> } {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error, none was thrown');
}
