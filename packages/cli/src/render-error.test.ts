import { ApiProblemError, ApiUnreachableError } from '@gantry/client';
import { GantryError, NotFoundError, NotWritableError, PromotionBlockedError } from '@gantry/core';
import { describe, expect, it } from 'vitest';
import { EXIT } from './io.js';
import { exitCodeOf } from './render-error.js';

const problem = (code: string, status: number) =>
  new ApiProblemError({ type: `https://gantry.dev/problems/${code}`, title: code, status, code, detail: code });

describe('exit codes follow the error categories', () => {
  it('GIVEN local errors WHEN exiting THEN invalid input 2, cannot happen now 3, remote failures 1', () => {
    expect(exitCodeOf(new NotFoundError('pipeline', 'x', ['app']))).toBe(EXIT.invalid);
    expect(exitCodeOf(new GantryError('invalid_target', 'bad'))).toBe(EXIT.invalid);
    expect(exitCodeOf(new PromotionBlockedError('nothing upstream'))).toBe(EXIT.blocked);
    expect(exitCodeOf(new NotWritableError('app', 'oci'))).toBe(EXIT.invalid);
    expect(exitCodeOf(new GantryError('registry_unreachable', 'down'))).toBe(EXIT.failed);
    expect(exitCodeOf(new GantryError('registry_timeout', 'slow'))).toBe(EXIT.failed);
    expect(exitCodeOf(new TypeError('bug'))).toBe(EXIT.failed);
  });

  it("GIVEN a server's problem WHEN exiting THEN its code decides as in local mode, else its status", () => {
    expect(exitCodeOf(problem('phase_not_writable', 400))).toBe(EXIT.invalid);
    expect(exitCodeOf(problem('promotion_blocked', 409))).toBe(EXIT.blocked);
    expect(exitCodeOf(problem('unknown_phase', 404))).toBe(EXIT.invalid);
    expect(exitCodeOf(problem('git_auth_failed', 502))).toBe(EXIT.failed);
    expect(exitCodeOf(problem('unauthorized', 401))).toBe(EXIT.invalid);
    // a code a newer server added: its status decides
    expect(exitCodeOf(problem('some_new_refusal', 422))).toBe(EXIT.invalid);
    expect(exitCodeOf(problem('some_new_outage', 503))).toBe(EXIT.failed);
    expect(exitCodeOf(new ApiUnreachableError('http://127.0.0.1:1', new Error('ECONNREFUSED')))).toBe(EXIT.failed);
  });
});
