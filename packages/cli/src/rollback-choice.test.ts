import { describe, expect, it } from 'vitest';
import type { PastPromotion } from './rollback-choice.js';
import { chooseRollback } from './rollback-choice.js';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const p = (n: number, digest: string, state = 'succeeded', tag?: string): PastPromotion => ({
  id: id(n),
  state,
  toDigest: `sha256:${digest.repeat(64).slice(0, 64)}`,
  toVersion: `app@${digest.repeat(12).slice(0, 12)}`,
  target: tag ? { tag } : {},
});
const d = (c: string) => `sha256:${c.repeat(64)}`;

describe('chooseRollback', () => {
  // newest first: c (current), b, a failed to c, a
  const history = [p(4, 'c'), p(3, 'b'), p(2, 'c', 'failed'), p(1, 'a', 'succeeded', '1.0.0')];

  it('GIVEN no --to THEN the version before the current one', () => {
    expect(chooseRollback(history, d('c'), undefined, 'app/production').id).toBe(id(3));
  });
  it('GIVEN the current version written twice THEN the one before its newest promotion', () => {
    const twice = [p(5, 'c'), p(4, 'b'), p(3, 'c'), p(2, 'a')];
    expect(chooseRollback(twice, d('c'), undefined, 'x').id).toBe(id(4));
  });
  it('GIVEN a current version Gantry did not write THEN the newest recorded other version', () => {
    expect(chooseRollback(history, d('e'), undefined, 'x').id).toBe(id(4));
  });
  it('GIVEN --to a promotion id, a prefix, a digest prefix or a tag THEN that promotion', () => {
    expect(chooseRollback(history, d('c'), id(1), 'x').id).toBe(id(1));
    expect(chooseRollback(history, d('c'), 'aaaaaaa', 'x').id).toBe(id(1));
    expect(chooseRollback(history, d('c'), '1.0.0', 'x').id).toBe(id(1));
    expect(chooseRollback(history, d('c'), 'app@bbbbbbbbbbbb', 'x').id).toBe(id(3));
  });
  it('GIVEN --to a version never run there or the current one THEN an error naming what it ran', () => {
    expect(() => chooseRollback(history, d('c'), '9.9.9', 'app/production')).toThrow(
      /no succeeded promotion of app\/production to 9\.9\.9; versions it ran: app@cccccccccccc, app@bbbbbbbbbbbb, app@aaaaaaaaaaaa/,
    );
    expect(() => chooseRollback(history, d('c'), id(4), 'x')).toThrow(/already runs/);
  });
  it('GIVEN a single version in history THEN nothing to roll back to', () => {
    expect(() => chooseRollback([p(1, 'c')], d('c'), undefined, 'x')).toThrow(/no earlier version of x/);
  });
});
